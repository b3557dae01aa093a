"""Nothing is trusted blindly: each hostile file is refused with a plain reason, and the
library does not change."""

from __future__ import annotations

import json
import os

import pytest

from curator.library import Library
from curator.team import keys, register, sealed, submissions
from tests.team.conftest import LEAD, clip, status_of


def _sent(team):
    """The expert's resource, submitted and taken in by the lead."""
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.ok("submit", rid)
    lead.ok("team", "sync")
    return rid


def _snapshot(person):
    person.use()
    with Library.open(person.library) as lib:
        db = lib.store.db
        return (db.execute("SELECT count(*) FROM events").fetchone()[0],
                [tuple(r) for r in db.execute("SELECT id, status, version FROM resources")],
                db.execute("SELECT count(*) FROM team_received").fetchone()[0])


def _decision(lead, rid, **changes):
    """A decision on the expert's open submission, signed by the lead's own key."""
    lead.use()
    with Library.open(lead.library) as lib:
        row = dict(lib.store.query_one("SELECT * FROM team_inbox WHERE resource_id = ?",
                                       (rid,)))
    key = keys.load()
    body = sealed.new_body("decision", key, LEAD, to=[row["sender_key"]],
                           submission=row["submission_id"], resource_id=rid,
                           outcome="approved", reason="",
                           content_fingerprint=row["content_fingerprint"], title="t")
    body.update(changes)
    return key, body


def _drop(folder, name, text):
    path = folder / "decisions" / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(expert, name, words):
    code, out, _ = expert("team", "sync")
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith(f"Refused {name}"))
    assert words in line and "Nothing was changed" in line


@pytest.mark.parametrize("case", ["unsigned", "altered", "unknown key", "to someone else",
                                  "links elsewhere"])
def test_a_hostile_decision_changes_nothing(team, case, tmp_path):
    expert, lead, folder = team
    rid = _sent(team)
    key, body = _decision(lead, rid)
    text = sealed.seal(key, body)
    before = _snapshot(expert)
    if case == "unsigned":
        data = json.loads(text)
        del data["signature"]
        _drop(folder, "evil.json", json.dumps(data))
        _refused(expert, "evil.json", "it is not signed")
    elif case == "altered":
        _drop(folder, "evil.json", text.replace('"reason": ""', '"reason": "x"'))
        _refused(expert, "evil.json", "changed after it was signed")
    elif case == "unknown key":
        lead._mp.setenv("CURATOR_CONFIG_DIR", str(tmp_path / "stranger"))
        stranger = keys.load()
        body["from"] = {"name": LEAD, "key": stranger.public}
        _drop(folder, "evil.json", sealed.seal(stranger, body))
        _refused(expert, "evil.json", "signed by a key that is not in the team register")
    elif case == "to someone else":
        body["to"] = [key.public]
        _drop(folder, "evil.json", sealed.seal(key, body))
        _refused(expert, "evil.json", "addressed to someone else")
    else:
        outside = tmp_path / "outside.json"
        outside.write_text(text, encoding="utf-8")
        os.symlink(outside, folder / "decisions" / "evil.json")
        expert.ok("team", "sync")
    assert _snapshot(expert) == before
    assert status_of(expert, rid) == "submitted"


def test_a_replayed_decision_is_refused_and_applied_only_once(team):
    expert, lead, folder = team
    rid = _sent(team)
    lead.ok("send-back", rid, "--reason", "Needs a summary")
    expert.ok("team", "sync")
    expert.ok("edit", rid, "--summary", "Now with a summary")
    expert.ok("submit", rid)
    applied = next((folder / "decisions").iterdir())
    before = _snapshot(expert)
    (folder / "decisions" / "copy.json").write_bytes(applied.read_bytes())
    _refused(expert, "copy.json", "already applied")
    assert _snapshot(expert) == before
    assert status_of(expert, rid) == "submitted"


def test_a_decision_on_an_older_version_is_refused(team):
    expert, lead, folder = team
    rid = _sent(team)
    expert.ok("edit", rid, "--title", "Safety planning, second thoughts")
    expert.ok("team", "sync")  # sends the new version
    lead.ok("approve", rid)    # the lead has not synced: approves what they were sent first
    before = _snapshot(expert)
    code, out, _ = expert("team", "sync")
    assert code == 1
    assert "older than what this library holds" in out
    assert _snapshot(expert) == before
    # The lead takes in the new version; approving it again goes through.
    lead.ok("team", "sync")
    assert len(lead.json("team", "awaiting")) == 1


