"""Hostile bundles (BAD-INPUTS 7 and 8): each refused with a plain message, nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from curator.publishing.bundles import BundleError, BundleTooNew, UnsafeBundle, read_bundle
from tests.support.bundles import make_resource, write


@pytest.fixture
def good(tmp_path) -> dict[str, bytes]:
    """The files of a real, valid bundle, to be tampered with."""
    info = write(tmp_path / "made", [make_resource(i) for i in range(3)])
    with zipfile.ZipFile(info.path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def build(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    """A zip holding exactly *entries*, duplicates and all."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we mean them
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return path


def rehash(files: dict[str, bytes], **manifest_changes) -> dict[str, bytes]:
    """*files* with the manifest's hashes made to match again (an attacker can do this)."""
    manifest = json.loads(files["manifest.json"])
    manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in files.items()
                         if n != "manifest.json"}
    manifest.update(manifest_changes)
    return {**files, "manifest.json": json.dumps(manifest).encode()}


def refused(path: Path, error=BundleError) -> str:
    folder_before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error) as caught:
        read_bundle(path)
    assert sorted(p.name for p in path.parent.iterdir()) == folder_before  # nothing written
    message = str(caught.value)
    assert message and "Traceback" not in message
    return message


def test_the_untampered_bundle_is_accepted(tmp_path, good):
    bundle = read_bundle(build(tmp_path / "ok.zip", list(good.items())))
    assert len(bundle.resources) == 3


# -- BAD-INPUTS 7: names that escape, links --------------------------------------------

@pytest.mark.parametrize("name", [
    "../../evil", "../evil.json", "a/../../evil", "/etc/evil", "/abs.json", "C:\\x",
    "C:/x", "c:evil", "a\\..\\..\\evil", "dir\\file.json", "./index.html", "a//b",
])
def test_bad_inputs_7_escaping_names_are_refused(tmp_path, good, name):
    path = build(tmp_path / "evil.zip", [*good.items(), (name, b"evil")])
    message = refused(path, UnsafeBundle)
    assert "was not imported" in message


def test_bad_inputs_7_symlinks_are_refused(tmp_path, good):
    link = zipfile.ZipInfo("index.html")
    link.external_attr = (0o120777 << 16)
    link.create_system = 3
    files = [(n, d) for n, d in good.items() if n != "index.html"] + [(link, b"/etc/passwd")]
    message = refused(build(tmp_path / "link.zip", files), UnsafeBundle)
    assert "a link" in message


def test_folders_and_special_files_are_refused(tmp_path, good):
    folder = zipfile.ZipInfo("assets/")
    folder.external_attr = (0o040755 << 16) | 0x10
    refused(build(tmp_path / "dir.zip", [*good.items(), (folder, b"")]), UnsafeBundle)
    fifo = zipfile.ZipInfo("pipe")
    fifo.external_attr = 0o010644 << 16
    refused(build(tmp_path / "fifo.zip", [*good.items(), (fifo, b"")]), UnsafeBundle)


@pytest.mark.parametrize("twin", ["index.html", "INDEX.html"])
def test_duplicate_names_are_refused(tmp_path, good, twin):
    path = build(tmp_path / "twice.zip", [*good.items(), (twin, b"<p>other</p>")])
    assert "twice" in refused(path, UnsafeBundle)


def test_names_with_control_characters_are_refused(tmp_path, good):
    path = build(tmp_path / "nul.zip", [*good.items(), ("index.html\x00.exe", b"x")])
    refused(path, UnsafeBundle)


# -- BAD-INPUTS 8: bombs, counts, depth, versions -----------------------------------------

def test_bad_inputs_8_a_zip_bomb_is_refused_by_ratio(tmp_path, good):
    files = rehash({**good, "index.html": b"\0" * (8 * 1024 * 1024)})
    message = refused(build(tmp_path / "bomb.zip", list(files.items())), UnsafeBundle)
    assert "zip bomb" in message


def test_bad_inputs_8_too_much_in_total_is_refused(tmp_path, good, monkeypatch):
    import curator.publishing.bundles.reader as reader

    monkeypatch.setattr(reader, "MAX_TOTAL_BYTES", 200_000)
    noise = bytes(range(256)) * 400  # ~100 KB that does not compress much
    files = rehash({**good, "a.bin": noise, "b.bin": noise, "c.bin": noise})
    assert "more than" in refused(build(tmp_path / "big.zip", list(files.items())),
                                  UnsafeBundle)


