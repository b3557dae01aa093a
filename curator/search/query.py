"""Parsing what a social worker types into a small query tree.

Syntax: free words (all must match), "exact phrases", OR (or |), -word or NOT
word to exclude, prefix*, parentheses, and filters theme:DA tag: type: status:
expert: site: author: plus dates published: review: clipped: updated: taking 2020,
2020-03, 2020-03-05, today, with >, >=, <, <= or a range 2019..2021.

Parsing never raises to callers: ``parse`` returns the tree plus a plain-English
notice when it had to fall back to searching for the words alone.

A query over the limits (limits.py) is cut before it is parsed, with a
notice saying so, and a word whose stem is longer than MAX_TERM_CHARS is
searched as the prefix of its first MAX_TERM_CHARS characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from curator.search import analysis
from curator.search.limits import MAX_TERM_CHARS, join_notices, limit_query
from curator.search.schema import norm_keyword
from curator.search.thesaurus import Thesaurus, entry_key


class QueryError(ValueError):
    """The query could not be read as written."""


# ------------------------------------------------------------------ the tree


@dataclass
class Term:
    stem: str
    surface: str
    free: bool = True       # typed as a plain word (eligible for did-you-mean)


@dataclass
class Phrase:
    terms: list[tuple[str, int]]   # (stem, offset) - stop words leave gaps
    surface: str
    implicit: bool = False  # one typed word with parts ("real-gas"), not quoted


@dataclass
class Prefix:
    prefix: str
    surface: str


@dataclass
class Keyword:
    field: str
    values: list[str]


@dataclass
class DateRange:
    field: str
    lo: str     # YYYYMMDD inclusive
    hi: str


@dataclass
class And:
    children: list = field(default_factory=list)


@dataclass
class Or:
    children: list = field(default_factory=list)


@dataclass
class Not:
    child: object


@dataclass
class MatchAll:
    pass


@dataclass
class Parsed:
    tree: object | None
    notice: str | None = None
    expanded: list[str] = field(default_factory=list)
    free_words: list[str] = field(default_factory=list)   # surfaces, for did-you-mean
    text: str = ""      # the query as searched: what was typed, cut if too long


FALLBACK_NOTICE = ("Your search could not be read as written, so Curator searched "
                   "for the words in it.")

_KEYWORD_FIELDS = {"theme": "theme", "themes": "theme", "tag": "tag", "tags": "tag",
                   "type": "type", "status": "status", "expert": "expert",
                   "site": "site", "author": "author"}
_DATE_FIELDS = {"published": "published", "review": "review", "review_due": "review",
                "clipped": "clipped", "updated": "updated", "last_updated": "updated"}

_TOKEN_RE = re.compile(r'''
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<pipe>\|)
  | (?P<field>[A-Za-z_]+):(?P<fval>"[^"]*"?|[^\s()"]*)
  | (?P<phrase>"[^"]*"?)
  | (?P<neg>-)(?=[^\s-])
  | (?P<word>[^\s()"|]+)
''', re.VERBOSE)


# ------------------------------------------------------------------ dates


def _parse_date(text: str, today: date, upper: bool) -> str:
    """'2020' / '2020-03' / '2020-03-05' / 'today' -> YYYYMMDD.

    For partial dates, ``upper`` picks the last day the value covers, so
    published:<=2020 includes all of 2020 and published:>2020 starts in 2021.
    """
    t = text.strip().lower()
    if t == "today":
        return today.strftime("%Y%m%d")
    m = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", t)
    if not m:
        raise QueryError(f"not a date: {text!r}")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            return date(y, int(mo), int(d)).strftime("%Y%m%d")
        if mo:
            mo_i = int(mo)
            first = date(y, mo_i, 1)
            if not upper:
                return first.strftime("%Y%m%d")
            nxt = date(y + (mo_i == 12), mo_i % 12 + 1, 1)
            return (nxt - timedelta(days=1)).strftime("%Y%m%d")
        date(y, 1, 1)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc
    return f"{y:04d}1231" if upper else f"{y:04d}0101"


def _date_range(fieldname: str, value: str, today: date) -> DateRange:
    v = value.strip()
    if not v:
        raise QueryError("empty date")
    lo, hi = "00000000", "99991231"
    if ".." in v:
        a, _, b = v.partition("..")
        if a.strip():
            lo = _parse_date(a, today, upper=False)
        if b.strip():
            hi = _parse_date(b, today, upper=True)
        if not a.strip() and not b.strip():
            raise QueryError("empty range")
    else:
        m = re.fullmatch(r"(>=|<=|>|<|=)?(.+)", v)
        op, rest = (m.group(1) or "="), m.group(2)
        first = _parse_date(rest, today, upper=False)
        last = _parse_date(rest, today, upper=True)
        if op == "=":
            lo, hi = first, last
        elif op == ">":
            lo = _next_day(last)
        elif op == ">=":
            lo = first
        elif op == "<":
            hi = _prev_day(first)
        else:
            hi = last
    return DateRange(fieldname, lo, hi)


def _next_day(ymd: str) -> str:
    d = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    return (d + timedelta(days=1)).strftime("%Y%m%d") if d < date.max else ymd


def _prev_day(ymd: str) -> str:
    d = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    return (d - timedelta(days=1)).strftime("%Y%m%d") if d > date.min else ymd


# ------------------------------------------------------------------ parser


class _Parser:
    def __init__(self, text: str, today: date, thesaurus: Thesaurus | None) -> None:
        self.today = today
        self.thesaurus = thesaurus
        self.expanded: list[str] = []
        self.free_words: list[str] = []
        self.tokens = self._lex(text)
        self.i = 0

    @staticmethod
    def _lex(text: str) -> list[tuple[str, str, str]]:
        out = []
        for m in _TOKEN_RE.finditer(text):
            kind = m.lastgroup
            if kind == "ws":
                continue
            if m.group("field") is not None:
                out.append(("field", m.group("field"), m.group("fval")))
            else:
                out.append((kind, m.group(kind), ""))
        return out

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self):
        node = self.sequence()
        if self.peek() is not None:
            raise QueryError("unbalanced parentheses")
        return node

    def sequence(self):
        items = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rparen":
                break
            items.append(self.disjunction())
        items = self._expand_runs(items)
        items = [x for x in items if x is not None]
        if not items:
            return None
        return items[0] if len(items) == 1 else And(items)

    def disjunction(self):
        first = self.unary()
        alts = [first]
        while True:
            tok = self.peek()
            if tok and (tok[0] == "pipe" or (tok[0] == "word" and tok[1] == "OR")):
                self.i += 1
                if self.peek() is None or self.peek()[0] == "rparen":
                    raise QueryError("OR with nothing after it")
                alts.append(self.unary())
            else:
                break
        if len(alts) == 1:
            return first
        alts = [self._finish(a) for a in alts]
        alts = [a for a in alts if a is not None]
        return Or(alts) if len(alts) > 1 else (alts[0] if alts else None)

    def unary(self):
        tok = self.peek()
        if tok is None:
            raise QueryError("unexpected end")
        if tok[0] == "neg" or (tok[0] == "word" and tok[1] == "NOT"):
            self.i += 1
            if self.peek() is None or self.peek()[0] in ("rparen", "pipe"):
                raise QueryError("nothing to exclude")
            child = self._finish(self.unary())
            return Not(child) if child is not None else None
        return self.atom()

    def atom(self):
        kind, text, value = self.tokens[self.i]
        self.i += 1
        if kind == "lparen":
            node = self.sequence()
            tok = self.peek()
            if tok is None or tok[0] != "rparen":
                raise QueryError("unbalanced parentheses")
            self.i += 1
            return node
        if kind == "rparen":
            raise QueryError("unbalanced parentheses")
        if kind == "phrase":
            if len(text) < 2 or not text.endswith('"'):
                raise QueryError("unbalanced quotes")
            return self._phrase(text[1:-1], expand=True)
        if kind == "field":
            return self._field(text, value)
        if kind == "pipe":
            raise QueryError("OR with nothing before it")
        if text in ("AND",):
            return None
        return ("word", text)   # plain word: resolved in _expand_runs / _finish

    # -- building leaves

    def _field(self, name: str, value: str):
        lname = name.lower()
        if value.startswith('"'):
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError("unbalanced quotes")
            value = value[1:-1]
        if lname in _KEYWORD_FIELDS:
            norm = norm_keyword(value)
            if not norm:
                raise QueryError(f"{name}: with nothing after it")
            return Keyword(_KEYWORD_FIELDS[lname], [norm])
        if lname in _DATE_FIELDS:
            if not value.strip():
                raise QueryError(f"{name}: with nothing after it")
            return _date_range(_DATE_FIELDS[lname], value, self.today)
        # Not a field we know (e.g. "https://..." or "note:"): treat as words.
        return self._words_node(f"{name} {value}")

    def _words_node(self, text: str):
        nodes = [self._word(w) for w in analysis.words(text)]
        nodes = [n for n in nodes if n is not None]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(nodes)

    def _word(self, text: str):
        if text.endswith("*") and len(text.rstrip("*")) >= 2:
            base = analysis.fold(text.rstrip("*"))
            if re.fullmatch(r"[^\W_]+", base):
                return Prefix(base, text)
        parts = analysis.words(text)
        if len(parts) > 1:      # "multi-agency", "child's": an implicit phrase
            node = self._phrase(" ".join(parts), expand=False)
            if isinstance(node, Phrase):
                node.implicit = True
            return node
        if not parts:
            return None
        stem = analysis.stem(parts[0])
        if not stem:
            return None
        if len(stem) > MAX_TERM_CHARS:
            # Not a word anyone misspells; a prefix still finds the whole
            # stem (stemming changes only a word's end).
            return Prefix(stem[:MAX_TERM_CHARS], text)
        self.free_words.append(text)
        return Term(stem, text)

    def _phrase(self, text: str, expand: bool):
        stems = analysis.stems(text)
        terms = [(s, i) for i, s in enumerate(stems) if s]
        if not terms:
            return None
        first = terms[0][1]
        terms = [(s, i - first) for s, i in terms]
        node = Term(terms[0][0], text, free=False) if len(terms) == 1 else Phrase(terms, text)
        if expand:
            return self._with_synonyms(entry_key(text), node, text)
        return node

    def _with_synonyms(self, key, node, surface: str):
        if not self.thesaurus:
            return node
        alts = self.thesaurus.alternatives(key)
        if not alts:
            return node
        self.expanded.append(f"{surface} \N{RIGHTWARDS ARROW} {', '.join(alts)}")
        nodes = [node]
        for alt in alts:
            n = self._phrase(alt, expand=False)
            if n is not None:
                nodes.append(n)
        return Or(nodes)

    def _finish(self, item):
        if isinstance(item, tuple):
            return self._with_synonyms(entry_key(item[1]), self._word(item[1]), item[1]) \
                if self._word_ok(item[1]) else self._word(item[1])
        return item

    @staticmethod
    def _word_ok(text: str) -> bool:
        return not text.endswith("*")

    def _expand_runs(self, items: list) -> list:
        """Resolve plain words, matching thesaurus phrases across neighbours."""
        out = []
        i = 0
        thes = self.thesaurus
        while i < len(items):
            item = items[i]
            if not isinstance(item, tuple):
                out.append(item)
                i += 1
                continue
            matched = False
            if thes and thes.max_len > 1:
                j = i
                while j < len(items) and isinstance(items[j], tuple):
                    j += 1
                run = [w for _, w in items[i:j]]
                for n in range(min(len(run), thes.max_len), 1, -1):
                    span = " ".join(run[:n])
                    key = entry_key(span)
                    if thes.alternatives(key):
                        node = self._phrase(span, expand=False)
                        out.append(self._with_synonyms(key, node, span))
                        i += n
                        matched = True
                        break
            if not matched:
                out.append(self._finish(item))
                i += 1
        return out


def _words_only(text: str, thesaurus: Thesaurus | None) -> Parsed:
    """Every word is a plain free word; no operators at all."""
    p = _Parser("", date.today(), thesaurus)
    items = [("word", w) for w in analysis.words(text)]
    nodes = [n for n in p._expand_runs(items) if n is not None]
    tree = None if not nodes else (nodes[0] if len(nodes) == 1 else And(nodes))
    return Parsed(tree, None, p.expanded, p.free_words)


def parse(text: str, today: date, thesaurus: Thesaurus | None = None,
          words_only: bool = False) -> Parsed:
    """Parse a query; on any syntax problem fall back to its words + a notice.

    A query over the limits is cut first (``limit_query``); ``Parsed.text``
    is then the part searched and the notice says so."""
    text, cut = limit_query(text)
    parsed = _parse(text, today, thesaurus, words_only)
    parsed.text = text
    parsed.notice = join_notices(cut, parsed.notice)
    return parsed


def _parse(text: str, today: date, thesaurus: Thesaurus | None, words_only: bool) -> Parsed:
    if words_only:
        return _words_only(text, thesaurus)
    try:
        p = _Parser(text, today, thesaurus)
        tree = p.parse()
        return Parsed(tree, None, p.expanded, p.free_words)
    except (QueryError, RecursionError, ValueError, OverflowError):
        parsed = _words_only(text, thesaurus)
        parsed.notice = FALLBACK_NOTICE
        return parsed
