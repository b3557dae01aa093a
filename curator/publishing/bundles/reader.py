"""Reading a bundle: check everything before trusting anything.

A bundle may come from another expert, an email or a shared drive, so the reader treats
it as hostile until proved otherwise. It never extracts to disk: each member is read
into memory with a size limit. It refuses, with a message saying why, a file that is not
a zip; entry names that could escape a folder (``..``, absolute paths, drive letters,
backslashes) or links; duplicate names; too many entries, too many bytes, or a
compression ratio only a zip bomb has; JSON nested deeper than any real bundle; another
format or a newer version; any file whose SHA-256 differs from the manifest's; and any
document that breaks its schema.
"""

from __future__ import annotations

import json
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path

from curator.publishing.bundles import schemas
from curator.publishing.bundles.format import (
    CHANGES,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MAX_BUNDLE_BYTES,
    MAX_ENTRIES,
    MAX_ENTRY_BYTES,
    MAX_JSON_DEPTH,
    MAX_MANIFEST_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_FLOOR_BYTES,
    RESOURCES,
    Bundle,
    BundleError,
    BundleTooNew,
    Changes,
    UnsafeBundle,
    sha256,
)

_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD_SEARCH = 22 + 65_535
_DRIVE = re.compile(r"^[A-Za-z]:")
_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# A JSON string (with escapes) or a bracket: enough to measure nesting without parsing.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def read_bundle(path: Path) -> Bundle:
    """Open the bundle at *path*, check it thoroughly and return what it holds.

    Raises:
        UnsafeBundle: the zip is built in a way that could harm the reader.
        BundleTooNew: it needs a newer Curator.
        BundleError: anything else wrong with it (not a bundle, damaged, invalid).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BundleError(f"The bundle {path.name} could not be opened: "
                          f"{exc.strerror or exc}.") from None
    if not path.is_file():
        raise BundleError(f"{path.name} is not a file.")
    if size > MAX_BUNDLE_BYTES:
        raise UnsafeBundle(f"{path.name} is {size / 2**20:,.0f} MB, more than any bundle "
                           f"({MAX_BUNDLE_BYTES // 2**20} MB at most); it was not opened.")
    try:
        with open(path, "rb") as fh:
            _check_entry_count_early(fh, size, path.name)
            with zipfile.ZipFile(fh) as zf:
                return _read_zip(zf, path)
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError, NotImplementedError,
            ValueError) as exc:
        raise BundleError(f"{path.name} is not a Curator bundle, or it is damaged "
                          f"(the zip cannot be read: {exc}).", detail=repr(exc)) from None
    except OSError as exc:
        raise BundleError(f"The bundle {path.name} could not be read: "
                          f"{exc.strerror or exc}.", detail=repr(exc)) from None


def _check_entry_count_early(fh, size: int, name: str) -> None:
    """Refuse a zip that declares too many entries before Python lists them all."""
    fh.seek(max(0, size - _EOCD_SEARCH))
    tail = fh.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        raise BundleError(f"{name} is not a Curator bundle (it is not a zip file).")
    declared = int.from_bytes(tail[at + 10:at + 12], "little")
    if declared == 0xFFFF:
        # A Zip64 archive keeps the real count in its own end record, just before.
        at64 = tail.rfind(_EOCD64, 0, at)
        if at64 >= 0 and len(tail) >= at64 + 40:
            declared = int.from_bytes(tail[at64 + 32:at64 + 40], "little")
    if declared > MAX_ENTRIES:
        raise UnsafeBundle(f"{name} holds {declared:,} files; a bundle has at most "
                           f"{MAX_ENTRIES:,}. It was not opened.")
    fh.seek(0)


def _read_zip(zf: zipfile.ZipFile, path: Path) -> Bundle:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeBundle(f"{path.name} holds {len(infos):,} files; a bundle has at most "
                           f"{MAX_ENTRIES:,}. It was not opened.")
    entries: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = 0
    for info in infos:
        _check_entry(info)
        if info.filename in entries or info.filename.casefold() in folded:
            raise UnsafeBundle(f"The bundle lists '{_shown(info.filename)}' twice; a "
                               "tampered zip does this to show different files to different "
                               "readers. It was not imported.")
        entries[info.filename] = info
        folded.add(info.filename.casefold())
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeBundle(f"The bundle would unpack to more than "
                               f"{MAX_TOTAL_BYTES // 2**20} MB, more than any real bundle. "
                               "It was not imported.")

    if MANIFEST not in entries:
        raise BundleError(f"{path.name} is not a Curator bundle (it has no {MANIFEST}).")
    manifest = _load_json(MANIFEST, _read_member(zf, entries[MANIFEST], MAX_MANIFEST_BYTES))
    _check_format(manifest)
    schemas.check(MANIFEST, manifest)

    listed: dict[str, str] = manifest["files"]
    unlisted = sorted(set(entries) - set(listed) - {MANIFEST})
    if unlisted:
        raise BundleError(f"The bundle holds '{_shown(unlisted[0])}', which its manifest does "
                          "not list; it may have been tampered with. It was not imported.")
    missing = sorted(set(listed) - set(entries))
    if missing:
        raise BundleError(f"The bundle is incomplete: its manifest lists '{missing[0]}' but "
                          "the zip does not hold it.")
    data: dict[str, bytes] = {}
    for name, expected in listed.items():
        data[name] = _read_member(zf, entries[name], MAX_ENTRY_BYTES)
        if sha256(data[name]) != expected:
            raise BundleError(f"The bundle's {name} is not the file its manifest describes "
                              "(the SHA-256 differs): it was changed or damaged after the "
                              "bundle was made. It was not imported.")

    resources_doc = _load_json(RESOURCES, data[RESOURCES])
    schemas.check(RESOURCES, resources_doc)
    changes_doc = _load_json(CHANGES, data[CHANGES])
    schemas.check(CHANGES, changes_doc)
    resources = resources_doc["resources"]
    changes = Changes(added=changes_doc["added"], updated=changes_doc["updated"],
                      removed=changes_doc["removed"])
    _check_consistent(manifest, resources, changes_doc)
    return Bundle(path=path, manifest=manifest, resources=resources, changes=changes)


def _shown(name: str) -> str:
    text = _NAME_CHARS.sub("?", name)
    return text if len(text) <= 80 else text[:79] + "…"


def _check_entry(info: zipfile.ZipInfo) -> None:
    """Refuse an entry that names a place outside the bundle, or is not a plain file."""
    for name in {info.filename, info.orig_filename}:
        shown = _shown(name)
        if "\\" in name:
            raise UnsafeBundle(f"The bundle has an entry with a backslash in its name "
                               f"('{shown}'); that can reach other folders on Windows. It was "
                               "not imported.")
        if name.startswith("/") or _DRIVE.match(name):
            raise UnsafeBundle(f"The bundle has an entry with an absolute path ('{shown}'). "
                               "It was not imported.")
        if any(part in ("..", ".", "") for part in name.rstrip("/").split("/")):
            raise UnsafeBundle(f"The bundle has an entry whose name climbs out of its folder "
                               f"or is empty ('{shown}'). It was not imported.")
        if _NAME_CHARS.search(name):
            raise UnsafeBundle(f"The bundle has an entry with control characters in its name "
                               f"('{shown}'). It was not imported.")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise UnsafeBundle(f"The bundle holds a link ('{_shown(info.filename)}'), which could "
                           "point anywhere on the computer. It was not imported.")
    if info.is_dir() or (kind and kind != stat.S_IFREG):
        raise UnsafeBundle(f"The bundle holds '{_shown(info.filename)}', which is not a plain "
                           "file. It was not imported.")
    if info.flag_bits & 0x1:
        raise BundleError(f"The bundle's {_shown(info.filename)} is encrypted; bundles are "
                          "never encrypted.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BundleError(f"The bundle's {_shown(info.filename)} uses a compression Curator "
                          "does not write.")
    if info.file_size > MAX_ENTRY_BYTES:
        raise UnsafeBundle(f"The bundle's {_shown(info.filename)} would unpack to "
                           f"{info.file_size / 2**20:,.0f} MB, more than any real bundle file "
                           f"({MAX_ENTRY_BYTES // 2**20} MB). It was not imported.")
    if info.file_size > RATIO_FLOOR_BYTES and \
            info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnsafeBundle(f"The bundle's {_shown(info.filename)} is compressed "
                           f"{info.file_size // max(info.compress_size, 1):,} to 1, which only "
                           "a zip bomb does. It was not imported.")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The bytes of one entry, read in memory and never more than *limit* of them."""
    if info.file_size > limit:
        raise UnsafeBundle(f"The bundle's {_shown(info.filename)} is larger than Curator "
                           f"accepts ({limit // 2**20} MB). It was not imported.")
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > min(limit, info.file_size):
        raise UnsafeBundle(f"The bundle's {_shown(info.filename)} unpacks to more than its "
                           "zip entry says. It was not imported.")
    return data


