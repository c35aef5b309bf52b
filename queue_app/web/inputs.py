"""Every request's input checked once, before any view: the address's parts, form fields, the Idempotency-Key,
and JSON bodies (bounded before they are parsed). The rules are rules/inputs.py."""

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from ..rules.errors import ValidationError
from ..rules.inputs import MAX_JSON_BYTES
from ..rules.inputs import check_strings
from ..rules.inputs import check_text
from ..rules.inputs import parse_json


def init_app(app):
    """Check every request's address parts, form fields and key header before its view runs."""
    app.before_request(check_request)


def check_request():
    """Refuse NUL, control characters and broken characters in anything a view will read, whatever the route."""
    check_strings(request.view_args or {})
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        check_text(key, "Idempotency-Key")
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for field, value in request.form.items(multi=True):
            check_text(value, field)


def json_object(empty_allowed=True):
    """The request's JSON object ({} for an empty body if `empty_allowed`); anything else is a 422, and a body
    over MAX_JSON_BYTES a 413."""
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        raise RequestEntityTooLarge()
    raw = request.get_data(cache=True)
    if not raw.strip() and empty_allowed:
        return {}
    body = parse_json(raw) if raw.strip() else None
    if not isinstance(body, dict):
        raise ValidationError("Send a JSON object.")
    return body
