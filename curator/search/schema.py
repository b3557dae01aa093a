"""The Whoosh schema: which fields exist, how they are weighted, how stored.

Design (why it looks unlike a textbook Whoosh schema):

* All free text goes into ONE positional field, ``content``. Each source field
  (title, summary, notes, tags, page text...) adds its term frequency times a
  field weight to the posting's weight, so one posting list per term carries a
  BM25F-style weighted frequency. Queries then read one posting list per word
  instead of one per word per field, which is what made multi-field Whoosh
  queries slow. Each source field starts at a fresh position block, so a phrase
  can never run from the title into the summary.
* Phrases of common words are checked from word-pair lists (field ``pairs``,
  made per segment when it is written; see codec.py) rather than from the
  words' positions, of which there are far more.
* A content term's positions come after its documents and weights (codec.py),
  so scoring reads documents and weights only. They are not stored per
  posting: each block of 128 positions' postings carries ONE packed array of
  (document, position)
  keys (see codec.py), so a phrase check is a few C-level set operations over
  whole posting lists instead of a Python loop over candidate documents.
* Filters (theme, tag, type, status, expert, site, author) are exact
  normalised keyword fields; dates are ``YYYYMMDD`` keyword fields, which sort
  as text, so a range is a slice of the field's (small) term list.
* Only what the results page needs is stored: id, title, a bounded summary and a
  bounded excerpt of page text for snippets. The database holds the rest.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable

from whoosh import fields, formats

from curator.search import analysis

# Bump whenever fields, weights, analysis or encodings change: the library sees
# the mismatch through SearchIndex.is_usable() and rebuilds from the database.
SCHEMA_VERSION = 7   # 2: block-packed positions; 3: word pairs, blocks pickled
                     # with the highest protocol; 4: so are stored fields;
                     # 5: pair lists in pieces; 6: a content term's positions
                     # after its documents and weights; 7: updated: (the
                     # date a page says it was last updated)

# Source-field weights folded into the ``content`` posting weight.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "tags": 1.5,
    "summary": 1.2,
    "themes": 1.0,
    "notes": 1.0,
    "text": 1.0,
    "author": 0.5,
    "site": 0.5,
    "expert": 0.5,
    "type": 0.5,
}
# Order the parts are indexed in (positions increase in this order).
CONTENT_PARTS = ("title", "tags", "summary", "themes", "notes", "author", "site",
                 "expert", "type", "text")
_POSITION_GAP = 64          # between parts, so phrases never bridge two fields
SUMMARY_STORE_CHARS = 2_000
EXCERPT_STORE_CHARS = 20_000  # page text kept for snippets / more-like-this
FACET_FIELDS = ("theme", "type", "status")
DATE_FIELDS = {"published": "published", "review": "review_due", "clipped": "clipped",
               "updated": "updated_on"}
KEYWORD_FIELDS = ("theme", "tag", "type", "status", "expert", "site", "author")


# Positions at or beyond this are not kept (phrases there cannot match; a page
# would need ~16 million words). Keeps a position in the 24 low bits of a key.
POSITION_LIMIT = (1 << 24) - (1 << 16)


def stored_excerpt(value) -> str:
    """The stored page-text excerpt (zlib-compressed UTF-8) as text."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8", "replace")


class _TextTerms(fields.FieldType):
    """A field whose terms are UTF-8 text (or already bytes), parsed by Curator's own
    query code rather than by the field."""

    def to_bytes(self, value):
        return value.encode("utf-8") if isinstance(value, str) else value

    def from_bytes(self, bs):
        return bs.decode("utf-8")

    def self_parsing(self):
        return False


class PackedPositions(formats.Format):
    """Posting format of ``content``: documents and weights, then positions
    block-packed (codec.py). Only Curator's own reader (postings.py) and
    writer/merger (codec.py) touch these postings; Whoosh's per-posting
    matcher API is never used on them.
    """

    packed_positions = True

    def word_values(self, value, analyzer, **kwargs):  # pragma: no cover - unused
        raise NotImplementedError("ContentField.index does its own analysis")


class ContentField(_TextTerms):
    """The single weighted, positional free-text field.

    The value given to ``add_document`` is a sequence of ``(text, weight)``
    pairs; ``index`` analyses them here (inside the build's worker processes
    during a parallel rebuild) and yields one posting per distinct stem, whose
    value is an ``array("I")`` of positions (packed per block by codec.py).
    """

    def __init__(self) -> None:
        super().__init__(format=PackedPositions(), analyzer=None, scorable=True)

    def index(self, value, **kwargs):
        # Positions of every term across all parts; stop words land on "".
        positions: defaultdict[str, list[int]] = defaultdict(list)
        extra: dict[str, float] = {}   # weight beyond 1.0 per occurrence
        base = 0
        for text, weight in value:
            if not text:
                continue
            toks = analysis.stems(text)
            for pos, term in enumerate(toks, base):
                positions[term].append(pos)
            if weight != 1.0:   # small parts (title, tags...): count directly
                bonus = weight - 1.0
                for term in toks:
                    extra[term] = extra.get(term, 0.0) + bonus
            base += len(toks) + _POSITION_GAP
        positions.pop("", None)
        get = extra.get
        limit = POSITION_LIMIT
        for term, poslist in positions.items():
            n = len(poslist)
            w = n + get(term, 0.0)
            if poslist[-1] >= limit:
                poslist = [p for p in poslist if p < limit]
            # The "value" is the positions array; codec.py packs it per block.
            yield (term.encode("utf-8"), max(1, round(w)), w, array("I", poslist))


