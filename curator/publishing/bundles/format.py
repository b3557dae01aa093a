"""The bundle format: its names, limits, public fields and the records passed around.

A bundle is one zip that carries approved resources from an expert's library to the
Single Source portal (and to other experts' libraries). docs/bundle-format.md describes
it for the portal side; the JSON Schemas in ``schema/`` are the contract.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from curator.base.errors import CuratorError

FORMAT_NAME = "curator-bundle"
#: Bump only for a change an older reader would misunderstand (a field removed, renamed or
#: given a new meaning). Adding an optional field or file keeps the version.
FORMAT_VERSION = 1

MANIFEST = "manifest.json"
RESOURCES = "resources.json"
CHANGES = "changes.json"
INDEX_HTML = "index.html"
CSV = "resources.csv"
NEWSLETTER = "newsletter.html"
#: Every file a version 1 bundle must hold, manifest first.
REQUIRED_FILES = (MANIFEST, RESOURCES, CHANGES, INDEX_HTML, CSV, NEWSLETTER)

# Limits on what the reader accepts. A real bundle of 10,000 resources is about 20 MB
# uncompressed, so these leave room while stopping hostile files early.
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 1_000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ENTRY_BYTES = 60 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
#: Uncompressed / compressed. Repetitive JSON compresses about 10:1; bombs reach 1000:1.
MAX_RATIO = 150
#: Ratios are only judged above this size: tiny files can have large ratios honestly.
RATIO_FLOOR_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32

#: The fields of a resource that go into resources.json, in this order. Everything else
#: a library knows (who clipped it and when, fetch results, page text, link checks,
#: trash and retirement details, content fingerprints) stays in the library.
PUBLIC_FIELDS = (
    "id", "url", "title", "summary", "author", "site", "published", "type", "audience",
    "notes", "themes", "tags", "language", "status", "last_reviewed", "review_due",
    "updated_at", "version",
)
#: Fields added for readers of the portal page, after the first version of the format
#: (optional: older bundles lack them). Who approved a resource and when, and, where the
#: link is a document, its kind ("PDF") and size in bytes. They are worked out, not
#: written by the expert, so they are left out of the fingerprint and the personal-data
#: check (an approver is a member of staff, named as the bundle's maker already is).
DISPLAY_FIELDS = ("approved_on", "approved_by", "file_type", "file_size", "access")
#: Fields that say when a record changed rather than what it says; left out of the
#: fingerprint so that a save which changes nothing visible is not an update.
BOOKKEEPING_FIELDS = ("updated_at", "version")
#: Content types of documents (not web pages), and the word a reader knows them by.
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        "Word document",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/rtf": "Rich Text document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        "Excel spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "text/csv": "CSV spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        "PowerPoint presentation",
    "application/epub+zip": "EPUB book",
}
#: What the expert wrote about the resource: what merging compares. Status and review
#: dates are left out because each library keeps its own.
CONTENT_FIELDS = ("url", "title", "summary", "author", "site", "published", "type",
                  "audience", "notes", "themes", "tags", "language")
_LIST_FIELDS = ("audience", "themes", "tags")
_DAY_FIELDS = ("last_reviewed", "review_due")
_TEXT_FIELDS = ("title", "summary", "author", "site", "notes", "type", "status")


class BundleError(CuratorError):
    """A bundle could not be written or read; the message says why."""


class UnsafeBundle(BundleError):
    """A bundle's zip is built in a way that could harm the computer reading it."""


class BundleTooNew(BundleError):
    """The bundle uses a newer format version than this Curator reads."""


@dataclass(frozen=True)
class Changes:
    """Resource ids added, updated and removed since the previous bundle of the same themes."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class PreviousBundle(Protocol):
    """What the writer needs to know about the bundle before: a :class:`BundleInfo`, a
    :class:`Bundle` read back from disk, or the lead's own record from the database."""

    id: str
    themes: list[dict]
    fingerprints: dict[str, str]


