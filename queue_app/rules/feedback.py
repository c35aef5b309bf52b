"""One tap after the massage: which faces there are, and a runner's answer checked."""

from .errors import ValidationError
from .inputs import check_text
from .words import N_
from .words import Message

RATINGS = (1, 2, 3)  # 3 the happiest face
COMMENT_MAX = 280


def answer(body):
    """(rating, comment or None) from `{"rating": 1|2|3, "comment": "…"}`, or ValidationError naming the field."""
    rating = body.get("rating")
    if isinstance(rating, bool) or rating not in RATINGS:
        raise ValidationError(N_("Choose one of the three faces."), field="rating")
    comment = body.get("comment")
    if comment is None:
        return rating, None
    if not isinstance(comment, str):
        raise ValidationError(N_("The comment must be text."), field="comment")
    comment = " ".join(check_text(comment, "comment").split())
    if len(comment) > COMMENT_MAX:
        raise ValidationError(Message(N_("A comment may be at most %(most)s characters."), most=COMMENT_MAX),
                              field="comment")
    return rating, comment or None
