import datetime as dt

import pytest

from curator.base import clock
from curator.base.errors import CuratorError, Duplicate, NotFound


def test_add_rename_deactivate_experts(library):
    library.add_expert("Priya Shah")
    with pytest.raises(Duplicate):
        library.add_expert("priya  shah")
    library.rename_expert("Priya Shah", "Priya Shah-Jones")
    assert "Priya Shah-Jones" in [e.name for e in library.experts()]
    library.set_expert_active("Priya Shah-Jones", False)
    inactive = [e for e in library.experts() if e.name == "Priya Shah-Jones"][0]
    assert not inactive.active
    with pytest.raises(CuratorError, match="no longer active"):
        library.act_as("Priya Shah-Jones")


def test_first_name_given_becomes_the_first_expert_and_is_remembered(tmp_path):
    from curator.library import Library

    with Library.open(tmp_path / "lib") as lib:
        with pytest.raises(CuratorError, match="who you are"):
            lib.act_as(None)
        lib.act_as("Sam Patel")
    with Library.open(tmp_path / "lib") as lib:
        assert lib.act_as(None).name == "Sam Patel"
        with pytest.raises(NotFound, match="curator experts add"):
            lib.act_as("Someone Else")


def test_themes_have_codes_intervals_leads_and_members(library):
    library.add_expert("Priya Shah")
    t = library.add_theme("PS", "Parental substance misuse", review_months=6, evidence_years=3,
                          four_eyes=True)
    assert (t.code, t.review_months, t.evidence_years, t.four_eyes) == ("PS", 6, 3, True)
    library.set_theme_role("ps", "Priya Shah", "lead")
    library.set_theme_role("PS", "Alex Lead", "member")
    t = library.theme("PS")
    assert t.leads == ["Priya Shah"] and t.members == ["Alex Lead"]
    library.set_theme_role("PS", "Alex Lead", None)
    assert library.theme("PS").members == []
    with pytest.raises(Duplicate):
        library.add_theme("ps", "Again")
    with pytest.raises(CuratorError, match="between 1 and 120 months"):
        library.edit_theme("PS", review_months=0)
    with pytest.raises(CuratorError, match="theme code"):
        library.add_theme("no spaces", "Bad code")


def test_starter_themes_are_editable(library):
    library.edit_theme("NEG", name="Neglect and poverty", review_months=24)
    t = library.theme("NEG")
    assert t.name == "Neglect and poverty" and t.review_months == 24


def test_review_due_uses_the_shortest_theme_interval(library, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 1, 10))
    library.edit_theme("DA", review_months=6)
    res = library.add_resource("https://example.org/a", title="A", themes_=["DA", "NEG"],
                               index=False)
    assert res.review_due == "2026-07-10"
    res = library.edit(res.id, {"themes": ["NEG"]})
    assert res.review_due[:4] == "2027"  # re-dated from the clip date with NEG's 12 months


def test_review_on_29_february_falls_due_on_28_february(library, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 2, 29))
    res = library.add_resource("https://example.org/leap", title="Leap", themes_=["DA"],
                               index=False)
    assert res.review_due == "2025-02-28"


def test_changing_a_theme_interval_redates_its_resources(library, monkeypatch):
    res = library.add_resource("https://example.org/a", title="A", themes_=["CSA"], index=False)
    clipped = dt.date.fromisoformat(res.clipped_at[:10])
    library.edit_theme("CSA", review_months=3)
    from dateutil.relativedelta import relativedelta
    assert library.get(res.id).review_due == (clipped + relativedelta(months=3)).isoformat()
