"""Portal bundles: what the writer puts in, what the reader gives back, and merge plans."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import uuid
import zipfile
from html.parser import HTMLParser
from importlib import resources as package_files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import curator.publishing.bundles.writer as writer
from curator.base.errors import StorageError
from curator.catalogue.urls import normalise_url
from curator.publishing.bundles import (
    DISPLAY_FIELDS,
    PUBLIC_FIELDS,
    BundleError,
    content_fingerprint,
    merge_plan,
    read_bundle,
)
from curator.publishing.bundles.html import human_date, paragraphs, render_index, safe_href
from tests.support.bundles import HOSTILE_TITLES, NOW, THEMES, make_resource, write  # noqa: F401


def zip_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def schema(name: str) -> dict:
    text = (package_files.files("curator.publishing.bundles") / "schema" / name).read_text("utf-8")
    return json.loads(text)


# -- What goes in ------------------------------------------------------------------------

def test_a_bundle_holds_the_six_files_listed_with_their_hashes(tmp_path):
    info = write(tmp_path, [make_resource(i) for i in range(6)])
    assert info.path.parent == tmp_path and info.path.suffix == ".zip"
    assert info.path.name.startswith("DA-NEG-20250314-093000-")
    with zipfile.ZipFile(info.path) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
    assert sorted(names) == sorted(["manifest.json", "resources.json", "changes.json",
                                    "index.html", "resources.csv", "newsletter.html"])
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert manifest["format"] == "curator-bundle" and manifest["format_version"] == 1
    assert manifest["bundle_id"] == info.id
    assert manifest["created_at"] == "2025-03-14T09:30:00Z"
    assert manifest["created_by"] == "Alex Lead" and manifest["library_id"] == "lib-1"
    assert manifest["themes"] == THEMES and manifest["previous_bundle_id"] is None
    assert manifest["counts"] == {"resources": 6, "added": 6, "updated": 0, "removed": 0}


def test_generated_documents_follow_the_published_schemas(tmp_path):
    first = write(tmp_path, [make_resource(i) for i in range(5)])
    second = write(tmp_path, [make_resource(i, title="New") for i in range(1, 7)],
                   previous=first, now=NOW + dt.timedelta(days=30))
    for info in (first, second):
        for name, schema_file in (("manifest.json", "manifest.schema.json"),
                                  ("resources.json", "resources.schema.json"),
                                  ("changes.json", "changes.schema.json")):
            validator = Draft202012Validator(schema(schema_file),
                                             format_checker=Draft202012Validator.FORMAT_CHECKER)
            Draft202012Validator.check_schema(validator.schema)
            errors = list(validator.iter_errors(json.loads(zip_member(info.path, name))))
            assert errors == [], (name, errors[:1])


def test_only_public_fields_go_out(tmp_path):
    info = write(tmp_path, [make_resource(1)])
    (record,) = json.loads(zip_member(info.path, "resources.json"))["resources"]
    assert list(record) == list(PUBLIC_FIELDS) + list(DISPLAY_FIELDS)
    everything = b"".join(zip_member(info.path, n) for n in
                          ("resources.json", "index.html", "resources.csv", "newsletter.html"))
    for secret in (b"secret fetch detail", b"Sam Clipper", b"text/html", b"12345"):
        assert secret not in everything


def test_changes_against_the_previous_bundle(tmp_path):
    first = write(tmp_path, [make_resource(i) for i in range(4)])
    same_but_saved_again = make_resource(0, updated_at="2025-01-01T00:00:00Z", version=9)
    edited = make_resource(1, notes="Now it matters more.")
    reviewed = make_resource(2, last_reviewed="2025-03-01")
    second = write(tmp_path, [same_but_saved_again, edited, reviewed, make_resource(7)],
                   previous=first, now=NOW + dt.timedelta(hours=1))
    ids = [str(uuid.UUID(int=n + 1)) for n in range(8)]
    assert second.previous_id == first.id
    assert second.changes.added == [ids[7]]
    assert second.changes.updated == sorted([ids[1], ids[2]])
    assert second.changes.removed == [ids[3]]
    changes = json.loads(zip_member(second.path, "changes.json"))
    assert changes == {"previous_bundle_id": first.id, "added": [ids[7]],
                       "updated": sorted([ids[1], ids[2]]), "removed": [ids[3]]}
    assert second.counts == {"resources": 4, "added": 1, "updated": 2, "removed": 1}
    # A bundle read back from disk serves as "previous" just as well.
    third = write(tmp_path, [make_resource(7)], previous=read_bundle(second.path),
                  now=NOW + dt.timedelta(hours=2))
    assert third.changes.removed == sorted([ids[0], ids[1], ids[2]])


def test_previous_bundle_must_cover_the_same_themes(tmp_path):
    first = write(tmp_path, [make_resource(1)])
    with pytest.raises(BundleError, match="covers DA, NEG, not DA"):
        write(tmp_path, [make_resource(1)], previous=first, themes=THEMES[:1])


def test_refuses_what_the_portal_would_refuse_naming_the_resource(tmp_path):
    bad = make_resource(1, url="javascript:alert(1)", title="Sneaky")
    with pytest.raises(BundleError, match=r"The resource 'Sneaky' \(.*\) cannot go into"):
        write(tmp_path, [make_resource(2), bad])
    with pytest.raises(BundleError, match="given twice"):
        write(tmp_path, [make_resource(2), make_resource(2)])
    with pytest.raises(BundleError, match="at least one theme"):
        write(tmp_path, [make_resource(2)], themes=[])
    assert list(tmp_path.iterdir()) == []


# -- Written safely ----------------------------------------------------------------------

def test_never_overwrites_an_existing_bundle(tmp_path, monkeypatch):
    info = write(tmp_path, [make_resource(1)])
    before = info.path.read_bytes()
    monkeypatch.setattr(writer.uuid, "uuid4", lambda: uuid.UUID(info.id))
    with pytest.raises(BundleError, match="already exists"):
        write(tmp_path, [make_resource(2)])
    assert info.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [info.path.name]


def test_the_final_step_refuses_a_name_taken_meanwhile(tmp_path):
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"first")
    part = tmp_path / "new.part"
    part.write_bytes(b"second")
    with pytest.raises(FileExistsError):
        writer._link_new(str(part), taken)
    assert taken.read_bytes() == b"first"


def test_a_failure_part_way_leaves_no_file(tmp_path, monkeypatch):
    def broken_link(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "link", broken_link)
    with pytest.raises(StorageError, match="No space left"):
        write(tmp_path, [make_resource(1)])
    assert list(tmp_path.iterdir()) == []


def test_the_same_bundle_reads_back(tmp_path):
    info = write(tmp_path, [make_resource(i) for i in range(3)])
    bundle = read_bundle(info.path)
    assert bundle.id == info.id and bundle.created_by == "Alex Lead"
    assert bundle.themes == THEMES and bundle.previous_id is None
    assert [r["id"] for r in bundle.resources] == sorted(info.fingerprints)
    assert bundle.fingerprints == info.fingerprints
    assert bundle.content_fingerprints == info.content_fingerprints
    assert bundle.changes.added == sorted(info.fingerprints)


def test_an_empty_bundle_is_valid(tmp_path):
    info = write(tmp_path, [])
    assert read_bundle(info.path).resources == []
    assert "This bundle has no resources." in zip_member(info.path, "index.html").decode()


# -- index.html and newsletter.html ------------------------------------------------------

class _Collector(HTMLParser):
    """Every start tag with its attributes, and the document's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def hostile_resources() -> list[dict]:
    out = [make_resource(i, title=t, notes=f"Note {t}\n\n<img src=x onerror=alert(1)>",
                         site=t, summary=t, tags=[t[:60]])
           for i, t in enumerate(HOSTILE_TITLES)]
    return out


