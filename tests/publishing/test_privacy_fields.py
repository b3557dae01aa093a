"""Every field that leaves in a bundle is checked, the web address included, and what a
bundle carries never holds a user name, password, tracker or a person's details."""

from __future__ import annotations

import pytest

from curator.base.errors import NotAllowed
from curator.publishing import privacy
from curator.publishing.bundles import PUBLIC_FIELDS, read_bundle
from curator.publishing.workflow import PersonalDataFound
from tests.support.publishing import (
    LEAD,
    MEMBER,
    MOBILE,
    NHS_NUMBER,
    approved,
    bundle_text,
    files_in,
    make_team,
    slip_in,
)

HOSTILE_URL = ("https://jo.bloggs:s3cret@www.example.org/report?id=123&nhs=9434765919"
               "&email=jo.bloggs%40gmail.com&dob=01-02-2010&utm_source=news&fbclid=abc")
AUTHOR = f"Jo Bloggs, jo.bloggs@gmail.com, {MOBILE}, NHS {NHS_NUMBER}"


@pytest.fixture
def team(library):
    return make_team(library)


def test_the_guard_reads_exactly_the_fields_a_bundle_carries():
    assert privacy.SCANNED_FIELDS == PUBLIC_FIELDS
    record = {name: f"NHS {NHS_NUMBER}" for name in PUBLIC_FIELDS}
    record["url"] = "https://example.org/a?ref=NHS%20" + NHS_NUMBER.replace(" ", "")
    assert [h.field for h in privacy.scan_resource(record)] == list(PUBLIC_FIELDS)


def test_an_author_with_an_email_a_mobile_and_an_nhs_number_is_stopped(team):
    team.act_as(MEMBER)
    r = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"],
                          author=AUTHOR, index=False)
    with pytest.raises(PersonalDataFound) as err:
        team.submit(r.id)
    assert sorted(h.kind for h in err.value.hits) == ["email", "nhs_number", "phone"]
    assert {h.field for h in err.value.hits} == {"author"}
    assert err.value.message.startswith("The author contains what looks like an email address")
    assert team.get(r.id).status == "draft"


@pytest.mark.parametrize("field", ["title", "summary", "author", "site", "notes", "language"])
def test_personal_data_in_any_stored_field_stops_the_export(team, tmp_path, field):
    r = approved(team, "https://example.org/a", "Guide")
    slip_in(team, r.id, **{field: f"Child A NHS {NHS_NUMBER}"})
    out = tmp_path / "drop"
    with pytest.raises(PersonalDataFound) as err:
        team.export_bundle(["DA"], to=out)
    assert [(h.field, h.kind) for h in err.value.hits] == [(field, "nhs_number")]
    assert f"The {privacy.FIELD_NAMES[field]} contains what looks like an NHS number" \
        in err.value.message
    assert files_in(out) == [] and team.bundles() == []


def test_personal_data_in_a_tag_stops_the_export(team):
    r = approved(team, "https://example.org/a", "Guide", tags=["neglect"])
    with team.store.write() as db:
        db.execute("INSERT INTO resource_tags (resource_id, tag) VALUES (?, ?)",
                   (r.id, "M1 1AE"))
    with pytest.raises(PersonalDataFound, match="The tags contain what looks like a full"):
        team.export_bundle(["DA"])


def test_a_member_cannot_export_an_author_with_personal_data_and_a_lead_can(team, tmp_path):
    r = approved(team, "https://example.org/a", "Guide")
    slip_in(team, r.id, author=AUTHOR)
    team.act_as(MEMBER)
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.export_bundle(["DA"], to=tmp_path, override_reason="It is the author's work line")
    team.act_as(LEAD)
    info = team.export_bundle(["DA"], to=tmp_path, override_reason="Published author details")
    assert "jo.bloggs@gmail.com" in bundle_text(info.path)  # the lead chose to let it go


