"""What kind of resource a clipped page is, guessed from evidence, with how sure we are.

Each piece of evidence votes for a type with a weight: the page's structured data
(schema.org ``@type``, ``og:type``, Highwire ``citation_*`` tags), the host and the words
of its address (``/research/``, ``/guidance/``, ``/toolkit/``, ``/templates/``), words in
its title and headings ("recording template", "assessment tool", "research briefing"),
embedded players, a few telling phrases near the top of its text ("learning outcomes",
"book your place") and the kind of document (a PDF is often a report; a Word document is
often a form).  The type with the most weight wins; how sure we are grows with its weight
and its lead over the runner-up.  With too little to go on there is no guess at all:
better an empty type the expert fills in than a confident wrong one.

The types are the library's own (:data:`curator.catalogue.vocab.TYPES`); briefings and
reports count as research, templates and assessment tools as practice tools, news and
blog posts as "other".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:  # an annotation only: the details pane's words need no HTML parser
    from lxml import etree

#: Less total weight than this for the leading type: no guess.
MIN_WEIGHT = 1.5

RESEARCH, GUIDANCE, TOOL, TRAINING = "research", "guidance", "practice tool", "training"
VIDEO, PODCAST, EVENT, TOOLKIT, OTHER = "video", "podcast", "event", "toolkit", "other"

_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "youtube-nocookie.com")
_PODCAST_HOSTS = ("soundcloud.com", "podbean.com", "buzzsprout.com", "anchor.fm",
                  "podcasts.apple.com", "spotify.com", "acast.com", "libsyn.com",
                  "captivate.fm", "audioboom.com")
_EVENT_HOSTS = ("eventbrite.co.uk", "eventbrite.com", "ticketsource.co.uk")

#: schema.org types (lower case) -> (type, weight).
_LD_TYPES = {
    "videoobject": (VIDEO, 4.0), "podcastepisode": (PODCAST, 4.0),
    "podcastseries": (PODCAST, 4.0), "audioobject": (PODCAST, 3.0),
    "radioepisode": (PODCAST, 3.0), "event": (EVENT, 4.0), "educationevent": (EVENT, 4.0),
    "businessevent": (EVENT, 3.5), "course": (TRAINING, 4.0),
    "courseinstance": (TRAINING, 4.0), "learningresource": (TRAINING, 2.0),
    "scholarlyarticle": (RESEARCH, 3.5), "medicalscholarlyarticle": (RESEARCH, 3.5),
    "report": (RESEARCH, 3.0), "thesis": (RESEARCH, 3.5), "dataset": (RESEARCH, 3.0),
    "newsarticle": (OTHER, 3.0), "reportagenewsarticle": (OTHER, 3.0),
    "blogposting": (OTHER, 2.0), "liveblogposting": (OTHER, 2.5), "pressrelease": (OTHER, 3.0),
    "howto": (GUIDANCE, 2.0), "digitaldocument": (TOOL, 1.0),
}

#: Words of an address's path -> (type, weight).
_PATH_WORDS = {
    "research": (RESEARCH, 2.0), "evidence": (RESEARCH, 1.5), "studies": (RESEARCH, 2.0),
    "study": (RESEARCH, 1.5), "evaluation": (RESEARCH, 2.0), "evaluations": (RESEARCH, 2.0),
    "findings": (RESEARCH, 1.5), "journal": (RESEARCH, 2.0), "doi": (RESEARCH, 2.5),
    "briefings": (RESEARCH, 1.0), "reports": (RESEARCH, 1.5), "report": (RESEARCH, 1.0),
    "guidance": (GUIDANCE, 2.5), "guide": (GUIDANCE, 1.5), "guides": (GUIDANCE, 1.5),
    "procedures": (GUIDANCE, 2.0), "statutory": (GUIDANCE, 2.0), "advice": (GUIDANCE, 1.0),
    "policy": (GUIDANCE, 1.0), "tools": (TOOL, 2.0), "tool": (TOOL, 2.0),
    "templates": (TOOL, 2.5), "template": (TOOL, 2.5), "forms": (TOOL, 1.5),
    "checklist": (TOOL, 2.0), "checklists": (TOOL, 2.0), "toolkit": (TOOLKIT, 3.0),
    "toolkits": (TOOLKIT, 3.0), "training": (TRAINING, 2.5), "course": (TRAINING, 2.5),
    "courses": (TRAINING, 2.5), "elearning": (TRAINING, 2.5), "learning": (TRAINING, 0.5),
    "modules": (TRAINING, 1.5), "module": (TRAINING, 1.5), "whatson": (EVENT, 2.5), "workshops": (TRAINING, 1.5), "video": (VIDEO, 2.5),
    "videos": (VIDEO, 2.5), "watch": (VIDEO, 2.0), "films": (VIDEO, 2.0),
    "podcast": (PODCAST, 3.0), "podcasts": (PODCAST, 3.0), "episode": (PODCAST, 1.0),
    "events": (EVENT, 2.5), "event": (EVENT, 2.5), "conference": (EVENT, 2.0),
    "conferences": (EVENT, 2.0), "news": (OTHER, 2.0), "blog": (OTHER, 2.0),
    "blogs": (OTHER, 2.0), "press": (OTHER, 1.0),
}

#: Phrases in a title (weight as given) or a heading (half that), longest first.
_TITLE_PHRASES = [
    ("research briefing", RESEARCH, 3.0), ("evidence review", RESEARCH, 3.0),
    ("systematic review", RESEARCH, 3.0), ("rapid review", RESEARCH, 2.5),
    ("literature review", RESEARCH, 3.0), ("serious case review", RESEARCH, 2.0),
    ("practice review", RESEARCH, 1.5), ("assessment tool", TOOL, 3.0),
    ("screening tool", TOOL, 3.0), ("practice tool", TOOL, 3.0), ("recording template", TOOL, 3.0),
    ("assessment framework", TOOL, 2.0), ("assessment form", TOOL, 3.0),
    ("e-learning", TRAINING, 3.0), ("online course", TRAINING, 3.0),
    ("training course", TRAINING, 3.0), ("learning module", TRAINING, 3.0),
    ("practice guidance", GUIDANCE, 3.0), ("statutory guidance", GUIDANCE, 3.5),
    ("how to", GUIDANCE, 1.0), ("a guide", GUIDANCE, 2.0), ("guide to", GUIDANCE, 2.0),
    ("pocket guide", TOOL, 3.0), ("prompt card", TOOL, 3.0), ("direct work", TOOL, 2.0),
    ("resource pack", TOOLKIT, 3.0), ("information for professionals", GUIDANCE, 2.0),
    ("learning objectives", TRAINING, 3.0), ("check your learning", TRAINING, 3.0),
    ("module", TRAINING, 2.0), ("speakers", EVENT, 2.0), ("tickets", EVENT, 2.5),
    ("venue", EVENT, 2.0), ("agenda", EVENT, 1.5), ("programme highlights", EVENT, 3.0),
    ("book now", EVENT, 2.0), ("podcast", PODCAST, 3.0), ("episode", PODCAST, 1.5),
    ("webinar recording", VIDEO, 3.0), ("video", VIDEO, 2.5), ("animation", VIDEO, 2.0),
    ("film", VIDEO, 1.5), ("watch", VIDEO, 1.0), ("toolkit", TOOLKIT, 3.0),
    ("template", TOOL, 2.5), ("templates", TOOL, 2.5), ("checklist", TOOL, 2.5),
    ("tool", TOOL, 2.0), ("form", TOOL, 1.5), ("planner", TOOL, 1.5), ("worksheet", TOOL, 2.5),
    ("guidance", GUIDANCE, 2.5), ("guide", GUIDANCE, 2.0), ("procedures", GUIDANCE, 2.0),
    ("handbook", GUIDANCE, 2.0), ("advice", GUIDANCE, 1.0), ("protocol", GUIDANCE, 1.5),
    ("policy", GUIDANCE, 2.0), ("procedure", GUIDANCE, 2.0), ("manual", GUIDANCE, 1.5),
    ("cards", TOOL, 1.5), ("printable", TOOL, 1.5),
    ("research", RESEARCH, 2.0), ("study", RESEARCH, 2.0), ("evaluation", RESEARCH, 2.5),
    ("findings", RESEARCH, 2.0), ("briefing", RESEARCH, 1.5), ("report", RESEARCH, 2.0),
    ("survey", RESEARCH, 1.5), ("analysis", RESEARCH, 1.5), ("evidence", RESEARCH, 1.0),
    ("training", TRAINING, 2.5), ("course", TRAINING, 2.5), ("workshop", TRAINING, 1.5),
    ("masterclass", TRAINING, 2.0), ("conference", EVENT, 2.5), ("webinar", EVENT, 1.5),
    ("seminar", EVENT, 2.0), ("event", EVENT, 1.5), ("news", OTHER, 1.0),
]
_TITLE_RX = [(re.compile(rf"(?<![\w-]){re.escape(p)}s?(?![\w-])", re.I), t, w)
             for p, t, w in _TITLE_PHRASES]

#: Phrases near the top of the text, with their weight.
_TEXT_PHRASES = [
    (r"learning outcomes|by the end of (?:this|the) (?:course|session|module)", TRAINING, 2.0),
    (r"book (?:your|a) place|register (?:now|here|your place)|buy tickets|places are limited|"
     r"registration (?:is )?required|free to attend|delegates|speakers include", EVENT, 2.0),
    # A time of day from and to ("10:00–11:30", "9.30am - 4pm"): a session's times.
    (r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s*(?:–|-|to)\s*\d{1,2}(?:[:.]\d{2})\s*(?:am|pm)?\b",
     EVENT, 1.5),
    (r"listen (?:to|now|on)|subscribe (?:on|wherever)|in this episode", PODCAST, 2.0),
    (r"watch (?:the|this) (?:video|film|recording)|video transcript|duration: \d", VIDEO, 1.5),
    (r"download (?:the|this) (?:template|form|tool)|fill in|complete (?:the|this) form|"
     r"tick (?:the|each|all)|print (?:the|this|these|out)", TOOL, 1.5),
    (r"\bmethod(?:ology|s)\b|\bparticipants\b|\binterviews? with\b|we found|"
     r"key findings|\bsample of\b", RESEARCH, 1.5),
    (r"statutory dut(?:y|ies)|you should|practitioners should|your dut(?:y|ies)|"
     r"the law requires", GUIDANCE, 1.0),
    (r"learning objectives|check your learning|reflection questions|certificate of completion|"
     r"\bquiz\b", TRAINING, 2.0),
    (r"what you need|how it works|worksheet|printable", TOOL, 1.0),
]

#: What a page says of itself ("This guidance is for...", "Our new research report..."):
#: the kind it names, near the top of its text.
_SELF_WORDS = {
    "guidance": GUIDANCE, "guide": GUIDANCE, "report": RESEARCH, "research report": RESEARCH,
    "study": RESEARCH, "review": RESEARCH, "briefing": RESEARCH, "toolkit": TOOLKIT,
    "collection": TOOLKIT, "resource pack": TOOLKIT, "set of tools": TOOLKIT,
    "tool": TOOL, "template": TOOL, "worksheet": TOOL, "checklist": TOOL,
    "course": TRAINING, "module": TRAINING, "e-learning": TRAINING,
    "podcast": PODCAST, "episode": PODCAST, "video": VIDEO, "film": VIDEO,
    "conference": EVENT, "seminar": EVENT, "event": EVENT, "workshop": TRAINING,
}
_SELF_RX = re.compile(
    r"\b(?:this |our (?:new |latest )?|the following |a simple |a short |a practical )"
    r"(?:[\w-]+ ){0,2}?(" + "|".join(sorted((re.escape(w) for w in _SELF_WORDS), key=len,
                                            reverse=True)) + r")s?\b", re.I)
#: The page of an event that is over, with its recording to watch.
_PAST_EVENT = re.compile(r"has now taken place|took place on|if you missed|"
                         r"watch the (?:full )?recording|catch up on", re.I)
#: Kinds of thing a collection gathers; three or more named near the top: a toolkit.
_PARTS = re.compile(r"self-assessment|checklists?|templates?|case stud(?:y|ies)|worksheets?|"
                    r"activities|surveys?|briefings?|tools\b|guides?\b|videos?\b|"
                    r"posters?|leaflets?|prompt cards?|plans?\b", re.I)
#: "must" and "should" this often near the top: the page tells people what to do.
_MODALS = re.compile(r"\b(?:must|should)\b", re.I)
_TEXT_RX = [(re.compile(p, re.I | re.S), t, w) for p, t, w in _TEXT_PHRASES]


@dataclass
class TypeGuess:
    type: str | None  # None: nothing to go on
    sureness: float = 0.0  # 0..1
    evidence: list[str] = field(default_factory=list)  # for the leading type, plain words


@dataclass
class Evidence:
    """What a page shows about its kind, gathered from its HTML (or PDF)."""

    url: str = ""
    kind: str = "html"  # "html", "pdf" or "other"
    content_type: str | None = None
    title: str | None = None
    site: str | None = None
    headings: list[str] = field(default_factory=list)
    ld_types: list[str] = field(default_factory=list)
    og_type: str | None = None
    citation: bool = False
    players: set[str] = field(default_factory=set)  # "video", "audio"
    text: str = ""


def sureness_words(sureness: float | None) -> str:
    """How a person sees the sureness of a guess."""
    if sureness is None:
        return ""
    if sureness >= 0.75:
        return "fairly sure"
    if sureness >= 0.55:
        return "likely"
    return "a guess"


def _host_matches(host: str, names: tuple[str, ...]) -> bool:
    return any(host == h or host.endswith("." + h) for h in names)


def guess(ev: Evidence) -> TypeGuess:
    score: dict[str, float] = defaultdict(float)
    why: dict[str, list[str]] = defaultdict(list)

    def vote(kind: str, weight: float, reason: str) -> None:
        score[kind] += weight
        if reason not in why[kind]:
            why[kind].append(reason)

    parts = urlsplit(ev.url or "")
    host = (parts.hostname or "").lower()
    if _host_matches(host, _VIDEO_HOSTS):
        vote(VIDEO, 4.0, f"it is on {host}")
    if _host_matches(host, _PODCAST_HOSTS):
        vote(PODCAST, 4.0, f"it is on {host}")
    if _host_matches(host, _EVENT_HOSTS):
        vote(EVENT, 4.0, f"it is on {host}")
    words = re.split(r"[/\-_.+]+", unquote(parts.path).lower())
    seen_path: set[str] = set()
    for w in words:
        hit = _PATH_WORDS.get(w.replace("-", ""))
        if hit and w not in seen_path:
            seen_path.add(w)
            vote(hit[0], hit[1], f"its address has “{w}”")
    for t in ev.ld_types:
        hit = _LD_TYPES.get(t.lower())
        if hit:
            vote(hit[0], hit[1], f"the page describes itself as a {t}")
    og = (ev.og_type or "").lower()
    if og.startswith("video"):
        vote(VIDEO, 3.5, "the page describes itself as a video")
    elif og.startswith("music") or "podcast" in og:
        vote(PODCAST, 3.0, "the page describes itself as audio")
    elif og == "event":
        vote(EVENT, 3.0, "the page describes itself as an event")
    if ev.citation:
        vote(RESEARCH, 3.0, "it has a journal article's citation details")
    _phrases(ev.title or "", 1.0, "its title", vote)
    for h in ev.headings[:6]:
        _phrases(h, 0.5, "a heading", vote)
    if "video" in ev.players:
        vote(VIDEO, 2.0, "it has a video player")
    if "audio" in ev.players:
        vote(PODCAST, 2.5, "it has an audio player")
    head = ev.text[:2000]
    for rx, kind, weight in _TEXT_RX:
        m = rx.search(head)
        if m:
            vote(kind, weight, f"its text says “{' '.join(m.group(0).split())[:40]}”")
    past = "video" in ev.players and _PAST_EVENT.search(head)
    if past:
        vote(VIDEO, 2.5, "it is the recording of an event that is over")
    for m in _SELF_RX.finditer(head[:1200]):
        kind = _SELF_WORDS[m.group(1).lower()]
        if past and kind == EVENT:
            continue  # "this event has now taken place": what is left is the recording
        vote(kind, 2.0, f"it calls itself “{' '.join(m.group(0).split())[:40].lower()}”")
        break  # the first it says of itself
    parts = {p.lower().rstrip("s") for p in _PARTS.findall(head[:1500])}
    if len(parts) >= 4:
        vote(TOOLKIT, 2.5, f"it gathers {len(parts)} kinds of resource")
    modals = len(_MODALS.findall(head))
    if modals >= 2:
        vote(GUIDANCE, 0.5 * min(modals, 4), "it says what people must or should do")
    if ev.site:
        _phrases(ev.site, 0.5, "the site's name", vote)
    ct = (ev.content_type or "").lower()
    if ev.kind == "pdf":
        vote(RESEARCH, 0.75, "it is a PDF document")
    elif "word" in ct or "opendocument.text" in ct or "spreadsheet" in ct or "excel" in ct:
        vote(TOOL, 1.5, "it is a document to fill in")
    if not score:
        return TypeGuess(None)
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    top, weight = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if weight < MIN_WEIGHT or weight - second < 0.25:
        return TypeGuess(None, 0.0, why[top])
    sureness = round(weight / (weight + second + 1.0), 2)
    return TypeGuess(top, sureness, why[top])


def _phrases(text: str, scale: float, where: str, vote) -> None:
    """Vote for the phrases in *text*; a longer phrase hides the words inside it."""
    taken: list[tuple[int, int]] = []
    for rx, kind, weight in _TITLE_RX:
        for m in rx.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            vote(kind, weight * scale, f"{where} says “{m.group(0).lower()}”")
            break


# ------------------------------------------------------------------ reading a page

_PLAYER_VIDEO = re.compile(r"youtube|youtu\.be|vimeo|brightcove|jwplayer|wistia|kaltura", re.I)
_PLAYER_AUDIO = re.compile(r"soundcloud|spotify|podbean|buzzsprout|anchor\.fm|acast|libsyn|"
                           r"captivate|audioboom|simplecast|megaphone", re.I)


def evidence_from_html(root: etree._Element, url: str, title: str | None,
                       ld_types: list[str], og_type: str | None, citation: bool,
                       site: str | None = None) -> Evidence:
    """The evidence in a parsed page (``root`` is not changed)."""
    headings: list[str] = []
    players: set[str] = set()
    for el in root.iter("h1", "h2", "video", "audio", "iframe", "source"):
        if el.tag in ("h1", "h2"):
            if len(headings) < 8:
                t = " ".join(" ".join(el.itertext()).split())
                if t and len(t) < 200:
                    headings.append(t)
        elif el.tag == "video":
            players.add("video")
        elif el.tag == "audio":
            players.add("audio")
        else:
            src = el.get("src") or el.get("data-src") or ""
            if _PLAYER_VIDEO.search(src):
                players.add("video")
            elif _PLAYER_AUDIO.search(src):
                players.add("audio")
    return Evidence(url=url, kind="html", title=title, site=site, headings=headings,
                    ld_types=ld_types,
                    og_type=og_type, citation=citation, players=players)
