"""Releases: the exporter signs the bundle; `curator verify` checks it with the register."""

from __future__ import annotations

import json
import zipfile

from curator.library import Library
from tests.team.conftest import LEAD, clip, status_of


def _approved_by_lead(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.ok("submit", rid)
    lead.ok("team", "sync")
    lead.ok("approve", rid)
    expert.ok("team", "sync")
    return rid


def test_a_release_the_lead_exports_is_verified_with_only_the_register(team, tmp_path):
    expert, lead, folder = team
    _approved_by_lead(team)
    made = lead.json("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))
    bundle, signature = made["path"], made["signature"]
    assert signature == bundle + ".signature.json"
    # The portal team has no library: the register file is enough.
    code, out, err = lead("verify", bundle, "--register", str(folder / "team.json"))
    assert code == 0, out + err
    assert "Good:" in out and "the one resource in it was" in out and "Ben Lead" in out
    # Through the library's own team folder too.
    assert expert("verify", bundle)[0] == 0


def test_the_expert_can_release_what_the_lead_approved_by_its_signed_decision(team, tmp_path):
    expert, lead, folder = team
    _approved_by_lead(team)
    made = expert.json("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))
    verdict = json.loads(expert("verify", made["path"], "--json")[1])
    assert verdict["ok"] and verdict["checked"] == 1 and verdict["signed_by"] == "Asha Patel"


def test_a_bundle_changed_after_signing_is_refused(team, tmp_path):
    expert, lead, folder = team
    _approved_by_lead(team)
    made = lead.json("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))
    with zipfile.ZipFile(made["path"], "a") as zf:
        zf.writestr("extra.txt", "slipped in")
    code, out, _ = lead("verify", made["path"], "--register", str(folder / "team.json"))
    assert code == 1
    assert "Do not publish" in out and "changed after it was signed" in out


def test_the_registers_four_eyes_holds_even_where_a_library_turned_it_off(team, tmp_path):
    expert, lead, folder = team
    rid = clip(lead, "https://example.org/lead-own", "The lead's own find")
    lead.ok("themes", "edit", "DA", "--no-four-eyes")
    lead.ok("submit", rid)
    lead.ok("approve", rid)  # allowed by this library's own settings
    made = lead.json("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))
    code, out, _ = lead("verify", made["path"], "--register", str(folder / "team.json"))
    assert code == 1
    assert "four eyes: it was approved by the person who wrote it" in out


def test_an_approval_with_no_lead_signature_stops_the_release(team, tmp_path):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/switched", "Approved by switching expert")
    # Before the library had a team folder, anyone could "switch expert" and approve.
    expert.use()
    with Library.open(expert.library) as lib:
        kept = lib.team_folder()
        lib.set_setting("team.folder", None)
        lib.act_as(LEAD)
        lib.submit(rid)
        lib.approve(rid)
        lib.set_setting("team.folder", str(kept))
    code, out, err = expert("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))
    assert code == 1
    assert "no approval signed by a lead in the team register" in err
    assert "Approved by switching expert" in err and "Nothing was exported" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_with_a_team_folder_only_the_librarys_owner_may_approve(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/switched", "Approved by switching expert")
    expert.ok("submit", rid)
    code, _, err = expert("approve", rid, as_name=LEAD)
    assert code == 4
    assert "This library belongs to Asha Patel" in err
    assert status_of(expert, rid) == "submitted"
