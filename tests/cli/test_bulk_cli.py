"""Several ids at once on the command line (issue 17): edit, submit, approve, confirm and
retire take one or more; each resource is checked by the rules, refusals are listed with
the reason on stderr and the exit status says some were not done."""

import json

import pytest


@pytest.fixture
def clipped(cli):
    assert cli("--as", "Sam Patel", "themes", "lead", "DA", "Sam Patel")[0] == 0
    assert cli("--as", "Sam Patel", "experts", "add", "Priya Shah")[0] == 0
    ids = []
    for n in range(3):
        code, out, err = cli("--as", "Priya Shah", "--json", "clip", "--no-fetch",
                             f"https://example.org/guide-{n}")
        assert code == 0, err
        ids.append(json.loads(out)["id"])
    return ids


def show(cli, rid):
    code, out, _ = cli("--json", "show", rid)
    assert code == 0
    return json.loads(out)


def test_edit_adds_a_theme_and_tags_and_sets_the_type_of_several(cli, clipped):
    short = [rid[:8] for rid in clipped]
    code, out, err = cli("--as", "Priya Shah", "edit", *short, "--add-theme", "DA",
                         "--add-tag", "MARAC", "--type", "guidance")
    assert code == 0, err
    assert "3 given the theme DA." in out and "3 tagged MARAC." in out
    assert "3 given the type guidance." in out
    for rid in clipped:
        r = show(cli, rid)
        assert r["themes"] == ["DA"] and r["tags"] == ["MARAC"] and r["type"] == "guidance"
    code, _, err = cli("edit", *short, "--title", "Same title for all")
    assert code == 1 and "Give one id to change anything else" in err
    assert show(cli, clipped[0])["title"] != "Same title for all"
    # One id still works as it always did.
    assert cli("edit", short[0], "--title", "Only this one")[0] == 0
    assert show(cli, clipped[0])["title"] == "Only this one"


def test_submit_and_approve_several_list_the_refusals(cli, clipped):
    cli("--as", "Priya Shah", "edit", *clipped[:2], "--add-theme", "DA")
    code, out, err = cli("--as", "Priya Shah", "submit", *clipped)
    assert code == 0 and "3 submitted." in out, err
    code, out, err = cli("--as", "Priya Shah", "approve", *clipped)
    assert code == 1 and "0 approved. 3 were not" in out
    assert err.count("Not done:") == 3 and "Only a lead or deputy of DA" in err
    code, out, err = cli("--as", "Sam Patel", "--json", "approve", *clipped)
    result = json.loads(out)
    assert code == 1 and result["done"] == clipped[:2]
    assert result["refused"][0]["id"] == clipped[2]
    assert "no theme" in result["refused"][0]["reason"]
    assert [show(cli, rid)["status"] for rid in clipped] == ["approved", "approved",
                                                            "submitted"]


def test_confirm_and_retire_several(cli, clipped):
    code, out, err = cli("--as", "Sam Patel", "confirm", *clipped, "--note", "Looked again")
    assert code == 0 and "3 confirmed as still valid." in out, err
    assert all(show(cli, rid)["last_reviewed"] for rid in clipped)
    code, out, err = cli("--as", "Sam Patel", "retire", *clipped, "--reason", "Out of date")
    assert code == 0 and "3 retired." in out, err
    assert {show(cli, rid)["status"] for rid in clipped} == {"retired"}
    code, out, err = cli("--as", "Sam Patel", "confirm", *clipped[:2])
    assert code == 1 and err.count("This resource is retired") == 2


def test_themes_retire_restart_and_history(cli):
    assert cli("--as", "Sam Patel", "themes", "add", "SH", "Self-harm")[0] == 0
    code, out, err = cli("--as", "Sam Patel", "themes", "retire", "SH")
    assert code == 0, err
    _, out, _ = cli("themes", "list")
    assert "SH" in out and "(retired)" in out
    code, out, err = cli("--as", "Sam Patel", "themes", "lead", "SH", "Sam Patel")
    code, _, err = cli("--as", "Sam Patel", "themes", "remove", "SH", "Sam Patel")
    assert code == 4 and "only lead of SH" in err
    assert cli("--as", "Sam Patel", "themes", "restart", "SH")[0] == 0
    code, out, _ = cli("--json", "themes", "history", "SH")
    words = [c["words"] for c in json.loads(out)]
    assert words == ["Sam Patel added the theme", "Sam Patel retired the theme",
                     "Sam Patel made Sam Patel a lead", "Sam Patel restarted the theme"]
    _, out, _ = cli("themes", "history", "SH")
    assert out.splitlines()[-1].endswith("  Sam Patel restarted the theme")
