"""Synonyms and abbreviations: groups of terms or phrases that mean the same.

A query word or phrase that belongs to a group also matches every other member
(query "FII" finds "fabricated or induced illness"). Entries are compared by
their analysed form (folded, stemmed, stop words kept as gaps), so "Domestic
Abuse" and "domestic abuses" both hit the "domestic abuse" entry.
"""

from __future__ import annotations

import json
from importlib import resources

from curator.search import analysis

Key = tuple[str, ...]


def entry_key(text: str) -> Key:
    """Analysed form of an entry or query span (stems; '' marks a stop word)."""
    return tuple(analysis.stems(text))


class Thesaurus:
    def __init__(self, groups: list[list[str]] | None = None) -> None:
        self.groups: list[list[str]] = []
        self._by_key: dict[Key, list[int]] = {}
        self.max_len = 0
        for group in groups or []:
            self._add(group)

    def _add(self, group: list[str]) -> None:
        members = [m.strip() for m in group if isinstance(m, str) and m.strip()]
        keys = []
        for m in members:
            key = entry_key(m)
            if any(key) and key not in keys:
                keys.append(key)
        if len(keys) < 2:
            return
        index = len(self.groups)
        self.groups.append(members)
        for key in keys:
            self._by_key.setdefault(key, []).append(index)
            self.max_len = max(self.max_len, len(key))

    @classmethod
    def starter(cls) -> Thesaurus:
        """The shipped UK children's social care thesaurus (curator/data)."""
        text = resources.files("curator").joinpath("data/thesaurus.json").read_text("utf-8")
        data = json.loads(text)
        return cls(data["groups"])

    def with_entries(self, groups: list[list[str]]) -> Thesaurus:
        """A new thesaurus: these groups plus the experts' own groups."""
        return Thesaurus([*self.groups, *groups])

    def alternatives(self, key: Key) -> list[str]:
        """Other members of every group containing ``key`` (may be empty)."""
        out: list[str] = []
        for index in self._by_key.get(key, []):
            for member in self.groups[index]:
                if entry_key(member) != key and member not in out:
                    out.append(member)
        return out

    def __len__(self) -> int:
        return len(self.groups)
