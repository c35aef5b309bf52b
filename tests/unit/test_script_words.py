"""The staff's and organiser's page scripts show no text of their own: every word goes through words.js `t`/`tn`,
and every text they look up is in their page's list in page_words.py, so it reaches them from the catalogs.

The scripts are read as tokens (Pygments' JavaScript lexer), the way a person reads them: a string literal that is
the first argument of `t(` (or the first two of `tn(`) is a marked text; any other literal that reads as words for
people (a capital or a sentence's punctuation, or words that are not CSS classes) is text shown without a
translation. A lone lower-case word ("called", "tables") reads as code: ids, statuses and events look the same.
"""

import re
from pathlib import Path

import pytest
from pygments.lexers import JavascriptLexer
from pygments.token import Comment
from pygments.token import Name
from pygments.token import String
from pygments.token import Text

from queue_app.web.page_words import PAGES

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "static" / "js"
STAFF_TEMPLATES = ("staff_signin", "staff_tables", "staff_table", "dashboard", "settings", "planner",
                   "organiser_events", "organiser_signin")
# Literals that read as words but are code: a medical reason's value (logged in English), a chart's font.
CODE = {"Other", "14px system-ui"}


def tokens_of(source):
    """The JavaScript tokens of `source`, without spaces and comments."""
    return [(kind, value) for kind, value in JavascriptLexer().get_tokens(source)
            if kind not in Text and kind not in Comment]