@pytest.mark.parametrize("name", ["index.html", "newsletter.html"])
def test_bad_inputs_1_2_5_hostile_text_comes_out_inert(tmp_path, name):
    info = write(tmp_path, hostile_resources())
    html = zip_member(info.path, name).decode("utf-8")
    page = parse(html)
    tag_names = {t for t, _ in page.tags}
    assert "script" not in tag_names and "img" not in tag_names
    for _, attrs in page.tags:
        assert not any(a.startswith("on") for a in attrs), attrs
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("https://", "#")), href
    text = "".join(page.text)
    for title in HOSTILE_TITLES:
        assert title in text  # shown to the reader as the very text the expert saw
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert '" onmouseover="x' not in html


def test_only_http_links_become_links():
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
                "data:text/html,x", "file:///etc/passwd", "\\\\server\\share", "ftp://x.org/",
                "https://exa mple.org/", "https:///nohost", "", None, 42):
        assert safe_href(bad) is None, bad
    assert safe_href("https://www.gov.uk/x?a=1&b=2") == "https://www.gov.uk/x?a=1&b=2"
    manifest = {"themes": THEMES, "created_at": "2025-03-14T09:30:00Z",
                "created_by": "A", "bundle_id": str(uuid.UUID(int=1))}
    html = render_index(manifest, [make_resource(1, url="javascript:alert(1)", title="T")])
    assert "javascript:alert(1)" in html  # shown as text
    assert 'href="javascript' not in html
    assert not [a for t, a in parse(html).tags if t == "a" and "javascript" in a.get("href", "")]