def test_a_hostile_address_is_stored_and_exported_clean(team):
    r = approved(team, HOSTILE_URL, "Report")
    assert team.get(r.id).url == "https://www.example.org/report?id=123"
    info = team.export_bundle(["DA"])
    text = bundle_text(info.path)
    for secret in ("s3cret", "jo.bloggs", "9434765919", "01-02-2010", "utm_source", "fbclid"):
        assert secret not in text, secret
    assert read_bundle(info.path).resources[0]["url"] == "https://www.example.org/report?id=123"


def test_an_old_stored_address_is_cleaned_on_the_way_out(team):
    r = approved(team, "https://www.example.org/report?id=123", "Report")
    slip_in(team, r.id, url=HOSTILE_URL)  # stored before addresses were cleaned
    info = team.export_bundle(["DA"])
    assert read_bundle(info.path).resources[0]["url"] == "https://www.example.org/report?id=123"
    assert "s3cret" not in bundle_text(info.path)


def test_personal_data_left_in_an_addresss_query_stops_the_export(team):
    r = approved(team, "https://www.example.org/search?q=neglect", "Search")
    slip_in(team, r.id, url="https://www.example.org/search?q=jo.bloggs@gmail.com")
    with pytest.raises(PersonalDataFound) as err:
        team.export_bundle(["DA"])
    assert [(h.field, h.kind) for h in err.value.hits] == [("url", "email")]
    assert "The web address contains what looks like an email address: " \
           "'q «jo.bloggs@gmail.com»'" in err.value.message


def test_credentials_in_a_stored_address_are_read_before_submitting(team):
    team.act_as(MEMBER)
    r = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"], index=False)
    slip_in(team, r.id, url="https://jo.bloggs%40gmail.com:pw@example.org/a")
    with pytest.raises(PersonalDataFound, match="The web address contains what looks like an "
                                                "email address"):
        team.submit(r.id)


PAGE = ("NSPCC, Weston House, 42 Curtain Road, London EC2A 3NH. Call us on 020 7825 2500 "
        "or email press.office@nspcc.org.uk.")


def test_contact_details_printed_on_the_page_itself_pass_and_case_details_do_not(team):
    team.act_as(MEMBER)
    ok = team.add_resource("https://example.org/a", title="Leaflet", themes_=["DA"], text=PAGE,
                           notes="Ring 020 7825 2500, write to EC2A 3NH, or email "
                                 "press.office@nspcc.org.uk or helpline@nspcc.org.uk.",
                           index=False)
    assert team.submit(ok.id).status == "submitted"
    bad = team.add_resource("https://example.org/b", title="Leaflet 2", themes_=["DA"],
                            text=PAGE, notes="Ring 020 7946 0018, write to M1 1AE.",
                            index=False)
    with pytest.raises(PersonalDataFound) as err:
        team.submit(bad.id)
    assert [h.kind for h in err.value.hits] == ["phone", "postcode"]
    assert "not printed on the resource's own page" in err.value.message
    team.act_as(LEAD)
    team.approve(ok.id)
    assert "EC2A 3NH" in bundle_text(team.export_bundle(["DA"]).path)


@pytest.mark.parametrize("note", [
    "Child A NHS ９４３ ４７６ ５９１９", "Child A NHS 943\u200b476\u200b5919",
    "Child A NHS 943\u2014476\u20145919", "Child A NHS9434765919", "Child A 94347 65919",
    "Child A (DOB) 01/02/2010", "Child A, b. 01.02.2010", "Child A DOB: 01-Feb-2010",
    "lives at M1-1AE", "email mum at jo.bloggs [at] example.com",
])
def test_odd_forms_are_caught_at_submit_and_export(team, note):
    team.act_as(MEMBER)
    r = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"], notes=note,
                          index=False)
    with pytest.raises(PersonalDataFound):
        team.submit(r.id)
    slip_in(team, r.id, notes="Clean")
    team.submit(r.id)
    team.act_as(LEAD)
    team.approve(r.id)
    slip_in(team, r.id, notes=note)
    with pytest.raises(PersonalDataFound):
        team.export_bundle(["DA"])