def test_a_member_that_unpacks_to_more_than_it_declares_is_refused(tmp_path, good):
    path = build(tmp_path / "liar.zip", list(good.items()))
    data = bytearray(path.read_bytes())
    # Shrink index.html's declared size in the central directory (and its local header).
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("index.html")
    real = info.file_size.to_bytes(4, "little")
    fake = (info.file_size // 2).to_bytes(4, "little")
    assert data.count(real) >= 1
    path.write_bytes(bytes(data).replace(real, fake))
    refused(path, BundleError)


@pytest.mark.slow  # writing the 100,000-entry zip takes several seconds
def test_bad_inputs_8_a_hundred_thousand_entries_are_refused_quickly(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(100_000):
            zf.writestr(f"{i}", b"")
    started = time.perf_counter()
    message = refused(path, UnsafeBundle)
    assert "100,000 files" in message and "1,000" in message
    # Refused from the zip's directory alone (a millisecond): nothing was read or unpacked.
    assert time.perf_counter() - started < 5


def test_just_over_the_entry_cap_is_refused_after_listing(tmp_path, good, monkeypatch):
    import curator.publishing.bundles.reader as reader

    monkeypatch.setattr(reader, "MAX_ENTRIES", 7)
    files = rehash({**good, "extra1.txt": b"1", "extra2.txt": b"2"})
    refused(build(tmp_path / "nine.zip", list(files.items())), UnsafeBundle)


@pytest.mark.parametrize("member", ["manifest.json", "resources.json", "changes.json"])
def test_bad_inputs_8_deeply_nested_json_is_refused_cleanly(tmp_path, good, member):
    deep = b"[" * 100_000 + b"]" * 100_000
    files = {**good, member: deep}
    if member != "manifest.json":
        files = rehash(files)
    # Stored, not compressed, so that it is the depth and not the ratio that trips.
    stored = zipfile.ZipInfo(member)
    stored.compress_type = zipfile.ZIP_STORED
    entries = [(stored if n == member else n, d) for n, d in files.items()]
    message = refused(build(tmp_path / "deep.zip", entries), UnsafeBundle)
    assert "nested more than" in message


def test_bad_inputs_8_a_newer_format_version_is_refused_with_advice(tmp_path, good):
    files = rehash(good, format_version=2)
    message = refused(build(tmp_path / "v2.zip", list(files.items())), BundleTooNew)
    assert "newer Curator" in message and "Update Curator" in message


@pytest.mark.parametrize("changes, expected", [
    ({"format": "something-else"}, "not a Curator bundle"),
    ({"format_version": "1"}, "no valid format version"),
    ({"format_version": True}, "no valid format version"),
    ({"format_version": 0}, "no valid format version"),
    ({"created_at": "yesterday"}, "created_at"),
    ({"counts": {"resources": 99, "added": 3, "updated": 0, "removed": 0}}, "counts 99"),
])
def test_a_wrong_manifest_is_refused(tmp_path, good, changes, expected):
    files = rehash(good, **changes)
    assert expected in refused(build(tmp_path / "m.zip", list(files.items())))


def test_a_changed_file_is_refused_by_its_hash(tmp_path, good):
    files = {**good, "index.html": good["index.html"].replace(b"<main", b"<main data-x")}
    message = refused(build(tmp_path / "changed.zip", list(files.items())))
    assert "index.html" in message and "SHA-256" in message


def test_a_file_the_manifest_does_not_list_is_refused(tmp_path, good):
    path = build(tmp_path / "extra.zip", [*good.items(), ("payload.exe", b"MZ")])
    assert "does not list" in refused(path)


def test_a_missing_file_is_refused(tmp_path, good):
    files = [(n, d) for n, d in good.items() if n != "resources.csv"]
    assert "resources.csv" in refused(build(tmp_path / "missing.zip", files))


@pytest.mark.parametrize("document, expected", [
    (b'{"resources": [], "resources": []}', "appears twice"),
    (b'{"resources": [NaN]}', "not allowed"),
    (b'{"resources": [', "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (json.dumps({"resources": [make_resource(1, url="javascript:alert(1)")]}).encode(),
     "resources → 0 → url"),
])
def test_bad_json_documents_are_refused(tmp_path, good, document, expected):
    files = rehash({**good, "resources.json": document})
    assert expected in refused(build(tmp_path / "bad.zip", list(files.items())))


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\0" * 40])
def test_what_is_not_a_zip_is_refused(tmp_path, content):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    assert "not a Curator bundle" in refused(path)


def test_a_truncated_bundle_is_refused(tmp_path, good):
    path = build(tmp_path / "cut.zip", list(good.items()))
    path.write_bytes(path.read_bytes()[:-300])
    refused(path)


def test_a_missing_file_path_is_explained(tmp_path):
    with pytest.raises(BundleError, match="could not be opened"):
        read_bundle(tmp_path / "nowhere.zip")


def test_an_encrypted_member_is_refused(tmp_path, good):
    buffer = io.BytesIO()
    build(tmp_path / "plain.zip", list(good.items()))
    data = bytearray((tmp_path / "plain.zip").read_bytes())
    # Set the "encrypted" flag on every entry (local headers and central directory).
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    buffer.write(bytes(data))
    (tmp_path / "locked.zip").write_bytes(buffer.getvalue())
    assert "encrypted" in refused(tmp_path / "locked.zip")
