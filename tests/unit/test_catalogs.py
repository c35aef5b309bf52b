"""Every text a runner can read has a translation in each of the six languages: the join page and its errors,
the screening questions, the medical referral, the ticket page in every state with its scripts' words, the slip,
pushes and texts, and the TV board. English is the source language; the others come from their catalogs.

Staff and organiser texts are translated too (every entry of every catalog, and the template current with the
code); in the runner modules below they carry a `# Staff:` comment on the line before their marker, so the runner
checks leave them out, and the words of staff pages' scripts are their own lists in page_words.py."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from queue_app.web.page_words import PAGES

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "queue_app" / "translations"
LANGUAGES = ("de", "fr", "es", "nl", "ja")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": (1, 2)}
# What a runner (or the TV) can read, and the modules whose words reach them.
RUNNER_TEMPLATES = ("base", "_languages", "join", "medical", "ticket", "slip", "board", "error", "poster")
RUNNER_MODULES = ("web/runner.py", "web/errors.py", "web/i18n.py", "rules/joining.py", "rules/alerts.py",
                  "rules/tickets.py", "actions/runner.py", "reads/snapshots.py", "data/queue.py",
                  "rules/phone_numbers.py")
RUNNER_PAGES = ("join", "ticket", "board")  # page_words.PAGES of the runner's pages' scripts
STAFF_ONLY = "Staff:"  # the comment on a text that only staff or the organiser read
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def runner_texts():
    """{msgid: where} for every marked text of the runner's pages, read from the sources as pybabel does."""
    sources = [("jinja2", ROOT / "templates" / f"{name}.html") for name in RUNNER_TEMPLATES]
    sources += [("python", ROOT / "queue_app" / module) for module in RUNNER_MODULES]
    texts = {}
    for method, path in sources:
        for line, message, comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                    comment_tags=(STAFF_ONLY,)):
            if not any(comment.startswith(STAFF_ONLY) for comment in comments):
                texts[message] = f"{path.relative_to(ROOT)}:{line}"
    for page in RUNNER_PAGES:
        for text in PAGES[page]:
            texts.setdefault(text, f"queue_app/web/page_words.py: {page}")
    return texts


def catalog(language):
    """A language's catalog, read from its .po file."""
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def test_the_runners_pages_have_marked_texts_to_check():
    texts = runner_texts()
    assert len(texts) > 100 and "Join the queue" in texts and "Are you feeling unwell, dizzy or faint?" in texts
    assert ("%(num)s runner", "%(num)s runners") in texts
    assert "Only a waiting ticket can be moved." not in texts, "a staff text is not a runner's"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_runner_text_has_a_translation(language):
    messages = catalog(language)
    missing = []
    for text, where in runner_texts().items():
        key = text[0] if isinstance(text, tuple) else text
        message = messages.get(key)
        strings = message.string if message else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(f"{where}: {key!r}")
    assert not missing, f"{len(missing)} texts without a {language} translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    wrong = []
    for message in catalog(language):
        if not message.id or not message.string or message.fuzzy:  # fuzzy ones are not compiled: English shows
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:  # an empty form is untranslated: English shows
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)


def texts_in_the_code():
    """Every marked text of the code and templates, read as `pybabel extract -F babel.cfg` reads them."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_template_holds_every_text_of_the_code():
    """A text added to the code reaches the catalogs only through `pybabel extract` and `update`
    (docs/translating.md): until then it shows in English whatever the catalogs say."""
    with (CATALOGS / "messages.pot").open("rb") as template:
        held = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(template) if m.id}
    missing = sorted(texts_in_the_code() - held)
    assert not missing, f"{len(missing)} texts not in messages.pot; run the extract and update of " \
                        f"docs/translating.md:\n" + "\n".join(map(repr, missing[:20]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_staff_and_organiser_ones_too_has_a_translation(language):
    """Therapists in Berlin and Tokyo read their tablet in German and Japanese: no entry of the catalog is left
    empty or fuzzy (an empty one would show in English)."""
    missing = []
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(repr(message.id[0] if isinstance(message.id, tuple) else message.id))
    assert not missing, f"{len(missing)} texts without a {language} translation:\n" + "\n".join(missing[:40])