def literal(value):
    """The text of a "..." or '...' token, its escapes read."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda escape: chr(int(escape.group(1), 16)), value[1:-1])
    return re.sub(r"\\(.)", r"\1", text)


def read_script(source):
    """(marked, plain): the texts given to t() and tn() (a pair for tn), and every other string literal, a template
    literal with {} where its ${...} parts are (a template literal inside one of those is a literal of its own)."""
    tokens = tokens_of(source)
    marked, plain, templates = [], [], []  # templates: [text, inside ${...}] of each template literal open
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind in Name and value in ("t", "tn") and tokens[index + 1][1] == "(":
            wanted, index, found = (1 if value == "t" else 2), index + 2, []
            while len(found) < wanted and tokens[index][0] in (String.Double, String.Single):
                found.append(literal(tokens[index][1]))
                index += 2 if tokens[index + 1][1] == "," else 1
            if found:  # t(status): a word from a variable, listed by hand
                marked.append(found[0] if value == "t" else tuple(found))
            continue
        if kind in (String.Double, String.Single):
            plain.append(literal(value))
        elif kind is String.Backtick and value == "`":
            if templates and not templates[-1][1]:
                plain.append(templates.pop()[0])
            else:
                templates.append(["", False])
        elif kind is String.Backtick:
            templates[-1][0] += value
        elif kind is String.Interpol:
            templates[-1][0] += "{}" if value == "${" else ""
            templates[-1][1] = value == "${"
        index += 1
    return marked, plain


def css_classes():
    """Every class the style sheets and the templates name."""
    names = set()
    for sheet in (ROOT / "static" / "css").glob("*.css"):
        names |= set(re.findall(r"\.([A-Za-z][\w-]*)", sheet.read_text()))
    for page in (ROOT / "templates").glob("*.html"):
        for classes in re.findall(r'class="([^"{]*)', page.read_text()):
            names |= set(classes.split())
    return names


def reads_as_words(text, classes):
    """Whether a string literal of a script reads as words a person is shown (see the module's docstring)."""
    words = [word for word in text.split() if "{}" not in word]  # ${...} parts are values
    if not re.search(r"[^\W\d_]", " ".join(words)) or text.strip() in CODE:
        return False
    if len(text.split()) == 1:
        shape = text.strip().replace("{}", "")
        return not (re.fullmatch(r"[a-z0-9_][\w-]*", shape)  # an id, a class, a status, an event, a tag, _blank
                    or re.fullmatch(r"[A-Z]+|[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+", shape)  # POST, X-CSRFToken
                    or re.fullmatch(r"\.{0,2}/.*|[\w.-]*/.*|#[0-9a-fA-F]{3,8}|\.[\w-]+", shape)  # a path, a colour
                    or re.search(r"[\[\]=:]", shape))  # a selector, a storage key
    return not (re.fullmatch(r"rgba?\(.*\)", text) or all(word in classes for word in words))


def scripts_of(template):
    """The page scripts a template loads, with everything they import."""
    found = re.findall(r"filename='js/([\w-]+\.js)'", (ROOT / "templates" / f"{template}.html").read_text())
    seen = []
    while found:
        name = found.pop()
        if name not in seen:
            seen.append(name)
            found += re.findall(r'^import .* from "\./([\w-]+\.js)";', (SCRIPTS / name).read_text(), re.M)
    return seen


def page_of(template):
    """The page_words.PAGES list a template sends its scripts, or None."""
    named = re.search(r'words\("(\w+)"\)', (ROOT / "templates" / f"{template}.html").read_text())
    return named and named.group(1)


def staff_scripts():
    """{script: [the page word lists of every page that loads it]}, for the scripts of staff and organiser pages."""
    templates = [page.stem for page in (ROOT / "templates").glob("*.html")]
    pages = {}
    for template in templates:
        for script in scripts_of(template):
            pages.setdefault(script, []).append(page_of(template))
    wanted = {script for template in STAFF_TEMPLATES for script in scripts_of(template)}
    return {script: pages[script] for script in sorted(wanted)}


def test_the_staff_and_organiser_pages_scripts_are_all_read():
    scripts = staff_scripts()
    assert {"table.js", "table-dialogs.js", "dashboard.js", "planner.js", "confirm.js", "queue-rules.js",
            "live.js"} <= set(scripts)
    assert scripts["table.js"] == ["table"] and scripts["dashboard.js"] == ["dashboard"]


@pytest.mark.parametrize("script", sorted(staff_scripts()))
def test_a_staff_script_shows_no_text_of_its_own(script):
    _marked, plain = read_script((SCRIPTS / script).read_text())
    classes = css_classes()
    shown = [text for text in plain if reads_as_words(text, classes)]
    assert not shown, f"{script} shows text without t() or tn() (static/js/words.js): {shown}"


@pytest.mark.parametrize("script", sorted(staff_scripts()))
def test_every_text_a_staff_script_looks_up_is_sent_with_its_page(script):
    """A text missing from the page's list would show in English, whatever the catalogs say. A script shared by
    several pages (queue-rules.js) needs each of its texts on at least one of them."""
    pages = staff_scripts()[script]
    marked, _plain = read_script((SCRIPTS / script).read_text())
    lists = [set(PAGES[page]) if page else set() for page in pages]
    missing = [text for text in marked if not any(text in words for words in lists)]
    assert not missing, f"{script}'s words missing from page_words.PAGES of {pages}: {missing}"


def test_the_reader_tells_words_from_code():
    """The check itself, on the shapes the scripts have."""
    marked, plain = read_script('el("p", "muted", t("Nobody waiting.")); tn("%(num)s table", "%(num)s tables", n);'
                                ' say(`Bib ${bib}`); t(status); confirm("Mark this runner?"); x = "call-next";'
                                ' y = `${a}${b ? ` and ${b} more` : ""}`;')
    assert marked == ["Nobody waiting.", ("%(num)s table", "%(num)s tables")]
    classes = {"muted", "button", "small", "danger", "badge"}
    assert [text for text in plain if reads_as_words(text, classes)] == ["Bib {}", "Mark this runner?", " and {} more"]
    for code in ("button small danger", "POST", "Idempotency-Key", "/api/v1/events/{}/tables", "./dom.js",
                 "#003d99", "rgba(0, 61, 153, 0.35)", "input[name=reason]:checked", "walk-in-service:{}",
                 "session-clock{}", "badge {}", "⚠ {}", "{} / {}", "2-digit", " urgent", ".session-clock", "_blank",
                 "X-CSRFToken", "$1\u2011$2", "{}{}"):
        assert not reads_as_words(code, classes), code
    for words in ("Free", "No-show", "Cleared.", "Loading…", "{} tables", "of {} min", "was marked a no-show",
                  "Screen may sleep"):
        assert reads_as_words(words, classes), words
