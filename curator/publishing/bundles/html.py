"""The bundle's HTML pages: the full resource list (index.html) and the newsletter.

Every value goes through Jinja2 with autoescaping, so a hostile title or note comes out
as text. Notes are plain text (blank lines make paragraphs); no markup is let through,
so no sanitiser is needed. Only http and https addresses become links; anything else is
shown as text. The pages carry no script and a Content-Security-Policy that forbids any.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from jinja2 import Environment

from curator import __version__
from curator.catalogue.vocab import TYPES

GENERATOR = f"Curator {__version__}"
NEWSLETTER_NOTE_CHARS = 400
#: The newsletter is a short read: at most this many resources under each heading,
#: the most recently edited first.
NEWSLETTER_MAX_ITEMS = 30
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
#: Each type as a reader sees it in a line about one resource ("Type: Practice tool").
TYPE_LABELS = {t: t.capitalize() for t in TYPES}
#: The heading over the resources of each type; "other" is not a kind a reader knows.
TYPE_HEADINGS = {"research": "Research", "guidance": "Guidance",
                 "practice tool": "Practice tools", "training": "Training",
                 "video": "Videos", "podcast": "Podcasts", "event": "Events",
                 "toolkit": "Toolkits", "other": "More resources"}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined  # loaded when first used

    return Environment(
        loader=PackageLoader("curator.publishing.bundles", "templates"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)


def safe_href(url: object) -> str | None:
    """*url* if it is an http or https address fit to be a link, else None."""
    if not isinstance(url, str) or not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def paragraphs(text: str | None, limit: int | None = None) -> list[list[str]]:
    """Plain text as paragraphs (split at blank lines) of lines; *limit* keeps only the
    first paragraph, cut at a word to about *limit* characters."""
    paras = [[" ".join(line.split()) for line in block.strip().splitlines()]
             for block in re.split(r"\n[ \t\r\f\v]*\n", (text or "").replace("\r\n", "\n"))]
    paras = [[line for line in p if line] for p in paras]
    paras = [p for p in paras if p]
    if limit is None or not paras:
        return paras
    first = " ".join(paras[0])
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
    elif len(paras) > 1:
        first += " …"
    return [[first]]


def human_date(value: str | None) -> str:
    """"2019" -> "2019", "2019-05" -> "May 2019", "2019-05-03" -> "3 May 2019"."""
    if not value:
        return ""
    try:
        if len(value) == 4:
            return str(int(value))
        if len(value) == 7:
            day = dt.date.fromisoformat(value + "-01")
            return f"{_MONTH_NAMES[day.month - 1]} {day.year}"
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def type_label(kind: str | None) -> str:
    """A resource type in plain words: "practice tool" -> "Practice tool"."""
    kind = kind or "other"
    return TYPE_LABELS.get(kind, kind.capitalize())


def file_size_text(size: int | None) -> str:
    """12345 -> "12 KB", 2500000 -> "2.4 MB" (as file managers count: 1 KB = 1024 bytes)."""
    if not size or size <= 0:
        return ""
    if size < 1024:
        return _plural(size, "byte")
    for unit, factor in (("KB", 1024), ("MB", 1024 ** 2), ("GB", 1024 ** 3)):
        value = size / factor
        if value < 1000 or unit == "GB":
            return f"{value:.1f} {unit}" if value < 10 else f"{round(value):,} {unit}"
    return ""  # not reached


def file_text(resource: Mapping) -> str:
    """"PDF, 1.2 MB" when the link is a document, else ""."""
    kind = resource.get("file_type") or ""
    if not kind:
        return ""
    size = file_size_text(resource.get("file_size"))
    return f"{kind}, {size}" if size else kind


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _anchor(prefix: str, text: str, used: set[str]) -> str:
    base = prefix + "-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x")
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _item(resource: Mapping, theme_names: Mapping[str, str], *, short: bool = False) -> dict:
    url = resource.get("url") or ""
    language = resource.get("language") or ""
    lang = language if _LANG.fullmatch(language) and not language.lower().startswith("en") \
        else ""
    codes = resource.get("themes") or []
    limit = NEWSLETTER_NOTE_CHARS if short else None
    approved_on = resource.get("approved_on") or ""
    reviewed = resource.get("last_reviewed") or ""
    kind = resource.get("type") or "other"
    return {
        "summary_paragraphs": paragraphs(resource.get("summary"), limit),
        "file_text": file_text(resource),
        "needs_login": resource.get("access") == "login",
        "approved_on": approved_on,
        "approved_on_text": human_date(approved_on),
        "approved_by": resource.get("approved_by") or "",
        # The approval is the latest check unless a review came after it.
        "show_reviewed": bool(reviewed) and (not approved_on or reviewed > approved_on),
        "title": resource.get("title") or url or "Untitled resource",
        "href": safe_href(url),
        "url": url,
        "lang": lang,
        "site": resource.get("site") or "",
        "type_label": "" if kind == "other" else type_label(kind),
        "theme_names": ", ".join(theme_names.get(c, c) for c in codes),
        "published": resource.get("published") or "",
        "published_text": human_date(resource.get("published")),
        "last_reviewed": resource.get("last_reviewed") or "",
        "last_reviewed_text": human_date(resource.get("last_reviewed")),
        "note_paragraphs": paragraphs(resource.get("notes"), limit),
    }


def _sort_key(resource: Mapping) -> tuple:
    return ((resource.get("title") or "").casefold(), resource.get("id") or "")


def _common(manifest: Mapping, heading: str, page_title: str) -> dict:
    created_at = manifest["created_at"]
    return {
        "generator": GENERATOR,
        "heading": heading,
        "page_title": page_title,
        "created_by": manifest["created_by"],
        "created_at": created_at,
        "created_on": human_date(created_at[:10]),
        "bundle_id": manifest["bundle_id"],
    }


def _theme_list(themes: list[Mapping]) -> str:
    names = [t["name"] for t in themes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def render_index(manifest: Mapping, resources: list[Mapping]) -> str:
    """index.html: every resource, grouped by the bundle's themes, then by type."""
    themes = manifest["themes"]
    names = {t["code"]: t["name"] for t in themes}
    type_order = {t: i for i, t in enumerate(TYPES)}
    used: set[str] = set()
    sections = []
    buckets: list[tuple[str, str, list[Mapping]]] = [
        (t["code"], t["name"], [r for r in resources if t["code"] in (r.get("themes") or [])])
        for t in themes]
    others = [r for r in resources if not set(r.get("themes") or []) & names.keys()]
    if others:
        buckets.append(("other", "Other resources", others))
    for code, name, members in buckets:
        if not members:
            continue
        by_type: dict[str, list[Mapping]] = {}
        for r in sorted(members, key=_sort_key):
            by_type.setdefault(r.get("type") or "other", []).append(r)
        groups = [{"label": TYPE_HEADINGS.get(kind, type_label(kind)),
                   "items": [_item(r, names) for r in by_type[kind]]}
                  for kind in sorted(by_type, key=lambda k: (type_order.get(k, 99), k))]
        sections.append({"name": name, "anchor": _anchor("theme", code, used),
                         "count_text": _plural(len(members), "resource"), "groups": groups})
    title = manifest.get("title") or f"{_theme_list(themes)}: resources"
    context = _common(manifest, title, title)
    context.update(sections=sections, theme_list=_theme_list(themes),
                   count_text=_plural(len(resources), "resource"))
    return _environment().get_template("index.html.j2").render(context)