def _load_json(name: str, data: bytes) -> object:
    """Parse *data* as JSON after checking it is UTF-8 and not nested too deeply."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(f"The bundle's {name} is not UTF-8 text.") from None
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise UnsafeBundle(f"The bundle's {name} is nested more than "
                                   f"{MAX_JSON_DEPTH} levels deep, far beyond any real "
                                   "bundle. It was not imported.")
        elif token in "]}":
            depth -= 1
    try:
        return json.loads(text, object_pairs_hook=_no_repeated_keys,
                          parse_constant=_no_constants)
    except RecursionError:  # the depth check makes this unreachable; stay clean anyway
        raise UnsafeBundle(f"The bundle's {name} is nested too deeply.") from None
    except ValueError as exc:
        raise BundleError(f"The bundle's {name} is not valid JSON ({exc}).") from None


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key '{repeated}' appears twice in one object")
    return out


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed in a bundle")


def _check_format(manifest: object) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BundleError("This is not a Curator bundle (its manifest does not say "
                          f"\"format\": \"{FORMAT_NAME}\").")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError("The bundle's manifest has no valid format version.")
    if version > FORMAT_VERSION:
        raise BundleTooNew(
            f"This bundle was made by a newer Curator (bundle format version {version}); "
            f"this Curator reads version {FORMAT_VERSION}. Update Curator, then import it "
            "again.")
    if version != FORMAT_VERSION:
        raise BundleError(f"The bundle format version {version} is not one this Curator "
                          "reads.")


def _check_consistent(manifest: dict, resources: list[dict], changes: dict) -> None:
    ids = [r["id"] for r in resources]
    present = set(ids)
    if len(present) != len(ids):
        raise BundleError("The bundle lists the same resource twice in resources.json.")
    counts = manifest["counts"]
    expected = {"resources": len(ids), "added": len(changes["added"]),
                "updated": len(changes["updated"]), "removed": len(changes["removed"])}
    for key, value in expected.items():
        if counts[key] != value:
            raise BundleError(f"The bundle's manifest counts {counts[key]:,} {key} "
                              f"but its files hold {value:,}; it is inconsistent.")
    if changes["previous_bundle_id"] != manifest["previous_bundle_id"]:
        raise BundleError("The bundle's changes.json and manifest name different previous "
                          "bundles; it is inconsistent.")
    if not set(changes["added"]) | set(changes["updated"]) <= present or \
            set(changes["removed"]) & present:
        raise BundleError("The bundle's changes.json does not match its resources; it is "
                          "inconsistent.")