class PairBlobs(formats.Format):
    """Posting format of ``pairs``: one posting per term whose value is a
    bytes blob (codec.py, word pairs). Written and read only by Curator."""

    blob_values = True

    def word_values(self, value, analyzer, **kwargs):  # pragma: no cover - unused
        raise NotImplementedError("pairs are made by codec.GroupedPool.add_pairs")


class PairsField(_TextTerms):
    """Word-pair lists of a segment's common words, for phrase queries
    (codec.py). Never given to add_document: made when a segment is written."""

    def __init__(self) -> None:
        super().__init__(format=PairBlobs(), analyzer=None, scorable=False)

    def index(self, value, **kwargs):  # pragma: no cover - unused
        raise NotImplementedError("pairs are made by codec.GroupedPool.add_pairs")


class ExactField(_TextTerms):
    """Exact-match keyword terms; the value is an already-normalised list."""

    def __init__(self) -> None:
        super().__init__(format=formats.Existence(), analyzer=None, scorable=False)

    def index(self, value, **kwargs):
        for term in sorted(set(value)):
            if term:
                yield (term.encode("utf-8"), 1, 1.0, b"")


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        content=ContentField(), pairs=PairsField(),
        theme=ExactField(), tag=ExactField(), type=ExactField(), status=ExactField(),
        expert=ExactField(), site=ExactField(), author=ExactField(),
        published=ExactField(), review=ExactField(), clipped=ExactField(),
        updated=ExactField(),
        title=fields.STORED(), summary=fields.STORED(), excerpt=fields.STORED(),
    )


# ---------------------------------------------------------------- normalising

_SPACES = re.compile(r"[\s_\-]+")


def norm_keyword(value: str) -> str:
    """One normalisation for keyword values at index time and query time."""
    return _SPACES.sub(" ", analysis.fold(value)).strip().replace(",", " ")


def theme_terms(values: Iterable[str]) -> list[str]:
    return [norm_keyword(v) for v in values if v]


def name_terms(value: str | None) -> list[str]:
    """A person's name: the whole name and each word, so `expert:smith` works."""
    if not value:
        return []
    full = norm_keyword(value)
    return [full, *analysis.words(full)]


def site_terms(value: str | None) -> list[str]:
    """A site: whole value, domain without scheme/www and each parent domain."""
    if not value:
        return []
    full = norm_keyword(value)
    out = [full]
    host = re.sub(r"^[a-z]+://", "", full).split("/")[0]
    if host.startswith("www."):
        host = host[4:]
    if "." in host and " " not in host:
        parts = host.split(".")
        out += [".".join(parts[i:]) for i in range(len(parts) - 1)]
    else:
        out += analysis.words(full)
    return out


def date_term(value: str | None) -> str | None:
    """ISO date or datetime -> 'YYYYMMDD' (None if unreadable)."""
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        m2 = re.match(r"\s*(\d{4})(?:-(\d{2}))?\s*$", value)
        if not m2:
            return None
        return m2.group(1) + (m2.group(2) or "01") + "01"
    return m.group(1) + m.group(2) + m.group(3)


def _list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def to_whoosh_doc(doc: dict) -> dict:
    """Map one resource dict (as the library supplies it) to Whoosh fields."""
    tags = _list(doc.get("tags"))
    themes = _list(doc.get("themes"))
    text = doc.get("text") or ""
    parts = {
        "title": doc.get("title") or "",
        "tags": " . ".join(tags),
        "summary": doc.get("summary") or "",
        "themes": " ".join(themes),
        "notes": doc.get("notes") or "",
        "author": doc.get("author") or "",
        "site": doc.get("site") or "",
        "expert": doc.get("expert") or "",
        "type": doc.get("type") or "",
        "text": text,
    }
    out: dict = {
        "id": str(doc["id"]),
        "content": [(parts[name], FIELD_WEIGHTS[name]) for name in CONTENT_PARTS],
        "theme": theme_terms(themes),
        "tag": [norm_keyword(t) for t in tags],
        "type": [norm_keyword(doc["type"])] if doc.get("type") else [],
        "status": [norm_keyword(doc["status"])] if doc.get("status") else [],
        "expert": name_terms(doc.get("expert")),
        "site": site_terms(doc.get("site")),
        "author": name_terms(doc.get("author")),
        "title": doc.get("title") or "",
        "summary": (doc.get("summary") or "")[:SUMMARY_STORE_CHARS],
        "excerpt": zlib.compress(text[:EXCERPT_STORE_CHARS].encode("utf-8"), 1),
    }
    for fname, key in DATE_FIELDS.items():
        term = date_term(doc.get(key))
        out[fname] = [term] if term else []
    return out