def test_index_groups_by_theme_then_type_with_headings_in_order(tmp_path):
    info = write(tmp_path, [make_resource(i) for i in range(10)])
    html = zip_member(info.path, "index.html").decode()
    page = parse(html)
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    tags = [t for t, _ in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert tags.count(landmark) == 1
    assert '<html lang="en-GB">' in html
    assert '<a class="skip-link" href="#main">' in html
    h2 = re.findall(r"<h2 id=\"theme-[^\"]+\">([^<]+)</h2>", html)
    assert h2 == ["Domestic abuse", "Neglect"]
    da = html.split('id="theme-da"')[1].split('id="theme-neg"')[0]
    assert re.findall(r"<h3>([A-Za-z ]+) \(", da) == [
        "Research", "Guidance", "Practice tools", "Videos", "Podcasts"]
    assert "Last reviewed:" in html and "1 February 2024" in html
    assert "Why it matters" in html


def test_notes_become_escaped_paragraphs():
    assert paragraphs("One\nline two\n\n\n  Two  <b>x</b>\n \nThree") == [
        ["One", "line two"], ["Two <b>x</b>"], ["Three"]]
    assert paragraphs("") == []
    long = "word " * 200
    (only,) = paragraphs(long + "\n\nsecond", limit=50)
    assert len(only[0]) <= 51 and only[0].endswith("…")
    assert human_date("2019") == "2019" and human_date("2019-05") == "May 2019"
    assert human_date("2019-05-03") == "3 May 2019" and human_date("soon") == "soon"


def test_newsletter_lists_new_and_updated(tmp_path):
    first = write(tmp_path, [make_resource(i) for i in range(3)])
    second = write(tmp_path, [make_resource(0), make_resource(1, notes="Changed."),
                              make_resource(5, title="Brand new")], previous=first,
                   now=NOW + dt.timedelta(days=20))
    html = zip_member(second.path, "newsletter.html").decode()
    assert "new and updated, April 2025" in html
    assert "1 new resource and 1 updated resource" in html
    new = html.split('id="new"')[1].split('id="updated"')[0]
    assert "Brand new" in new and "Resource number 1" in html.split('id="updated"')[1]
    assert "Resource number 0" not in html


# -- resources.csv -----------------------------------------------------------------------

def test_bad_inputs_6_csv_is_safe_for_spreadsheets(tmp_path):
    dangerous = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx",
                 "\x00x", " =1+1", "\n=1"]
    rows = [make_resource(i, title=d, summary="-12.5", author="-3", site="a,b \"q\"")
            for i, d in enumerate(dangerous)]
    info = write(tmp_path, rows)
    data = zip_member(info.path, "resources.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert all(line.startswith('"') for line in lines if line)
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by_id = {r["Id"]: r for r in table}
    for i, d in enumerate(dangerous):
        row = by_id[str(uuid.UUID(int=i + 1))]
        assert row["Title"] == "'" + d
        assert row["Summary"] == "-12.5" and row["Author"] == "-3"
        assert row["Site"] == 'a,b "q"'
    assert table[0]["Themes"] in ("Domestic abuse", "Domestic abuse; Neglect")


# -- Merge plans -------------------------------------------------------------------------

def _bundle_of(tmp_path, resources):
    return read_bundle(write(tmp_path, resources).path)


def test_merge_plan_adds_new_and_matches_by_id_and_url(tmp_path):
    bundle = _bundle_of(tmp_path, [make_resource(i) for i in range(4)])
    local = {
        str(uuid.UUID(int=1)): make_resource(0),                         # same content
        "local-other-id": make_resource(99, url="HTTPS://WWW.example.org:443/library/1/?ref=x#top"),
    }
    plan = merge_plan(local, bundle, normalise_url)
    assert [i.incoming["id"] for i in plan.added] == [str(uuid.UUID(int=n)) for n in (3, 4)]
    assert [(i.local_id, i.matched_by) for i in plan.unchanged] == [
        (str(uuid.UUID(int=1)), "id")]
    (conflict,) = plan.conflicts
    assert (conflict.local_id, conflict.matched_by) == ("local-other-id", "url")
    assert plan.counts == {"added": 2, "updated": 0, "conflicts": 1, "unchanged": 1,
                           "removed": 0, "rejected": 0}


def test_merge_plan_with_a_common_version(tmp_path):
    original = [make_resource(i) for i in range(4)]
    base = {r["id"]: content_fingerprint(r) for r in original}
    ids = [r["id"] for r in original]
    theirs = [make_resource(0, notes="theirs"), make_resource(1),
              make_resource(2, notes="theirs"), make_resource(3)]
    local = {ids[0]: make_resource(0),                   # only they changed it
             ids[1]: make_resource(1, notes="mine"),     # only we changed it
             ids[2]: make_resource(2, notes="mine"),     # both changed it
             ids[3]: make_resource(3)}
    plan = merge_plan(local, _bundle_of(tmp_path, theirs), normalise_url, base=base)
    assert [i.local_id for i in plan.updated] == [ids[0]]
    assert sorted(i.local_id for i in plan.unchanged) == sorted([ids[1], ids[3]])
    assert [i.local_id for i in plan.conflicts] == [ids[2]]
    assert "both" in plan.conflicts[0].reason


def test_merge_plan_without_a_common_version_keeps_the_newer_edit(tmp_path):
    ids = [str(uuid.UUID(int=n + 1)) for n in range(4)]
    theirs = [make_resource(0, notes="theirs", updated_at="2025-01-02T00:00:00Z"),
              make_resource(1, notes="theirs", updated_at="2025-01-01T00:00:00Z"),
              make_resource(2, notes="theirs", updated_at="2025-01-01T00:00:00Z", version=5),
              make_resource(3, last_reviewed="2025-02-02")]
    local = {ids[0]: make_resource(0, notes="mine", updated_at="2025-01-01T00:00:00Z"),
             ids[1]: make_resource(1, notes="mine", updated_at="2025-01-02T00:00:00Z"),
             ids[2]: make_resource(2, notes="mine", updated_at="2025-01-01T00:00:00Z",
                                   version=5),
             ids[3]: make_resource(3)}
    plan = merge_plan(local, _bundle_of(tmp_path, theirs), normalise_url)
    assert sorted(i.local_id for i in plan.updated) == [ids[0], ids[3]]
    assert [i.local_id for i in plan.unchanged] == [ids[1]]
    assert [i.local_id for i in plan.conflicts] == [ids[2]]


def test_merge_plan_reports_removed_and_rejects_duplicate_addresses(tmp_path):
    first = write(tmp_path, [make_resource(0), make_resource(1)])
    same_address = make_resource(2, url="https://www.example.org/library/0?ref=x")
    second = write(tmp_path, [make_resource(0), same_address], previous=first,
                   now=NOW + dt.timedelta(hours=1))
    local = {str(uuid.UUID(int=2)): make_resource(1)}
    plan = merge_plan(local, read_bundle(second.path), normalise_url)
    assert plan.removed == [str(uuid.UUID(int=2))]
    assert [i.incoming["id"] for i in plan.rejected] == [str(uuid.UUID(int=3))]