def _latest_first(resources: list[Mapping]) -> list[Mapping]:
    ordered = sorted(resources, key=_sort_key)
    return sorted(ordered, key=lambda r: r.get("updated_at") or "", reverse=True)


def _part(heading: str, anchor: str, resources: list[Mapping],
          names: Mapping[str, str]) -> dict:
    shown = resources[:NEWSLETTER_MAX_ITEMS]
    more = len(resources) - len(shown)
    return {"heading": heading, "anchor": anchor, "total": len(resources),
            "items": [_item(r, names, short=True) for r in shown],
            "more_text": (f"And {_plural(more, 'more resource')}: see the full list of "
                          "resources." if more else "")}


def render_newsletter(manifest: Mapping, resources: list[Mapping], added: list[str],
                      updated: list[str]) -> str:
    """newsletter.html: a short round-up of what is new and updated in this bundle."""
    themes = manifest["themes"]
    names = {t["code"]: t["name"] for t in themes}
    by_id = {r["id"]: r for r in resources}
    created = dt.date.fromisoformat(manifest["created_at"][:10])
    month = f"{_MONTH_NAMES[created.month - 1]} {created.year}"
    new = _latest_first([by_id[i] for i in added if i in by_id])
    changed = _latest_first([by_id[i] for i in updated if i in by_id])
    heading = f"{_theme_list(themes)}: new and updated, {month}"
    context = _common(manifest, heading, heading)
    context.update(
        added=new, updated=changed,
        summary_text=(f"{_plural(len(new), 'new resource')} and "
                      f"{_plural(len(changed), 'updated resource')} since the last bundle."),
        parts=[_part("New", "new", new, names), _part("Updated", "updated", changed, names)])
    return _environment().get_template("newsletter.html.j2").render(context)
