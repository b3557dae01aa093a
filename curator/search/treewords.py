"""The words of a parsed query tree that a hit's snippet and title mark:
plain words, phrases and prefixes, leaving out excluded words and filters."""

from __future__ import annotations

from curator.search import query as q


def positive_terms(node) -> list[str]:
    """Stems that can match text (for snippets), excluding negated parts."""
    out: list[str] = []
    if isinstance(node, q.Term):
        out.append(node.stem)
    elif isinstance(node, q.Phrase):
        out += [t for t, _ in node.terms]
    elif isinstance(node, q.Prefix):
        out.append(node.prefix)
    elif isinstance(node, (q.And, q.Or)):
        for child in node.children:
            out += positive_terms(child)
    return out


def highlight_terms(node) -> tuple[list[str], list[list[str]]]:
    """(single stems, phrases as stem lists) to mark in snippets."""
    singles: list[str] = []
    phrases: list[list[str]] = []

    def walk(n) -> None:
        if isinstance(n, q.Term):
            singles.append(n.stem)
        elif isinstance(n, q.Phrase):
            phrases.append([t for t, _ in n.terms])
        elif isinstance(n, (q.And, q.Or)):
            for c in n.children:
                walk(c)

    walk(node)
    return singles, phrases


def prefixes(node) -> list[str]:
    if isinstance(node, q.Prefix):
        return [node.prefix]
    if isinstance(node, (q.And, q.Or)):
        return [p for c in node.children for p in prefixes(c)]
    return []
