"""Counts said in plain words: "1 resource", "2 resources", "1,204 resources"."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """*n* with its noun, singular or plural (*many*, else *one* + "s")."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def verb(n: int, one: str, many: str) -> str:
    """The verb agreeing with *n* things: verb(1, "has", "have") -> "has"."""
    return one if n == 1 else many