@dataclass(frozen=True)
class BundleInfo:
    """A bundle just written: where it is and what went into it.

    Attributes:
        fingerprints: resource id -> fingerprint of its public content; keep these (for
            example in ``bundle_items``) to pass as *previous* next time.
    """

    path: Path
    id: str
    created_at: str
    created_by: str
    library_id: str
    themes: list[dict]
    previous_id: str | None
    counts: dict[str, int]
    changes: Changes
    fingerprints: dict[str, str]
    content_fingerprints: dict[str, str]


@dataclass(frozen=True)
class Bundle:
    """A bundle read and checked by :func:`curator.publishing.bundles.read_bundle`."""

    path: Path
    manifest: dict
    resources: list[dict]
    changes: Changes

    @property
    def id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def themes(self) -> list[dict]:
        return self.manifest["themes"]

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def created_by(self) -> str:
        return self.manifest["created_by"]

    @property
    def library_id(self) -> str:
        return self.manifest["library_id"]

    @property
    def previous_id(self) -> str | None:
        return self.manifest.get("previous_bundle_id")

    @property
    def fingerprints(self) -> dict[str, str]:
        return {r["id"]: fingerprint(r) for r in self.resources}

    @property
    def content_fingerprints(self) -> dict[str, str]:
        return {r["id"]: content_fingerprint(r) for r in self.resources}


def public_resource(resource: Mapping) -> dict:
    """The portal's view of a resource: :data:`PUBLIC_FIELDS` and :data:`DISPLAY_FIELDS`
    only, tidied to the schema."""
    out: dict = {}
    for name in PUBLIC_FIELDS:
        value = resource.get(name)
        if name in _LIST_FIELDS:
            value = [str(v) for v in (value or [])]
        elif name in _TEXT_FIELDS:
            value = "" if value is None else str(value)
        elif name == "version":
            value = int(value or 1)
        elif name in _DAY_FIELDS and value:
            value = str(value)[:10]
        elif value is not None:
            value = str(value)
        out[name] = value
    # A library's record says what its link is (content type, size); a bundle's says it
    # in the reader's words already.
    kind = resource.get("file_type") or document_type(resource.get("content_type"))
    size = resource.get("file_size", resource.get("content_size"))
    out["approved_on"] = str(resource["approved_on"])[:10] if resource.get("approved_on") \
        else None
    out["approved_by"] = str(resource["approved_by"]) if resource.get("approved_by") else None
    out["file_type"] = str(kind) if kind else None
    out["file_size"] = size if kind and isinstance(size, int) and size > 0 else None
    # "login": the page needs a sign-in to read (captured from the expert's browser).
    out["access"] = "login" if resource.get("access") == "login" else None
    return out


def fingerprint(resource: Mapping) -> str:
    """A SHA-256 of a resource's public record, ignoring :data:`BOOKKEEPING_FIELDS`.

    Two records with the same fingerprint show the same thing on the portal; a new
    fingerprint since the previous bundle makes the resource "updated" in changes.json.
    """
    public = public_resource(resource)
    return _digest({k: v for k, v in public.items()
                    if k not in BOOKKEEPING_FIELDS and k not in DISPLAY_FIELDS})


def document_type(content_type: str | None) -> str | None:
    """"PDF", "Word document"... for a document's content type; None for a web page."""
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return DOCUMENT_TYPES.get(base)


def content_fingerprint(resource: Mapping) -> str:
    """A SHA-256 of what the expert wrote (:data:`CONTENT_FIELDS`): what merging compares.

    Record it for each resource whenever it is exported or imported; that is the
    "common version" :func:`curator.publishing.bundles.merge_plan` needs to tell who changed what.
    """
    public = public_resource(resource)
    return _digest({k: public[k] for k in CONTENT_FIELDS})


def _digest(record: dict) -> str:
    data = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
