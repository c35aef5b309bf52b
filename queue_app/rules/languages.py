"""The languages a runner's pages speak, and how a request's wishes are read against them."""

# In the order the switcher shows them, each in its own words.
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "nl": "Nederlands", "ja": "日本語"}
DEFAULT = "en"


def supported(value):
    """The language code `value` asks for ("de", "de-AT", "DE_de"), if it is one of ours; else None."""
    if not isinstance(value, str) or not 2 <= len(value) <= 35:
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else None
