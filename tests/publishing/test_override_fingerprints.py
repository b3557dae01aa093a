"""Going past a personal-data warning: only an approver, only with a reason, and only for
the exact text the override was given for."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from curator.base.errors import NotAllowed
from curator.publishing.bundles import read_bundle, write_bundle
from curator.publishing.workflow import PersonalDataFound
from tests.support import publishing as kit
from tests.support.publishing import approved, bundle_text, files_in, make_team, slip_in

PHONE_NOTE = "Call mum on 07700 900123 after school."
CASE_NOTE = f"Child A, NHS {kit.NHS_NUMBER}, DOB 01/02/2010, lives at M1 1AE."


@pytest.fixture
def team(library):
    make_team(library, themes=("DA", "NEG"))
    library.add_expert("Jo Grant")
    library.set_theme_role("NEG", "Jo Grant", "lead")
    library.set_theme_role("DA", "Jo Grant", None)
    library.set_theme_role("NEG", kit.LEAD, None)
    return library


def overridden(team, note=PHONE_NOTE):
    return approved(team, "https://example.org/a", "Guide", notes=note, override="Duty line")


def test_an_override_covers_only_the_text_it_was_given_for(team, tmp_path):
    r = overridden(team)
    first = team.export_bundle(["DA"], to=tmp_path / "1")  # the approval covers this text
    assert PHONE_NOTE in bundle_text(first.path)
    slip_in(team, r.id, notes=CASE_NOTE)                   # status stays approved
    with pytest.raises(PersonalDataFound) as err:
        team.export_bundle(["DA"], to=tmp_path / "2")
    assert sorted(h.kind for h in err.value.hits) == ["date_of_birth", "nhs_number", "postcode"]
    assert not (tmp_path / "2").exists()
    slip_in(team, r.id, notes=PHONE_NOTE)                  # back to exactly what was approved
    team.export_bundle(["DA"], to=tmp_path / "3")
    slip_in(team, r.id, title="Ring 07700 900456")         # a new find in another field
    with pytest.raises(PersonalDataFound, match="The title contains"):
        team.export_bundle(["DA"], to=tmp_path / "4")


def test_a_bundle_import_that_changes_the_note_needs_a_new_override(team, tmp_path):
    r = overridden(team)
    shared = read_bundle(team.export_bundle(["DA"], to=tmp_path / "shared").path)
    theirs = {**shared.resources[0], "notes": CASE_NOTE, "updated_at": "2099-01-01T00:00:00Z",
              "version": 9}
    incoming = write_bundle(tmp_path / "colleague", resources=[theirs], themes=shared.themes,
                            created_by="A Colleague", previous=None, library_id="colleague-lib",
                            now=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    report = team.import_bundle(incoming.path)
    assert report.updated == [r.id]
    assert team.get(r.id).notes == CASE_NOTE
    assert team.get(r.id).status == "submitted"            # an import never approves
    out = team.export_bundle(["DA"], to=tmp_path / "next")
    # The version a lead approved is what leaves until the imported change is approved.
    assert [x["notes"] for x in read_bundle(out.path).resources] == [PHONE_NOTE]
    assert kit.NHS_NUMBER not in bundle_text(out.path)
    with pytest.raises(PersonalDataFound, match="NHS number"):
        team.approve(r.id)
    team.approve(r.id, override_reason="Checked: an anonymised teaching case")
    final = team.export_bundle(["DA"], to=tmp_path / "final")
    assert CASE_NOTE in bundle_text(final.path)


def test_an_export_override_covers_the_same_text_next_time_and_no_more(team, tmp_path):
    r = approved(team, "https://example.org/a", "Guide")
    slip_in(team, r.id, notes=PHONE_NOTE)
    with pytest.raises(PersonalDataFound):
        team.export_bundle(["DA"], to=tmp_path / "1")
    team.export_bundle(["DA"], to=tmp_path / "1", override_reason="Duty line")
    team.export_bundle(["DA"], to=tmp_path / "2")          # the same text: covered
    slip_in(team, r.id, notes=PHONE_NOTE + " Or 07700 900456.")
    with pytest.raises(PersonalDataFound):
        team.export_bundle(["DA"], to=tmp_path / "3")


def test_the_audit_log_keeps_fingerprints_never_the_text(team):
    r = overridden(team, note=CASE_NOTE)
    details = [json.loads(row["detail"]) for row in team.store.query(
        "SELECT detail FROM events WHERE entity_id = ? AND action LIKE 'workflow.%'", (r.id,))]
    approval = details[-1]
    assert approval["personal_data_override"] == "Duty line"
    assert set(approval["covers"]) == {"notes"} and len(approval["covers"]["notes"]) == 64
    assert {tuple(f[:2]) for f in approval["finds"]} == {
        ("notes", "nhs_number"), ("notes", "date_of_birth"), ("notes", "postcode")}
    log = json.dumps(details)
    assert kit.NHS_NUMBER not in log and "M1 1AE" not in log and "01/02/2010" not in log


# -- who may go past a warning, at each step ----------------------------------------------

def test_submit_past_a_warning_needs_a_lead_and_a_reason(team):
    team.act_as(kit.MEMBER)
    r = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"],
                          notes=PHONE_NOTE, index=False)
    with pytest.raises(PersonalDataFound, match="It was not submitted"):
        team.submit(r.id)
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.submit(r.id, override_reason="Duty line")
    team.act_as("Jo Grant")  # leads NEG, not DA
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.submit(r.id, override_reason="Duty line")
    team.act_as(kit.LEAD)
    with pytest.raises(PersonalDataFound):
        team.submit(r.id, override_reason="  ")
    assert team.get(r.id).status == "draft"
    assert team.submit(r.id, override_reason="Duty line").status == "submitted"


def test_approve_past_a_warning_needs_its_own_override(team):
    team.act_as(kit.MEMBER)
    r = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"],
                          notes=PHONE_NOTE, index=False)
    team.act_as(kit.LEAD)
    team.submit(r.id, override_reason="Duty line")
    with pytest.raises(PersonalDataFound, match="It was not approved"):
        team.approve(r.id)                                 # the submit's override is not enough
    team.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.approve(r.id, override_reason="Duty line")
    team.act_as(kit.LEAD)
    assert team.approve(r.id, override_reason="Duty line").status == "approved"


def test_a_lead_of_another_theme_cannot_export_past_a_warning(team, tmp_path):
    r = approved(team, "https://example.org/a", "Guide")
    slip_in(team, r.id, notes=PHONE_NOTE)
    team.act_as("Jo Grant")  # leads NEG; exports DA and NEG together
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA may export “Guide”"):
        team.export_bundle(["DA", "NEG"], to=tmp_path / "drop", override_reason="Duty line")
    assert team.bundles() == [] and files_in(tmp_path / "drop") == []
