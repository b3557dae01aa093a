"""A clip's type is guessed from evidence, with how sure Curator is, and not at all when
there is nothing to go on."""

from __future__ import annotations

import json
from pathlib import Path

from curator.catalogue.vocab import TYPES
from curator.clipping.extract import extract
from curator.clipping.extract.typeguess import Evidence, guess, sureness_words
from tests.support.servers import serve

SET = Path(__file__).resolve().parent.parent / "fixtures" / "types"


def _labelled():
    for line in (SET / "labels.jsonl").read_text().splitlines():
        row = json.loads(line)
        body = (SET / row["file"]).read_bytes()
        yield row, extract(body, row["url"], row.get("content_type") or "text/html")


def test_the_labelled_set_is_guessed_right_at_least_85_percent_of_the_time():
    results = list(_labelled())
    assert len(results) >= 60
    assert {row["type"] for row, _ in results} <= set(TYPES)
    right = sum(1 for row, ex in results if ex.type_guess == row["type"])  # unsure = wrong
    assert right / len(results) >= 0.85
    wrong = [(row["file"], ex.type_guess) for row, ex in results
             if ex.type_guess not in (None, row["type"])]
    assert len(wrong) <= 3, wrong  # a confident wrong guess is worse than none


def test_every_guess_says_how_sure_it_is_and_why():
    for row, ex in _labelled():
        if ex.type_guess:
            assert 0 < ex.type_sureness <= 1, row["file"]
            assert ex.type_evidence, row["file"]
        else:
            assert ex.type_sureness is None and ex.type_evidence == []


def test_the_kinds_the_issue_found_under_other():
    briefing = guess(Evidence(url="https://www.example.org.uk/neglect.pdf", kind="pdf",
                              title="Neglect: research briefing"))
    template = guess(Evidence(url="https://www.example.org.uk/resources/recording",
                              title="Case recording template"))
    tool = guess(Evidence(url="https://www.example.org.uk/x", title="Neglect assessment tool"))
    report = guess(Evidence(url="https://www.example.org.uk/media/annual.pdf", kind="pdf",
                            title="Annual report of the safeguarding partnership"))
    assert [briefing.type, template.type, tool.type, report.type] == [
        "research", "practice tool", "practice tool", "research"]


def test_nothing_to_go_on_means_no_guess():
    assert guess(Evidence(url="https://www.example.org.uk/page/12", title="Welcome")).type is None
    page = (b"<html><head><title>Welcome</title></head><body><p>Hello and welcome to our "
            b"pages.</p></body></html>")
    ex = extract(page, "https://www.example.org.uk/page/12")
    assert ex.type_guess is None and ex.type_sureness is None


def test_sureness_in_words():
    assert sureness_words(0.9) == "fairly sure"
    assert sureness_words(0.6) == "likely"
    assert sureness_words(0.4) == "a guess"
    assert sureness_words(None) == ""


def _stored(library, rid):
    return library.store.db.execute("SELECT type, type_sureness FROM resources WHERE id = ?",
                                    (rid,)).fetchone()


def test_a_clip_keeps_the_guess_and_its_sureness(library, httpserver):
    url = serve(httpserver, "/resources/templates/chronology",
                (SET / "t01.html").read_bytes())
    r = library.clip(url).resource
    kind, sure = _stored(library, r.id)
    assert kind == "practice tool" and sure > 0.7
    plain = serve(httpserver, "/page/12", b"<html><head><title>Welcome</title></head><body>"
                  b"<p>Hello and welcome to our pages.</p></body></html>")
    r2 = library.clip(plain).resource
    assert tuple(_stored(library, r2.id)) == ("other", None)  # no guess: left for the expert
    chosen = serve(httpserver, "/videos/x", (SET / "v02.html").read_bytes())
    r3 = library.clip(chosen, type_="guidance").resource
    assert tuple(_stored(library, r3.id)) == ("guidance", None)  # the expert's choice stands


def test_an_expert_choosing_the_type_ends_the_guess(library, httpserver):
    url = serve(httpserver, "/resources/templates/chronology",
                (SET / "t01.html").read_bytes())
    r = library.clip(url).resource
    library.edit(r.id, {"type": "toolkit"})
    assert tuple(_stored(library, r.id)) == ("toolkit", None)


def test_what_a_page_says_of_itself_and_what_it_gathers_are_evidence():
    """Kinds that no structured data names: an event by its times and tickets, a page that
    calls itself guidance or a report, an event that is over with its recording, a
    collection of several kinds of resource (a toolkit, though not called one)."""
    seminar = guess(Evidence(url="https://www.example.ac.uk/whats-on/2025/a-talk/",
                             title="Poverty and protection",
                             text="When Tuesday 4 November 2025, 17:30–19:00, then drinks. "
                                  "Cost: free, registration required."))
    guidance = guess(Evidence(url="https://www.example.gov.uk/x", title="Private fostering",
                              text="This guidance is for teachers and GPs. It sets out your "
                                   "duty to tell the council."))
    report = guess(Evidence(url="https://www.example.org.uk/resource/x", title="Missing out",
                            text="This report uses data from every council in England."))
    recording = guess(Evidence(url="https://www.example.org.uk/events/webinar-x/",
                               title="Webinar recording: child-on-child abuse",
                               players={"video"},
                               text="This event has now taken place. Watch the recording "
                                    "above."))
    toolkit = guess(Evidence(url="https://www.example.org.uk/resources/digital",
                             title="Digital capabilities",
                             text="It includes a self-assessment, short activities, case "
                                  "studies, a checklist for employers and templates."))
    assert [seminar.type, guidance.type, report.type, recording.type, toolkit.type] == [
        "event", "guidance", "research", "video", "toolkit"]
    assert any("calls itself" in w for w in guidance.evidence)
    assert any("kinds of resource" in w for w in toolkit.evidence)
