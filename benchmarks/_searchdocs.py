"""Deterministic synthetic resources for the search benchmarks.

Plausible children's-social-care-flavoured English: a core vocabulary of real
domain and function words, a long Zipfian tail of made-up words (so rare-word
queries behave like rare words), and common domain phrases sprinkled through
sentences so phrase queries have realistic positional work to do. Fixed seed:
the same N always gives the same documents.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

THEMES = ["DA", "NEG", "CSE", "CCE", "FII", "CSA", "MH", "SEND", "LAC", "EH", "YP", "SUB"]
TYPES = ["research", "guidance", "practice tool", "training", "video", "podcast",
         "event", "toolkit", "other"]
STATUSES = ["draft", "submitted", "approved", "approved", "approved", "retired"]
EXPERTS = ["Amira Khan", "Ben Okafor", "Cath Doyle", "Dev Patel", "Ellie Morgan",
           "Finn Walsh", "Grace Lee", "Hannah Price"]
SITES = ["www.gov.uk", "www.nspcc.org.uk", "www.researchinpractice.org.uk",
         "www.ofsted.gov.uk", "www.scie.org.uk", "www.barnardos.org.uk",
         "learning.nspcc.org.uk", "www.childrenscommissioner.gov.uk", "www.ncb.org.uk"]
PHRASES = [
    "child protection", "child protection plan", "domestic abuse", "domestic violence",
    "looked after children", "care leavers", "early help", "neglect", "safeguarding partners",
    "serious case review", "section 47 enquiry", "strategy discussion", "parental mental health",
    "substance misuse", "child sexual exploitation", "county lines", "criminal exploitation",
    "fabricated or induced illness", "coercive control", "contextual safeguarding",
    "multi-agency working", "direct work", "lived experience", "family group conference",
    "relationship-based practice", "trauma-informed practice", "attachment", "young carers",
    "missing from home", "private fostering", "special guardianship", "kinship care",
    "child in need", "threshold document", "signs of safety", "voice of the child",
]
CORE = """
child children young people family families parent parents carer carers social worker
workers practice practitioner practitioners safeguarding abuse harm risk assessment plan
support services local authority agency agencies school health police court evidence
research study review findings report guidance practice model intervention outcomes
need needs home care placement foster residential adoption contact relationship
relationships trauma wellbeing development education emotional physical sexual
neglect exploitation violence mental substance alcohol drugs poverty housing
community team manager supervision decision making thresholds referral referrals
meeting conference plan plans review reviews case cases record records analysis
understanding experience experiences voice views wishes feelings rights
""".split()
FUNCTION = """
the of and to in a for is that on with as are be by this it from at or an was
which can their have has not more they these also been may other into who when
""".split()
SYLL = ["ka", "lo", "mi", "ren", "sto", "va", "bel", "dor", "fin", "gra", "hul", "jes",
        "mor", "nat", "pel", "quo", "ris", "tan", "ul", "wex", "yor", "zim", "ard", "est"]


def _tail_words(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        w = "".join(rng.choice(SYLL) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


class Generator:
    """Builds resources one at a time; the vocabulary is fixed per seed."""

    def __init__(self, seed: int = 1234, tail: int = 40_000) -> None:
        self.rng = random.Random(seed)
        tailw = _tail_words(self.rng, tail)
        self.vocab = FUNCTION + CORE + tailw
        # Zipf (s=1) weights over the ranked vocabulary.
        self.cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(self.vocab))))
        self.tail = tailw

    def sentence(self, rng: random.Random) -> str:
        words = rng.choices(self.vocab, cum_weights=self.cum, k=rng.randint(8, 22))
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def text(self, rng: random.Random, n_words: int) -> str:
        out: list[str] = []
        count = 0
        while count < n_words:
            s = self.sentence(rng)
            out.append(s)
            count += s.count(" ") + 1
        return " ".join(out)

    def doc(self, i: int) -> dict:
        rng = random.Random(i * 7919 + 17)
        core = self.vocab[len(FUNCTION):len(FUNCTION) + 200]
        title_words = rng.choices(core, k=rng.randint(3, 7))
        title = " ".join([rng.choice(PHRASES).capitalize(), *title_words])
        year = rng.randint(2005, 2026)
        return {
            "id": f"doc-{i:06d}",
            "title": title,
            "summary": " ".join(self.sentence(rng) for _ in range(2)),
            "notes": self.sentence(rng) if rng.random() < 0.4 else "",
            "tags": rng.sample(PHRASES, rng.randint(1, 4)),
            "themes": rng.sample(THEMES, rng.randint(1, 3)),
            "site": rng.choice(SITES),
            "author": rng.choice(["", "Department for Education", "J. Smith", "Ofsted",
                                  "NSPCC Learning", "A. Brown"]),
            "type": rng.choice(TYPES),
            "status": rng.choice(STATUSES),
            "expert": rng.choice(EXPERTS),
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "review_due": f"{rng.randint(2024, 2028)}-{rng.randint(1, 12):02d}-01",
            "clipped": f"{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}-"
                       f"{rng.randint(1, 28):02d}T10:00:00",
            "text": self.text(rng, int(rng.gauss(1500, 300))),
        }

    def docs(self, n: int) -> Iterator[dict]:
        for i in range(n):
            yield self.doc(i)
