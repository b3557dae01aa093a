"""A library the register marks as shared (issue 19, point 1): others work in it, each
with their own key locked by their passphrase; "Switch expert" asks for it. In any other
library there is one owner and no switching. Three people: Asha (expert) and Ben (lead,
keeps the register) from the shared fixture, and a duty desk's shared laptop where Cara,
a deputy of DA with no laptop of her own, works."""

from __future__ import annotations

import stat

import pytest

from curator.base.errors import NotAllowed
from curator.library import Library
from curator.team import keys, person_keys
from curator.team.person_keys import PassphraseNeeded

from .conftest import EXPERT, LEAD, Person, clip, status_of

DESK = "Duty Desk"
CARA = "Cara Doe"
PASS = "blue kettle on the stairs"


@pytest.fixture
def desk(team, tmp_path, monkeypatch, capsys):
    expert, lead, folder = team
    desk = Person(DESK, tmp_path / "desk", monkeypatch, capsys)
    desk.ok("team", "set", str(folder))
    desk.ok("team", "join", "--to", str(tmp_path / "desk-request.json"))
    lead.ok("team", "admit", str(tmp_path / "desk-request.json"), "--shared")
    monkeypatch.setenv("CURATOR_PASSPHRASE", PASS)
    out = desk.ok("team", "key", CARA, "--to", str(tmp_path / "cara-request.json"))
    assert f"{CARA}'s key is made" in out
    lead.ok("team", "admit", str(tmp_path / "cara-request.json"))
    lead.ok("team", "deputy", "DA", CARA)
    for person in (expert, desk):
        person.ok("team", "adopt")
    return expert, lead, desk, folder


def test_cara_works_on_the_shared_laptop_with_her_own_key(desk, monkeypatch):
    expert, lead, desk_, folder = desk
    # Her key is locked with her passphrase, in the desk's config folder only.
    desk_.use()
    path = person_keys.key_path(CARA)
    assert path.is_file() and str(desk_.config) in str(path)
    assert b"ENCRYPTED PRIVATE KEY" in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(desk_.library.rglob("*.pem"))

    rid = clip(expert, "https://example.org/desk", "Safety planning with families")
    expert.ok("submit", rid)
    expert.ok("team", "sync")
    # The desk's own key is not addressed: the submission waits for Cara, unopened.
    assert "Safety planning" not in desk_.ok("team", "sync")
    out = desk_.ok("team", "sync", as_name=CARA)
    assert "Awaiting your approval: “Safety planning with families” from Asha Patel" in out
    desk_.ok("approve", rid, as_name=CARA)
    desk_.ok("team", "sync", as_name=CARA)
    expert.ok("team", "sync")
    assert status_of(expert, rid) == "approved"
    history = expert.json("show", rid, "--history")["history"]
    assert any(h["action"] == "workflow.approved" and h["expert"] == CARA for h in history)


def test_a_wrong_or_missing_passphrase_is_refused_and_changes_nothing(desk, monkeypatch):
    expert, lead, desk_, folder = desk
    rid = clip(expert, "https://example.org/wrong", "Neglect toolkit")
    expert.ok("submit", rid)
    expert.ok("team", "sync")
    monkeypatch.setenv("CURATOR_PASSPHRASE", "not her passphrase")
    code, _, err = desk_("team", "sync", as_name=CARA)
    assert code == 4 and f"That passphrase does not open {CARA}'s key" in err
    monkeypatch.delenv("CURATOR_PASSPHRASE")
    code, _, err = desk_("approve", rid, as_name=CARA)  # no terminal here to ask in
    assert code == 1 and "This needs a passphrase" in err
    assert status_of(expert, rid) == "submitted"
    desk_.use()
    with Library.open(desk_.library) as lib:
        lib.act_as(DESK)
        assert lib.switch_needs_passphrase(CARA) and not lib.switch_needs_passphrase(DESK)
        with pytest.raises(PassphraseNeeded):
            lib.switch_expert(CARA)
        with pytest.raises(PassphraseNeeded) as nokey:
            lib.switch_expert("Dan Nobody", "whatever you like")
        assert not nokey.value.has_key
        assert lib.acting.name == DESK
        assert lib.switch_expert(CARA, PASS).name == CARA
        assert keys.load().public == lib.team_register().by_name(CARA).key
        assert lib.switch_expert(DESK).name == DESK  # the owner needs no passphrase
        assert keys.load().public == keys.own().public


def test_a_library_that_is_not_shared_has_one_owner(desk):
    expert, lead, desk_, folder = desk
    expert.use()
    with Library.open(expert.library) as lib:
        lib.act_as(EXPERT)
        assert not lib.switch_needs_passphrase(LEAD)
        with pytest.raises(NotAllowed, match=f"This library belongs to {EXPERT}"):
            lib.switch_expert(LEAD, "any passphrase at all")
        assert lib.acting.name == EXPERT
        assert lib.team_status()["shared"] is False
        code, _, err = expert("team", "key", CARA)
        assert code == 1 and "Only a shared library keeps keys" in err
    desk_.use()
    with Library.open(desk_.library) as lib:
        lib.act_as(DESK)
        assert lib.team_status()["shared"] is True
        lib.switch_expert(CARA, PASS)
        # After switching, the status still knows the library is shared.
        assert lib.team_status()["shared"] is True and lib.team_status()["me"] == CARA
        lib.sign_as_owner()


def test_switch_expert_in_the_app_asks_for_the_passphrase(desk, qtbot, settings, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from curator.ui.main_window import MainWindow

    expert, lead, desk_, folder = desk
    monkeypatch.delenv("CURATOR_PASSPHRASE")
    desk_.use()
    lib = Library.open(desk_.library)
    lib.act_as(DESK)
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.team_sync.label.text().startswith("Team:"), timeout=20000)
    assert win.act_switch_expert.isVisible()  # the register marks this library as shared

    asked: list[str] = []
    answers = iter(["not it at all", PASS])

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return next(answers), True
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (CARA, True))
    monkeypatch.setattr(QInputDialog, "getText", get_text)
    win.act_switch_expert.trigger()
    qtbot.waitUntil(lambda: lib.acting.name == CARA, timeout=10000)
    # Asked twice: the wrong passphrase was refused in words, then the right one taken.
    assert len(asked) == 2 and f"Type {CARA}'s passphrase" in asked[0]
    assert f"That passphrase does not open {CARA}'s key" in asked[1]
    assert keys.load().public == lib.team_register().by_name(CARA).key

    # Someone new to this laptop: Curator offers to make their key, and writes the request.
    answers = iter(["Eve Newcomer", "a long enough phrase", "a long enough phrase"])
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, t, l, items, *a, **k:
                        (items[-1], True))  # "Someone new…"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a:
                        told.append(text))
    win.act_switch_expert.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "Eve Newcomer's key is made" in told[0] and "Switch expert" in told[0]
    assert person_keys.has_key("Eve Newcomer")
    assert lib.acting.name == CARA  # nobody became Eve: she is not admitted yet
    win.close()
    lib.sign_as_owner()
    lib.close()
