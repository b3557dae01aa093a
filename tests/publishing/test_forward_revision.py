"""An approved resource stays published while an edit to it waits (issue 16): bundles
carry the approved version, Undo restores the approval, private changes never unpublish."""

import json
import zipfile

import pytest


@pytest.fixture
def approved(library):
    """Priya clips and submits; Alex (lead of DA) approves."""
    library.add_expert("Priya Shah")
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("DA", "Priya Shah", "member")
    library.act_as("Priya Shah")
    r = library.add_resource("https://example.org/guidance", title="Coercive control guide",
                             summary="What to look for.", themes_=["DA"], index=False)
    library.submit(r.id)
    library.act_as("Alex Lead")
    library.approve(r.id)
    library.act_as("Priya Shah")
    return library, r.id


def bundle_titles(library, tmp_path, name):
    info = library.export_bundle(["DA"], tmp_path / name)
    with zipfile.ZipFile(info.path) as z:
        data = json.loads(z.read("resources.json"))
    items = data["resources"] if isinstance(data, dict) else data
    return {item["id"]: item for item in items}


def test_an_edit_waits_while_the_approved_version_stays_published(approved, tmp_path):
    lib, rid = approved
    edited = lib.edit(rid, {"title": "Coercive control: a new guide", "summary": "Updated."})
    assert edited.status == "submitted"
    kept = lib.published_version(rid)
    assert kept.fields["title"] == "Coercive control guide" and kept.approved_by == "Alex Lead"
    assert sorted(lib.unpublished_changes(rid)) == ["summary", "title"]
    items = bundle_titles(lib, tmp_path, "one")
    assert items[rid]["title"] == "Coercive control guide"
    assert items[rid]["summary"] == "What to look for."
    # Once a lead approves the change, the new version is the one that leaves.
    lib.act_as("Alex Lead")
    lib.approve(rid)
    assert lib.unpublished_changes(rid) == []
    assert bundle_titles(lib, tmp_path, "two")[rid]["title"] == "Coercive control: a new guide"


def test_undoing_the_edit_restores_the_approval(approved):
    lib, rid = approved
    lib.edit(rid, {"title": "A typo'd title", "tags": ["marac"]})
    assert lib.get(rid).status == "submitted"
    back = lib.edit(rid, {"title": "Coercive control guide", "tags": []})  # what Undo sends
    assert back.status == "approved"
    last = lib.history(rid)[-1]
    assert last["detail"]["status"] == ["submitted", "approved"]
    assert "exactly as a lead approved" in last["detail"]["reason"]


def test_private_changes_never_unpublish(approved):
    lib, rid = approved
    lib.edit(rid, {"review_due": "2030-01-01"})
    assert lib.get(rid).status == "approved"
    lib.confirm(rid, "Still current")
    assert lib.get(rid).status == "approved"
    assert lib.unpublished_changes(rid) == []


def test_retiring_or_sending_back_an_approved_resource_unpublishes_it(approved, tmp_path):
    lib, rid = approved
    lib.act_as("Alex Lead")
    lib.send_back(rid, "Not for the portal after all")
    assert lib.published_version(rid) is None
    assert rid not in bundle_titles(lib, tmp_path, "b1")
    other = lib.add_resource("https://example.org/other", title="Other", themes_=["DA"],
                             index=False)
    lib.act_as("Priya Shah")
    lib.submit(other.id)
    lib.act_as("Alex Lead")
    lib.approve(other.id)
    lib.act_as("Priya Shah")
    lib.edit(other.id, {"title": "Other, improved"})
    lib.act_as("Alex Lead")
    lib.retire(other.id, "Withdrawn by its publisher")
    assert lib.published_version(other.id) is None
    assert other.id not in bundle_titles(lib, tmp_path, "b2")


def test_a_sent_back_change_keeps_the_approved_version_published(approved, tmp_path):
    lib, rid = approved
    lib.edit(rid, {"title": "A worse title"})
    lib.act_as("Alex Lead")
    lib.send_back(rid, "Keep the old title")
    assert lib.get(rid).status == "draft"
    assert bundle_titles(lib, tmp_path, "b")[rid]["title"] == "Coercive control guide"
