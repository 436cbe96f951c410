"""Alembic migrations of the whole platform (one head)."""
