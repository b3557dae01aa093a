"""The team register is signed by its keeper (issue 19, point 6: nothing is trusted
blindly). Everyone in the service can write to the team folder, so an unsigned, altered
or otherwise-signed team.json must not let anyone name themselves a lead: each library
trusts the first keeper it sees and refuses, with nothing changed, a register that its
keeper did not sign."""

from __future__ import annotations

import json

import pytest

from curator.library import Library
from curator.team import keys, register

from .conftest import EXPERT, LEAD


def _forge(folder, *, sign_with=None, keep_signature=False):
    """Asha makes herself a lead of DA by editing team.json."""
    path = folder / "team.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    signed = data.pop("signed")
    da = next(t for t in data["themes"] if t["code"] == "DA")
    da["leads"].append(EXPERT)
    if keep_signature:
        data["signed"] = signed
    elif sign_with is not None:
        reg = register.parse(json.dumps(data))
        reg.sign(sign_with)
        path.write_text(reg.to_json(), encoding="utf-8")
        return
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _leads_here(person) -> list[str]:
    return next(t for t in person.json("themes", "list") if t["code"] == "DA")["leads"]


def test_the_register_is_signed_by_its_keeper(team):
    expert, lead, folder = team
    reg = register.load(folder)
    lead.use()
    assert reg.keeper == keys.own().public
    assert f"Kept by {LEAD}" in expert.ok("team", "register")
    # Only the keeper may change it: Asha's own command is refused, nothing written.
    before = (folder / "team.json").read_bytes()
    code, _, err = expert("team", "lead", "DA", EXPERT)
    assert code == 1 and f"kept by {LEAD}" in err
    assert (folder / "team.json").read_bytes() == before


@pytest.mark.parametrize("how, words", [
    ("unsigned", "no longer signed by its keeper"),
    ("altered", "changed after its keeper signed it"),
    ("other key", "signed by another key"),
])
def test_a_register_its_keeper_did_not_sign_changes_nothing(team, how, words):
    expert, lead, folder = team
    expert.use()
    forged_key = keys.own()  # Asha's own key, on her laptop
    _forge(folder, sign_with=forged_key if how == "other key" else None,
           keep_signature=how == "altered")
    for action in ("register", "adopt", "sync"):
        code, out, err = expert("team", action)
        assert words in out + err, (action, out, err)
    assert _leads_here(expert) == [LEAD]
    assert EXPERT not in _leads_here(lead)


def test_the_keeper_signs_a_hand_edit_and_a_new_keeper_needs_a_person_to_trust_them(team):
    expert, lead, folder = team
    path = folder / "team.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["service"] = "Children's Services, Northshire"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")  # edited by hand
    code, out, err = expert("team", "register")
    assert "changed after its keeper signed it" in out + err
    # Someone else cannot sign it in the keeper's place.
    code, _, err = expert("team", "sign")
    assert code == 1 and "only its keeper can sign it again" in err
    assert f"signed by {LEAD}" in lead.ok("team", "sign")
    assert "Northshire" in expert.ok("team", "register")

    # The portal hands the register to a new keeper (Asha): libraries refuse it until a
    # person who has checked says so.
    expert.use()
    reg = register.load(folder)
    reg.sign(keys.own())
    path.write_text(reg.to_json(), encoding="utf-8")
    code, out, err = lead("team", "register")
    assert "signed by another key" in out + err and "trust-keeper" in out + err
    assert "whom this library now trusts" in lead.ok("team", "trust-keeper")
    assert f"Kept by {EXPERT}" in lead.ok("team", "register")
    lead.use()
    with Library.open(lead.library) as lib:
        assert lib.team_register().keeper == reg.keeper
