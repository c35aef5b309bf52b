"""What the organiser types for runners, in each of the runners' languages: service names, the announcement, and
where the medical tent is. Each is a {language: text} map; a language without its own text reads the organiser's
one text (written in the event's language), and the medical tent's place falls back to a translated default."""

from . import languages
from .setup import ANNOUNCEMENT_MAX
from .setup import text
from .words import N_

SERVICE_NAME_MAX = 80
PLACE_MAX = 200
# Where to go, when the organiser has not said: what every finish area has, in every language (the catalogs).
DEFAULT_MEDICAL_PLACE = N_("The medical tent is next to the finish area. Any volunteer can show you the way.")
KINDS = {"announcement": ANNOUNCEMENT_MAX, "medical_place": PLACE_MAX}


def in_language(by_language, language, fallback):
    """The text for `language` if the organiser gave one, else `fallback`."""
    return (by_language or {}).get(language) or fallback


def checked(form):
    """({kind: {language: text}}, {service code: {language: name}}) from a settings form whose fields are named
    `<kind>.<language>` and `name.<service code>.<language>`; empty fields are dropped, every text is checked as
    the organiser's other texts are (length, control characters)."""
    texts, names = {}, {}
    for field, value in form.items():
        parts = field.split(".")
        language = parts[-1]
        if language not in languages.LANGUAGES:
            continue
        if len(parts) == 2 and parts[0] in KINDS:
            shown = text(value, field, KINDS[parts[0]], required=False)
            if shown:
                texts.setdefault(parts[0], {})[language] = shown
        elif len(parts) == 3 and parts[0] == "name":
            shown = text(value, field, SERVICE_NAME_MAX, required=False)
            if shown:
                names.setdefault(parts[1], {})[language] = shown
    return texts, names
