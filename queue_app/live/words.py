"""Words for people, in their language: the rules' marked English (rules/words.py) through the gettext
catalogs. The pages use it (web/i18n.py), and so do pushes and texts, sent outside any request."""

from flask_babel import force_locale
from flask_babel import get_translations
from flask_babel import gettext

from ..rules import languages


def translated(text):
    """`text` in the current language: a marked string, a `Message` (or `Plural`) with its values (a value that is
    itself a `Message` or `Joined` is translated too; names, numbers and other values stay as they are), or the
    parts of a `Joined` one by one."""
    if hasattr(text, "parts"):  # a rules.words.Joined
        return text.separator.join(translated(part) for part in text.parts)
    template = getattr(text, "template", None)
    if template is None:
        return gettext(text) if isinstance(text, str) and text else text
    params = {name: translated(value) if hasattr(value, "template") or hasattr(value, "parts") else value
              for name, value in text.params.items()}
    if text.plural is not None:  # the count chooses the form; %(num)s may be written another way ("1,200")
        return get_translations().ungettext(template, text.plural, text.count) % params
    return gettext(template, **params)


def in_language(code, text):
    """`text` translated into the language `code` (one of ours, else the default), outside a request too."""
    with force_locale(languages.supported(code) or languages.DEFAULT):
        return translated(text)