def test_a_submission_older_than_the_one_held_is_refused(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.ok("submit", rid)
    first = next((folder / "submissions").iterdir())
    held = first.read_bytes()
    first.unlink()                       # a slow sync client: the first copy arrives late
    expert.ok("edit", rid, "--title", "Safety planning, second version")
    expert.ok("team", "sync")
    lead.ok("team", "sync")
    before = _snapshot(lead)
    first.write_bytes(held)
    code, out, _ = lead("team", "sync")
    assert code == 1 and "older than the copy of this resource" in out
    assert _snapshot(lead) == before
    assert lead.json("show", rid)["title"] == "Safety planning, second version"


def test_a_half_copied_file_is_skipped_and_read_once_whole(team):
    expert, lead, folder = team
    rid = _sent(team)
    key, body = _decision(lead, rid)
    text = sealed.seal(key, body)
    path = _drop(folder, "arriving.json", text[: len(text) // 2])
    before = _snapshot(expert)
    out = expert.ok("team", "sync")
    assert "still being copied" in out
    assert _snapshot(expert) == before
    path.write_text(text, encoding="utf-8")
    out = expert.ok("team", "sync")
    assert "approved by Ben Lead" in out
    assert status_of(expert, rid) == "approved"


def test_a_tampered_submission_never_reaches_the_lead(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.ok("submit", rid)
    path = next((folder / "submissions").iterdir())
    path.write_text(path.read_text().replace("example.org/safety", "evil.example/safety"))
    before = _snapshot(lead)
    code, out, _ = lead("team", "sync")
    assert code == 1 and "changed after it was signed" in out
    assert _snapshot(lead) == before
    assert lead.json("team", "awaiting") == []


def test_the_lead_cannot_approve_their_own_submission_by_key(team):
    expert, lead, folder = team
    # The lead's own clip, sent from the lead's library: no one else may be bypassed.
    rid = clip(lead, "https://example.org/lead-own", "The lead's own find")
    code, _, err = lead("submit", rid)
    assert code == 0
    code, _, err = lead("approve", rid)
    assert code == 4 and "four eyes" in err


def test_a_submission_never_replaces_a_resource_of_the_leads_own(team):
    expert, lead, folder = team
    own = clip(lead, "https://example.org/lead-own", "The lead's own find")
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.use()  # a teammate signs a submission that names the lead's resource's id
    key = keys.load()
    with Library.open(expert.library) as lib:
        res = lib.get(rid)
        res.id = own
        reg = register.load(folder)
        body = submissions.build(lib.store.db, key, reg.by_key(key.public), res,
                                 [reg.by_name(LEAD).key])
    (folder / "submissions" / "forged.json").write_text(sealed.seal(key, body))
    before = _snapshot(lead)
    code, out, _ = lead("team", "sync")
    assert code == 1 and "a submission never replaces it" in out
    assert _snapshot(lead) == before
    assert lead.json("show", own)["title"] == "The lead's own find"


def test_a_linked_subfolder_is_not_followed(team, tmp_path):
    expert, lead, folder = team
    rid = _sent(team)
    key, body = _decision(lead, rid)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "decision.json").write_text(sealed.seal(key, body), encoding="utf-8")
    (folder / "decisions").rmdir()
    os.symlink(elsewhere, folder / "decisions")
    before = _snapshot(expert)
    expert.ok("team", "sync")
    assert _snapshot(expert) == before
    assert status_of(expert, rid) == "submitted"


def test_files_named_for_others_are_not_opened(team, monkeypatch):
    from curator.team import folder as team_folder
    from curator.team import sync

    expert, lead, folder = team
    _sent(team)
    (folder / "submissions" / "20261202T000000Z-submission-00000000-to-ffffffff.json") \
        .write_text("not even JSON")
    opened = []
    real = sync.sealed.read_path
    monkeypatch.setattr(sync.sealed, "read_path", lambda p: opened.append(p.name) or real(p))
    assert "Up to date" in lead.ok("team", "sync")
    assert opened == []
    assert team_folder.named_for_others("x-to-ffffffff.json", keys.load().public)


def test_a_signed_file_in_the_wrong_shape_is_refused(team):
    expert, lead, folder = team
    rid = _sent(team)
    key, body = _decision(lead, rid, outcome=["approved"], resource_id={"id": rid})
    before = _snapshot(expert)
    _drop(folder, "odd.json", sealed.seal(key, body))
    _refused(expert, "odd.json", "does not follow the team file format")
    assert _snapshot(expert) == before
