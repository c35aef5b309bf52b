"""Words the rules give people, marked for translation without any framework.

The rules stay pure: they give English text, and `web/` translates it into the reader's language through the
gettext catalogs (`queue_app/translations/`). `N_` only marks a string for `pybabel extract`; a `Message` is
the English text itself (so JSON answers, logs and tests read as before) that also remembers its template and
its values, so it can be translated whole after the fact. A `Plural` is the same for a count's words.
"""


def N_(text):
    """Mark `text` for extraction into the catalogs; it stays as it is."""
    return text


def NP_(singular, plural):  # noqa: N802 - gettext's name for a marker, as N_
    """Mark a count's singular and plural for extraction (`pybabel extract -k NP_:1,2`); answers both."""
    return singular, plural


class Message(str):
    """English text made from a marked template and its values; `template` and `params` let it be translated."""

    template: str
    params: dict
    plural = None

    def __new__(cls, template, **params):
        """The text of `template` filled with `params` (gettext's %(name)s placeholders)."""
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message


class Plural(Message):
    """English text for `count` of something, from marked singular and plural templates (`NP_`); %(num)s is the
    count unless `params` gives it written another way (num="1,200")."""

    count: int

    def __new__(cls, forms, count, **params):
        """The singular's or the plural's text for `count`, filled with `params`."""
        singular, plural = forms
        params.setdefault("num", count)
        message = str.__new__(cls, (singular if count == 1 else plural) % params)
        message.template, message.plural, message.count, message.params = singular, plural, count, params
        return message


class Joined(str):
    """Texts (each a marked string or a `Message`) joined by `separator`, each translated on its own."""

    parts: tuple
    separator: str

    def __new__(cls, parts, separator="; "):
        """The English texts of `parts`, joined."""
        joined = super().__new__(cls, separator.join(parts))
        joined.parts = tuple(parts)
        joined.separator = separator
        return joined
