"""What any text from outside may hold, and how deep and how big a JSON body may be: checked once, at the door.

PostgreSQL refuses NUL in text, and no unpaired surrogate can be encoded to UTF-8 for storage or a page; control
characters have no place in a name, note or announcement. Each field still has its own length rule
(rules/setup.py `text`); these limits stop what would break the parser or the database first.
"""

import json
import unicodedata

from .errors import ValidationError
from .words import N_
from .words import Message

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16
MAX_TEXT_CHARACTERS = 20_000
# Tab, newline and carriage return are the only control characters a note may hold.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def check_text(value, field=None):
    """Refuse text with NUL, another control character, an unpaired surrogate, or over MAX_TEXT_CHARACTERS."""
    if len(value) > MAX_TEXT_CHARACTERS:
        raise ValidationError(Message(N_("At most %(most)s characters."), most=f"{MAX_TEXT_CHARACTERS:,}"), field=field)
    if value.isprintable():
        return value
    for character in value:
        category = unicodedata.category(character)
        if category == "Cs":
            raise ValidationError(N_("This text has a broken character (an unpaired surrogate)."), field=field)
        if category == "Cc" and character not in ALLOWED_CONTROLS:
            raise ValidationError(Message(N_("This text holds a control character (%(code)s)."),
                                          code=f"U+{ord(character):04X}"), field=field)
    return value


def check_strings(value, field=None, depth=0):
    """Check every string in a parsed JSON value, keys included, and its nesting; the field named is the top-level
    key."""
    if depth > MAX_JSON_DEPTH:
        raise ValidationError(f"The JSON nests too deeply: at most {MAX_JSON_DEPTH} levels.", field=field)
    if isinstance(value, str):
        check_text(value, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                check_text(key, field or key)
            check_strings(item, field or key, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            check_strings(item, field, depth + 1)
    return value


def json_depth(raw):
    """How deeply arrays and objects nest in the JSON text `raw` (bytes), brackets inside strings not counted."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _no_constant(name):
    raise ValidationError(f"{name} is not a number this app accepts.")


def parse_json(raw):
    """The JSON text `raw` (bytes) as a Python value, refused with a clear message if it is too big, too deep,
    not JSON, uses NaN or Infinity, or holds text that cannot be stored."""
    if len(raw) > MAX_JSON_BYTES:
        raise ValidationError(f"The request is too big: at most {MAX_JSON_BYTES // 1024} KB of JSON.")
    # Counting openers is quick; only a body with many of them is scanned for its real depth.
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and json_depth(raw) > MAX_JSON_DEPTH:
        raise ValidationError(f"The JSON nests too deeply: at most {MAX_JSON_DEPTH} levels.")
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("The body is not valid JSON.") from None
    return check_strings(value)
