"""Languages: which one a request is answered in, the catalogs compiled at start-up, and words for page scripts.

The language of a runner's page is, first that wins: the one a view settled (a ticket's own), `?lang=` (the
switcher's links), the `lang` cookie the switcher leaves, the phone's Accept-Language, and last the event's
default language (an organiser setting). Anything we do not speak is skipped, never refused. Staff and organiser
pages choose the same way: a tablet's switcher, or the language of the person who signed in at the table (their
roster entry), is kept in the same cookie.

Catalogs live as `.po` files in `queue_app/translations/` (see docs/translating.md); each start compiles them
into the instance folder, named by a hash of their text, so a `.mo` can never be older than its `.po`.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from flask import request
from flask_babel import get_locale
from flask_babel import get_translations

from ..extensions import babel
from ..live.words import translated
from ..rules import languages
from ..rules import runner_texts
from .page_words import PAGES

CATALOGS = Path(__file__).resolve().parent.parent / "translations"
COOKIE = "lang"
COOKIE_DAYS = 30


def init_app(app):
    """Compile the catalogs, bind Flask-Babel with our choice of language, and give templates what they need."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_catalogs(Path(app.instance_path)))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["t"] = translated
    app.context_processor(lambda: {"languages": languages.LANGUAGES, "language": language,
                                   "language_direction": direction, "words": words_of, "local": local,
                                   "medical_place": medical_place})
    app.after_request(_remember_choice)


def compile_catalogs(instance):
    """Every `.po` under CATALOGS compiled to `.mo` in a folder of the instance named by their hash; processes
    starting together each compile aside and the first to finish puts its copy in place."""
    sources = sorted(CATALOGS.glob("*/LC_MESSAGES/messages.po"))
    digest = hashlib.sha256(b"".join(str(p.relative_to(CATALOGS)).encode() + b"\0" + p.read_bytes()
                                     for p in sources)).hexdigest()[:12]
    target = instance / f"translations-{digest}"
    if target.exists():
        return target
    aside = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=instance))
    for source in sources:
        out = aside / source.relative_to(CATALOGS).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as po, out.open("wb") as mo:
            write_mo(mo, read_po(po, locale=source.parts[-3]))
    try:
        os.rename(aside, target)
    except OSError:  # another process put its copy there first: use it
        shutil.rmtree(aside, ignore_errors=True)
    return target


def select_locale():
    """The language this request is answered in (see the module's docstring)."""
    if g.get("language"):
        return g.language
    return wished() or languages.supported(g.get("event_language")) or languages.DEFAULT


def wished():
    """The language this request asks for, if one of ours: `?lang=`, the `lang` cookie, Accept-Language; else None."""
    asked_for = languages.supported(request.args.get("lang")) or languages.supported(request.cookies.get(COOKIE))
    if asked_for:
        return asked_for
    accepted = request.accept_languages
    if "*" in accepted.values():  # "anything" is no wish: the event's language
        return None
    return accepted.best_match(list(languages.LANGUAGES))


def language():
    """The code of the language this request is answered in ("de")."""
    return str(get_locale() or languages.DEFAULT)


def local(by_language, fallback):
    """What the organiser typed, in this request's language if they gave it one, else their own text."""
    return runner_texts.in_language(by_language, language(), fallback)


def medical_place(event):
    """Where the medical tent is, in this request's language: the organiser's words in it, else in the event's
    language (a place named in one language beats a general one in the runner's), else a translated default."""
    places = (event.get("texts") or {}).get("medical_place") or {}
    return local(places, places.get(event.get("language"))) or translated(runner_texts.DEFAULT_MEDICAL_PLACE)


def direction():
    """"ltr" or "rtl" for this request's language, for <html dir>."""
    return getattr(get_locale(), "text_direction", "ltr")


def words_of(page):
    """The translated words a page's script needs (page_words.PAGES)."""
    return page_words(*PAGES[page])


def settle(chosen=None, event_language=None):
    """Before rendering: the language a view knows (a ticket's) and the event's default, for select_locale."""
    if chosen:
        g.language = languages.supported(chosen)
    if event_language:
        g.event_language = event_language


def asked():
    """The language `?lang=` asks for, if it is one of ours."""
    return languages.supported(request.args.get("lang"))


def page_words(*texts):
    """Translations of `texts` for a page's script, by their English text: a plain string maps to its
    translation, a (singular, plural) pair to [one, other] (static/js/words.js picks by count)."""
    catalog = get_translations()
    words = {}
    for text in texts:
        if isinstance(text, tuple):
            words[text[0]] = [catalog.ungettext(*text, 1), catalog.ungettext(*text, 2)]
        else:
            words[text] = catalog.ugettext(text)
    return words


def remember(response, code):
    """Keep `code` as this browser's language (a tablet takes the language of the person signed in at it)."""
    if languages.supported(code):
        response.set_cookie(COOKIE, code, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


def _remember_choice(response):
    """A runner who picked a language with the switcher keeps it on the next page (the form after the medical
    referral, another event's join page)."""
    chosen = asked()
    if chosen and chosen != request.cookies.get(COOKIE) and not request.path.startswith("/api/"):
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response
