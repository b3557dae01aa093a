"""Read schema.org JSON-LD blocks, the richest and most explicit metadata on news sites.

Publishers write JSON-LD by hand or through CMS plug-ins, so it is often invalid JSON
(trailing commas, raw newlines, HTML comments) and spread over ``@graph`` arrays whose
nodes refer to each other by ``@id``.  We repair the common faults, flatten the graph
and resolve references so callers can just ask for "the article".
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "scholarlyarticle",
    "report",
    "techarticle",
    "analysisnewsarticle",
    "reportagenewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "medicalscholarlyarticle",
    "satiricalarticle",
    "posting",
    "advertisercontentarticle",
    "review",
    "thesis",
    "chapter",
}
PAGE_TYPES = {
    "webpage",
    "itempage",
    "aboutpage",
    "collectionpage",
    "profilepage",
    "faqpage",
    "medicalwebpage",
    "qapage",
    "searchresultspage",
    "checkoutpage",
    "contactpage",
}
WORK_TYPES = {
    "recipe",
    "howto",
    "creativework",
    "videoobject",
    "book",
    "event",
    "product",
    "course",
    "dataset",
    "podcastepisode",
    "episode",
    "movie",
    "question",
}
ORG_TYPES = {
    "organization",
    "newsmediaorganization",
    "corporation",
    "educationalorganization",
    "governmentorganization",
    "ngo",
    "localbusiness",
    "website",
    "person",
}

_MAX_NODES = 5000


@dataclass
class JsonLd:
    """Flattened JSON-LD: every typed node, plus an ``@id`` index."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Follow an ``{"@id": ...}`` reference to the full node when we have it."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2:
            target = self.by_id.get(str(value["@id"]))
            if target is not None:
                return target
        return value

    def of_types(self, wanted: set[str]) -> list[dict[str, Any]]:
        return [n for n in self.nodes if types_of(n) & wanted]


def types_of(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        items = [t]
    elif isinstance(t, list):
        items = [x for x in t if isinstance(x, str)]
    else:
        return set()
    return {x.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower() for x in items}


def _loads(raw: str) -> Any:
    raw = raw.strip()
    raw = re.sub(r"^\s*(<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
    raw = re.sub(r"(-->|//\s*\]\]>|\]\]>)\s*$", "", raw).strip()
    if not raw:
        return None
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    fixed = re.sub(r",\s*([}\]])", r"\1", raw)  # trailing commas
    fixed = re.sub(r"}\s*{", "},{", fixed)  # objects glued together
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        pass
    try:
        return json.loads("[" + fixed + "]", strict=False)
    except ValueError:
        return None


def parse_blocks(raw_blocks: list[str]) -> JsonLd:
    """Parse and flatten the text of every ``application/ld+json`` script."""
    out = JsonLd()
    for raw in raw_blocks:
        try:
            data = _loads(raw)
        except RecursionError:
            continue
        if data is None:
            continue
        stack: list[Any] = [data]
        seen = 0
        while stack and seen < _MAX_NODES:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(reversed(item))
                continue
            if not isinstance(item, dict):
                continue
            if types_of(item):
                out.nodes.append(item)
                ident = item.get("@id")
                if isinstance(ident, str) and len(item) > 2:
                    out.by_id.setdefault(ident, item)
            for key, value in item.items():
                if key in ("@context",):
                    continue
                if isinstance(value, dict | list):
                    stack.append(value)
    # stack pops reverse order; keep document order for "first article wins"
    return out


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a string, list or ``@value``."""
    if isinstance(value, list):
        for v in value:
            s = text_value(v)
            if s:
                return s
        return None
    if isinstance(value, dict):
        return text_value(value.get("@value") or value.get("name"))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        s = html.unescape(str(value))
        s = " ".join(s.split())
        return s or None
    return None


def names_of(ld: JsonLd, value: Any) -> list[str]:
    """Author names from a string, a Person/Organization object, a reference or a list."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:50]:
        item = ld.resolve(item)
        if isinstance(item, str):
            s = text_value(item)
            if s:
                out.append(s)
        elif isinstance(item, dict):
            name = item.get("name")
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(
                    str(x) for x in (item.get("givenName"), item.get("familyName")) if x
                )
            s = text_value(name)
            if s:
                out.append(s)
    return out
