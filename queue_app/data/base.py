"""The root of every mapped class, in a module of its own so the tables can live in several modules
(models.py, team_models.py, feedback.py) without importing each other."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Root of all mapped classes."""
