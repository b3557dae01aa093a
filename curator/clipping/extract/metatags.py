"""A page's ``<meta>`` tags, read once and shared by the metadata, byline and date readers."""

from __future__ import annotations

from lxml import etree

from .titles import tidy


class MetaTags:
    """``<meta>`` values by lower-cased key (name, property, itemprop), in page order."""

    def __init__(self, root: etree._Element) -> None:
        self.values: dict[str, list[str]] = {}
        for el in root.iter("meta"):
            content = el.get("content")
            if content is None:
                content = el.get("value")
            if content is None:
                continue
            content = tidy(content)
            if not content:
                continue
            keys: list[str] = []
            for attr in ("property", "name", "itemprop", "http-equiv"):
                v = el.get(attr)
                if v:
                    keys.extend(v.lower().split())
            for k in keys:
                self.values.setdefault(k, []).append(content)

    def first(self, *keys: str) -> str | None:
        for k in keys:
            vals = self.values.get(k)
            if vals:
                return vals[0]
        return None

    def all(self, *keys: str) -> list[str]:
        out: list[str] = []
        for k in keys:
            out.extend(self.values.get(k, []))
        return out
