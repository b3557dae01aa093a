"""Writing a bundle: one zip, complete or not there at all, never over another bundle."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path

from curator.base import clock, csvsafe
from curator.base.errors import StorageError
from curator.publishing.bundles import html, schemas
from curator.publishing.bundles.format import (
    CHANGES,
    CSV,
    FORMAT_NAME,
    FORMAT_VERSION,
    INDEX_HTML,
    MANIFEST,
    NEWSLETTER,
    RESOURCES,
    BundleError,
    BundleInfo,
    Changes,
    PreviousBundle,
    content_fingerprint,
    fingerprint,
    public_resource,
    sha256,
)

#: Columns of resources.csv, in order, with the header each gets.
CSV_COLUMNS = (
    ("id", "Id"), ("title", "Title"), ("url", "Address"), ("site", "Site"),
    ("author", "Author"), ("published", "Published"), ("type", "Type"),
    ("audience", "Audience"), ("themes", "Theme codes"), ("theme_names", "Themes"),
    ("tags", "Tags"), ("summary", "Summary"), ("notes", "Why it matters"),
    ("last_reviewed", "Last reviewed"), ("review_due", "Review due"),
    ("approved_on", "Approved"), ("approved_by", "Approved by"), ("file", "Document"),
    ("updated_at", "Updated"), ("version", "Version"),
)
_LIST_SEPARATOR = "; "
# A fixed time for every zip entry, so that the same content gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_bundle(folder: Path, *, resources: list[Mapping], themes: list[Mapping],
                 created_by: str, previous: PreviousBundle | None, library_id: str,
                 title: str | None = None, now: dt.datetime | None = None) -> BundleInfo:
    """Write a bundle of *resources* for *themes* into *folder* and say what went in.

    The caller chooses the resources (approved, not retired, privacy-checked); this
    function keeps only their public fields. *previous* is the last bundle of the same
    themes, for changes.json; None for the first. The zip is built in memory, written to
    a temporary file and linked into place only when complete, and an existing file is
    never replaced.

    Raises:
        BundleError: the input cannot make a valid bundle (the message says which
            resource and why), or a file of that name already exists.
        StorageError: the folder cannot be written.
    """
    info, data = build_bundle(folder, resources=resources, themes=themes,
                              created_by=created_by, previous=previous,
                              library_id=library_id, title=title, now=now)
    _publish(info.path, data)
    return info


def build_bundle(folder: Path, *, resources: list[Mapping], themes: list[Mapping],
                 created_by: str, previous: PreviousBundle | None, library_id: str,
                 title: str | None = None,
                 now: dt.datetime | None = None) -> tuple[BundleInfo, bytes]:
    """The bundle :func:`write_bundle` would write, and its bytes; nothing is written.

    ``info.path`` is where it is meant to go. A caller that records the bundle before
    it appears (so that no bundle is ever on disk unrecorded) writes the bytes to
    :func:`part_path` with :func:`write_part`, records it, then calls :func:`put_in_place`.
    """
    created = (now or clock.now()).astimezone(dt.UTC).replace(microsecond=0)
    created_at = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    theme_list = [{"code": str(t["code"]), "name": str(t["name"])} for t in themes]
    if not theme_list:
        raise BundleError("A bundle needs at least one theme.")
    if not (created_by or "").strip():
        raise BundleError("A bundle needs the name of the expert who made it.")
    if previous is not None and _codes(previous.themes) != _codes(theme_list):
        raise BundleError(
            f"The previous bundle covers {', '.join(sorted(_codes(previous.themes)))}, not "
            f"{', '.join(sorted(_codes(theme_list)))}; changes are only worked out between "
            "bundles of the same themes.")

    public = [public_resource(r) for r in resources]
    _check_unique(public)
    public.sort(key=lambda r: r["id"])
    fingerprints = {r["id"]: fingerprint(r) for r in public}
    changes = _changes(fingerprints, previous)
    bundle_id = str(uuid.uuid4())
    previous_id = previous.id if previous is not None else None

    resources_doc = {"resources": public}
    changes_doc = {"previous_bundle_id": previous_id, "added": changes.added,
                   "updated": changes.updated, "removed": changes.removed}
    _self_check(RESOURCES, resources_doc, public)
    schemas.check(CHANGES, changes_doc)

    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "bundle_id": bundle_id,
        "created_at": created_at,
        "created_by": created_by.strip(),
        "generator": html.GENERATOR,
        "title": title or "",
        "library_id": library_id,
        "themes": theme_list,
        "previous_bundle_id": previous_id,
        "counts": {"resources": len(public), "added": len(changes.added),
                   "updated": len(changes.updated), "removed": len(changes.removed)},
        "files": {},
    }
    files = {
        RESOURCES: _json_bytes(resources_doc),
        CHANGES: _json_bytes(changes_doc),
        INDEX_HTML: html.render_index(manifest, public).encode("utf-8"),
        CSV: _csv_bytes(public, theme_list),
        NEWSLETTER: html.render_newsletter(manifest, public, changes.added,
                                           changes.updated).encode("utf-8"),
    }
    manifest["files"] = {name: sha256(data) for name, data in files.items()}
    schemas.check(MANIFEST, manifest)

    path = Path(folder) / _file_name(theme_list, created, bundle_id)
    data = _zip_bytes({MANIFEST: _json_bytes(manifest), **files})
    return BundleInfo(path=path, id=bundle_id, created_at=created_at,
                      created_by=manifest["created_by"], library_id=library_id,
                      themes=theme_list, previous_id=previous_id, counts=manifest["counts"],
                      changes=changes, fingerprints=fingerprints,
                      content_fingerprints={r["id"]: content_fingerprint(r) for r in public}
                      ), data


def _codes(themes: list[Mapping]) -> set[str]:
    return {str(t["code"]) for t in themes}


def _check_unique(public: list[dict]) -> None:
    seen: set[str] = set()
    for r in public:
        if r["id"] in seen:
            raise BundleError(f"The resource {r['id']} was given twice; a bundle holds each "
                              "resource once.")
        seen.add(r["id"])


def _changes(fingerprints: dict[str, str], previous: PreviousBundle | None) -> Changes:
    if previous is None:
        return Changes(added=sorted(fingerprints))
    before = previous.fingerprints
    return Changes(
        added=sorted(i for i in fingerprints if i not in before),
        updated=sorted(i for i in fingerprints if i in before and before[i] != fingerprints[i]),
        removed=sorted(i for i in before if i not in fingerprints))


def _self_check(name: str, document: dict, public: list[dict]) -> None:
    """Refuse to write what the reader would refuse, naming the resource at fault."""
    try:
        schemas.check(name, document)
    except BundleError as exc:
        match = re.search(r"at resources → (\d+)", exc.message)
        if not match:
            raise
        bad = public[int(match.group(1))]
        what = exc.message.split(": ", 1)[-1].rstrip(").")
        raise BundleError(
            f"The resource '{bad['title'] or bad['url']}' ({bad['id']}) cannot go into a "
            f"bundle: {what}.", detail=exc.detail) from None


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv_bytes(public: list[dict], themes: list[dict]) -> bytes:
    names = {t["code"]: t["name"] for t in themes}
    rows = []
    for r in public:
        row = []
        for key, _ in CSV_COLUMNS:
            if key == "theme_names":
                value = _LIST_SEPARATOR.join(names.get(c, c) for c in r["themes"])
            elif key == "type":
                value = html.type_label(r["type"])
            elif key == "audience":
                value = _LIST_SEPARATOR.join(a[:1].upper() + a[1:] for a in r["audience"])
            elif key == "file":
                value = html.file_text(r)
            elif isinstance(r.get(key), list):
                value = _LIST_SEPARATOR.join(r[key])
            else:
                value = r.get(key)
            row.append(value)
        rows.append(row)
    return csvsafe.to_csv_bytes([header for _, header in CSV_COLUMNS], rows)


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            zf.writestr(info, data)
    return buffer.getvalue()


def _file_name(themes: list[dict], created: dt.datetime, bundle_id: str) -> str:
    codes = "-".join(re.sub(r"[^A-Za-z0-9]", "", t["code"]) or "theme" for t in themes)
    if len(codes) > 60:
        codes = codes[:60].rstrip("-") + "-etc"
    return f"{codes}-{created:%Y%m%d-%H%M%S}-{bundle_id[:8]}.zip"


def part_path(path: Path) -> Path:
    """The temporary name a bundle is written under before it is put in place: hidden,
    beside it, and the same every time for the same bundle (so it can be found again)."""
    return path.with_name(f".{path.name}.part")


def write_part(part: Path, data: bytes) -> None:
    """Write *data* to the new file *part* and make it durable.

    Raises:
        StorageError: the folder cannot be written (nothing is left behind).
    """
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        with open(part, "xb") as fh:
            try:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            except OSError:
                fh.close()
                with contextlib.suppress(OSError):
                    os.unlink(part)
                raise
    except OSError as exc:
        raise StorageError(f"The bundle could not be written to {part.parent}: "
                           f"{exc.strerror or exc}.", detail=repr(exc)) from exc


def put_in_place(part: Path, path: Path) -> None:
    """Give the complete *part* its bundle name *path* (never over another file), then
    remove the temporary name.

    Raises:
        BundleError: a file named *path* already exists.
        StorageError: the folder refused.
    """
    try:
        if not path.exists():
            _link_new(str(part), path)
        elif part.exists() and not os.path.samefile(part, path):
            raise FileExistsError(errno.EEXIST, "exists", str(path))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part)
        _sync_folder(path.parent)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise StorageError(f"The bundle could not be put in place in {path.parent}: "
                           f"{exc.strerror or exc}.", detail=repr(exc)) from exc


def _publish(path: Path, data: bytes) -> None:
    """Write *data* to a new file at *path*: all of it or none, and never over another.

    Like :func:`curator.base.atomic.atomic_write`, but the last step is a hard link, which
    fails when the name is taken, where a rename would silently replace that file.
    """
    if path.exists():
        raise _exists(path)
    part = part_path(path)
    write_part(part, data)
    try:
        put_in_place(part, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(part)


def _exists(path: Path) -> BundleError:
    return BundleError(f"A bundle named {path.name} already exists in {path.parent}; "
                       "bundles are never overwritten.")


def _sync_folder(folder: Path) -> None:
    """Make the new name itself survive a power cut (POSIX; Windows has no such call)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
    except OSError as exc:
        # Some file systems (FAT, some network shares) have no hard links. There a
        # rename refuses an existing target on Windows; elsewhere check just before.
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.rename(tmp, path)
