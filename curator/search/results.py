"""Plain result types handed to the UI and CLI (no Whoosh objects leak out)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    id: str
    score: float
    title: str
    snippet: str  # plain text; matched terms wrapped in [[ and ]]


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    notice: str | None = None
    expanded: list[str] = field(default_factory=list)
    some_words: int = 0     # hits at the end of the page matching only some words
