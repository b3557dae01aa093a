"""A theme keeps a lead (issue 17): its only active lead cannot be taken off it or made
a member; the refusal says what to do first."""

import pytest

from curator.base.errors import NotAllowed


def test_the_only_lead_stays_until_someone_else_leads(library):
    library.add_expert("Priya Shah")
    library.set_theme_role("DA", "Alex Lead", "lead")
    for role in (None, "member"):
        with pytest.raises(NotAllowed, match="only lead of DA.*Make someone else a lead"):
            library.set_theme_role("DA", "Alex Lead", role)
    assert library.theme("DA").leads == ["Alex Lead"]
    library.set_theme_role("DA", "Priya Shah", "lead")
    assert library.set_theme_role("DA", "Alex Lead", "member").leads == ["Priya Shah"]
    history = library.theme_history("DA")
    assert [(h["expert"], h["detail"]) for h in history[-2:]] == [
        ("Alex Lead", {"expert": "Priya Shah", "role": "lead"}),
        ("Alex Lead", {"expert": "Alex Lead", "role": "member"})]
    assert all(h["at"] for h in history)


def test_a_themes_history_reads_as_sentences(library):
    library.add_theme("SH", "Self-harm", review_months=6)
    library.edit_theme("SH", name="Self-harm and suicide", evidence_years=None,
                       four_eyes=True)
    library.set_theme_role("SH", "Alex Lead", "lead")
    library.retire_theme("SH")
    words = [h["words"] for h in library.theme_history("SH")]
    assert words == [
        "Alex Lead added the theme",
        "Alex Lead old evidence after 5 years → no limit; turned four eyes on; renamed it "
        "from “Self-harm” to “Self-harm and suicide”",
        "Alex Lead made Alex Lead a lead",
        "Alex Lead retired the theme"]
