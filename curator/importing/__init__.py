"""Bringing collections in: the import run and the file formats it reads."""
