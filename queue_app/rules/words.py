"""Words the rules give people, marked for translation without any framework.

The rules stay pure: they give English text, and `web/` translates it into the reader's language through the
gettext catalogs (`queue_app/translations/`). `N_` only marks a string for `pybabel extract`; a `Message` is
the English text itself (so JSON answers, logs and tests read as before) that also remembers its template and
its values, so it can be translated whole after the fact.
"""


def N_(text):
    """Mark `text` for extraction into the catalogs; it stays as it is."""
    return text


class Message(str):
    """English text made from a marked template and its values; `template` and `params` let it be translated."""

    template: str
    params: dict

    def __new__(cls, template, **params):
        """The text of `template` filled with `params` (gettext's %(name)s placeholders)."""
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message
