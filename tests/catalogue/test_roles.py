"""Who may change who leads a theme (BAD-INPUTS: roles): making or unmaking a lead,
turning four eyes on or off and deactivating a lead need a lead of that theme; a theme
with no lead yet may get its first from anyone, so a new library can be set up."""

import json

import pytest

from curator.base.errors import NotAllowed
from curator.cli import main


@pytest.fixture
def staffed(library):
    """Alex Lead leads DA (four eyes on); Priya Shah and Jo Grant lead nothing."""
    for name in ("Priya Shah", "Jo Grant"):
        library.add_expert(name)
    library.set_theme_role("DA", "Alex Lead", "lead")  # DA had no lead: anyone may
    library.edit_theme("DA", four_eyes=True)
    return library


def test_a_theme_without_a_lead_takes_its_first_from_anyone(staffed):
    staffed.act_as("Priya Shah")
    assert staffed.set_theme_role("NEG", "Priya Shah", "lead").leads == ["Priya Shah"]
    staffed.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="Only a lead of NEG") as err:
        staffed.set_theme_role("NEG", "Jo Grant", "lead")
    assert "Ask Priya Shah" in err.value.message
    assert staffed.theme("NEG").leads == ["Priya Shah"]


def test_only_a_lead_makes_or_unmakes_a_lead(staffed):
    staffed.act_as("Priya Shah")
    with pytest.raises(NotAllowed, match="make Priya Shah a lead of it"):
        staffed.set_theme_role("DA", "Priya Shah", "lead")
    with pytest.raises(NotAllowed, match="take Alex Lead off as its lead"):
        staffed.set_theme_role("DA", "Alex Lead", None)
    with pytest.raises(NotAllowed):
        staffed.set_theme_role("DA", "Alex Lead", "member")
    assert staffed.theme("DA").leads == ["Alex Lead"]
    # Members have no powers of their own: anyone may add one.
    assert staffed.set_theme_role("DA", "Jo Grant", "member").members == ["Jo Grant"]
    staffed.act_as("Alex Lead")
    assert staffed.set_theme_role("DA", "Priya Shah", "lead").leads == [
        "Alex Lead", "Priya Shah"]
    staffed.act_as("Priya Shah")  # now a lead herself
    assert staffed.set_theme_role("DA", "Alex Lead", "member").leads == ["Priya Shah"]


def test_only_a_lead_turns_four_eyes_off(staffed):
    staffed.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="turn four eyes on or off"):
        staffed.edit_theme("DA", four_eyes=False)
    assert staffed.theme("DA").four_eyes is True
    # Other settings stay open to every expert.
    assert staffed.edit_theme("DA", review_months=6).review_months == 6
    staffed.act_as("Alex Lead")
    assert staffed.edit_theme("DA", four_eyes=False).four_eyes is False
    # A theme with no lead yet is set up by anyone.
    staffed.act_as("Jo Grant")
    assert staffed.edit_theme("NEG", four_eyes=True).four_eyes is True


def test_deactivating_a_lead_needs_a_lead_of_their_theme(staffed):
    staffed.act_as("Priya Shah")
    with pytest.raises(NotAllowed, match="deactivate Alex Lead, who leads it"):
        staffed.set_expert_active("Alex Lead", False)
    assert [e.active for e in staffed.experts() if e.name == "Alex Lead"] == [True]
    # An expert who leads nothing may be deactivated by anyone, as before.
    assert staffed.set_expert_active("Jo Grant", False).active is False
    staffed.act_as("Alex Lead")
    staffed.set_theme_role("DA", "Priya Shah", "lead")
    staffed.act_as("Priya Shah")
    assert staffed.set_expert_active("Alex Lead", False).active is False
    # Reactivating a lead gives back their say over DA: a lead of DA decides.
    staffed.add_expert("Sam Other")
    staffed.act_as("Sam Other")
    with pytest.raises(NotAllowed, match="reactivate Alex Lead"):
        staffed.set_expert_active("Alex Lead", True)


def test_a_theme_whose_only_lead_left_can_be_taken_on(staffed):
    staffed.set_expert_active("Alex Lead", False)  # Alex leaves, by his own hand
    staffed.act_as("Priya Shah")
    assert staffed.set_theme_role("DA", "Priya Shah", "lead").leads == [
        "Alex Lead", "Priya Shah"]


def test_the_rules_hold_through_the_command_line(tmp_path, capsys):
    lib = ["--library", str(tmp_path / "lib")]

    def run(*argv, expect=0):
        code = main([*lib, *argv])
        out, err = capsys.readouterr()
        assert code == expect, f"exit {code}\n{out}\n{err}"
        return out, err

    run("--as", "Sam Patel", "experts", "add", "Priya Shah")
    run("--as", "Sam Patel", "themes", "lead", "DA", "Sam Patel")
    run("--as", "Sam Patel", "themes", "edit", "DA", "--four-eyes")
    _, err = run("--as", "Priya Shah", "themes", "lead", "DA", "Priya Shah", expect=4)
    assert "Only a lead of DA can make Priya Shah a lead of it" in err
    assert "Ask Sam Patel" in err and "Traceback" not in err
    _, err = run("--as", "Priya Shah", "themes", "edit", "DA", "--no-four-eyes", expect=4)
    assert "turn four eyes on or off" in err
    _, err = run("--as", "Priya Shah", "experts", "deactivate", "Sam Patel", expect=4)
    assert "deactivate Sam Patel, who leads it" in err
    out, _ = run("--json", "themes", "list")
    da = next(t for t in json.loads(out) if t["code"] == "DA")
    assert da["leads"] == ["Sam Patel"] and da["four_eyes"] is True
    out, _ = run("--json", "experts", "list")
    assert all(e["active"] for e in json.loads(out))
    run("--as", "Sam Patel", "themes", "lead", "DA", "Priya Shah")
    run("--as", "Priya Shah", "themes", "edit", "DA", "--no-four-eyes")
