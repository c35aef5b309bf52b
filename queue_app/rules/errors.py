"""The refusals the rules can give; each carries a stable `code` for API clients and the field it concerns."""


class DomainError(Exception):
    """A request the queue rules refuse; `code` is stable for API clients."""

    code = "refused"

    def __init__(self, message, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: message} if field else {})


class InvalidTransition(DomainError):
    """The ticket is not in a state that allows this change."""

    code = "invalid_transition"


class ValidationError(DomainError):
    """A field of a request is missing or malformed."""

    code = "invalid"


class NotFound(DomainError):
    """No such event, table or ticket."""

    code = "not_found"


class Conflict(DomainError):
    """The request is well-formed but the queue's current state refuses it (a double join, a busy table)."""

    code = "conflict"
