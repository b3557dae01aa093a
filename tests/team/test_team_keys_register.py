"""Keys live in the person's config folder, readable only by them; the register is read,
compared with the library and adopted; work queues while the team folder is away."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from curator.library import Library
from curator.team import keys, register
from tests.team.conftest import EXPERT, LEAD, clip


def test_the_key_is_made_once_in_the_config_folder_and_only_its_owner_may_read_it(team):
    expert, lead, folder = team
    path = expert.config / "team" / "signing-key.pem"
    assert path.is_file()
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    expert.use()
    assert keys.load().public == keys.load().public  # the same key each time
    for place in (expert.library, lead.library, folder):
        assert not any(p.name.endswith(".pem") for p in place.rglob("*"))
    # A backup of the library never carries it either.
    expert.ok("backup")
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in expert.library.rglob("*")
                   if p.is_file())


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are a POSIX matter")
def test_a_key_file_others_could_read_is_made_private_again(team):
    expert, _, _ = team
    path = expert.config / "team" / "signing-key.pem"
    os.chmod(path, 0o644)
    expert.use()
    keys.load()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_register_lists_both_people_and_the_lead(team):
    expert, lead, folder = team
    reg = register.load(folder)
    assert sorted(p.name for p in reg.people) == [EXPERT, LEAD]
    assert reg.theme("DA").leads == [LEAD] and reg.theme("DA").four_eyes
    out = expert.ok("team", "register")
    assert "DA" in out and "leads Ben Lead" in out and "agrees with the register" in out


def test_differences_are_shown_then_adopted(team, tmp_path):
    expert, lead, folder = team
    lead.ok("team", "lead", "NEG", LEAD)
    expert.use()
    with Library.open(expert.library) as lib:
        lib.act_as(EXPERT)
        lib.set_theme_role("CSA", EXPERT, "lead")  # a lead here, not in the register
    out = expert.ok("team", "register")
    assert "Make Ben Lead a lead of NEG." in out
    assert "Asha Patel leads CSA here" not in out  # themes the register lacks stay as they are
    out = expert.ok("team", "adopt")
    assert "Make Ben Lead a lead of NEG." in out
    assert "agrees with the register" in expert.ok("team", "register")
    neg = expert.json("themes", "list")
    assert any(t["code"] == "NEG" and LEAD in t["leads"] for t in neg)


def test_the_keeper_names_a_deputy_and_each_library_adopts_the_role(team):
    expert, lead, folder = team
    out = lead.ok("team", "deputy", "DA", EXPERT)
    assert "Leads of DA in the team register: Ben Lead; deputies: Asha Patel." in out
    reg = register.load(folder)
    assert reg.theme("DA").deputies == [EXPERT] and reg.theme("DA").leads == [LEAD]
    out = expert.ok("team", "register")
    assert "Make Asha Patel a deputy of DA." in out
    expert.ok("team", "adopt")
    da = next(t for t in expert.json("themes", "list") if t["code"] == "DA")
    assert (da["leads"], da["deputies"]) == ([LEAD], [EXPERT])
    # The only lead cannot be made a deputy: the theme would have no one to appoint.
    code, _, err = lead("team", "deputy", "DA", LEAD)
    assert code != 0 and "Ben Lead is the only lead of DA" in err
    assert register.load(folder).theme("DA").leads == [LEAD]


def test_a_broken_register_is_named_and_nothing_is_taken_in(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/a", "A page")
    expert.ok("submit", rid)
    (folder / "team.json").write_text("{not json")
    code, out, err = lead("team", "sync")
    assert "cannot be read" in out
    assert lead.json("team", "awaiting") == []


def test_submissions_queue_while_the_team_folder_is_away_and_go_when_it_is_back(team):
    expert, lead, folder = team
    away = folder.with_name("team-away")
    folder.rename(away)
    rid = clip(expert, "https://example.org/offline", "Written on the train")
    expert.ok("submit", rid)        # the submit itself works offline
    out = expert.ok("team", "status")
    assert "cannot be reached" in out and "1 file waits to go out" in out
    out = expert.ok("team", "sync")
    assert "cannot be reached right now" in out and "nothing is lost" in out
    away.rename(folder)
    out = expert.ok("team", "sync")
    assert "Sent for approval: “Written on the train”" in out
    assert "Awaiting your approval: “Written on the train”" in lead.ok("team", "sync")
    # Decisions queue too: the lead decides offline and the file goes out later.
    folder.rename(away)
    lead.ok("approve", rid)
    assert "1 file waits to go out" in lead.ok("team", "status")
    away.rename(folder)
    lead.ok("team", "sync")
    assert "approved by Ben Lead" in expert.ok("team", "sync")


def test_a_library_not_yet_in_the_register_works_as_before(tmp_path, monkeypatch, capsys):
    from tests.team.conftest import Person

    folder = tmp_path / "team"
    folder.mkdir()
    alone = Person(LEAD, tmp_path / "ben", monkeypatch, capsys)
    alone.ok("team", "set", str(folder))
    alone.ok("themes", "lead", "DA", LEAD)
    rid = clip(alone, "https://example.org/a", "A page")
    alone.ok("submit", rid)
    alone.ok("approve", rid)  # no register yet: the library's own rules, as before
    assert alone.json("show", rid)["status"] == "approved"
    assert "You have no signing key yet: run 'curator team join'." in alone.ok("team", "status")
