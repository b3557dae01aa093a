"""Curator: keep a practice knowledge base alive."""

__version__ = "0.1.0"
APP_NAME = "Curator"
