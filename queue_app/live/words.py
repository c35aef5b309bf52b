"""Words for people, in their language: the rules' marked English (rules/words.py) through the gettext
catalogs. The pages use it (web/i18n.py), and so do pushes and texts, sent outside any request."""

from flask_babel import force_locale
from flask_babel import gettext

from ..rules import languages


def translated(text):
    """`text` in the current language: a marked string, or a `Message` with its values (a value that is itself
    a `Message` is translated too; names, numbers and other values stay as they are)."""
    template = getattr(text, "template", None)
    if template is None:
        return gettext(text) if isinstance(text, str) and text else text
    params = {name: translated(value) if hasattr(value, "template") else value for name, value in text.params.items()}
    return gettext(template, **params)


def in_language(code, text):
    """`text` translated into the language `code` (one of ours, else the default), outside a request too."""
    with force_locale(languages.supported(code) or languages.DEFAULT):
        return translated(text)
