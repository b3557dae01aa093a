"""Sample approved resources and a bundle writer with fixed inputs, for the bundle tests."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from curator.catalogue.resources import Resource
from curator.publishing.bundles import write_bundle

THEMES = [{"code": "DA", "name": "Domestic abuse"}, {"code": "NEG", "name": "Neglect"}]
NOW = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
HOSTILE_TITLES = ["<script>alert(1)</script>", '" onmouseover="x', "<img src=x onerror=alert(1)>",
                  "</h4><a href='javascript:alert(1)'>click</a>", "Tom & Jerry's \"guide\""]


def make_resource(n: int, **overrides) -> dict:
    """A realistic approved resource as Resource.to_dict() gives it, internal fields and all."""
    types = ("research", "guidance", "practice tool", "video", "podcast")
    record = Resource(
        id=str(uuid.UUID(int=n + 1)), url=f"https://www.example.org/library/{n}?ref=x",
        norm_url=f"https://www.example.org/library/{n}", title=f"Resource number {n}",
        summary=f"What resource {n} covers, in two sentences. It is about practice.",
        author="A. Researcher", site="Example Research", published="2021-06-01",
        type=types[n % len(types)], audience=["practitioners"],
        notes=f"Why {n} matters: it helps with planning.\n\nA second paragraph.",
        status="approved", clipped_by="Sam Clipper", clipped_at="2024-01-01T10:00:00Z",
        updated_by="Alex Lead", updated_at="2024-02-01T10:00:00Z", review_due="2025-02-01",
        last_reviewed="2024-02-01", fetch_state="ok", fetch_error="secret fetch detail",
        fetched_at="2024-01-01T10:00:01Z", content_type="text/html", content_size=12345,
        link_health="ok", canonical_url=None, language="en", deleted_at=None,
        retired_reason=None, version=2, themes=["DA"] if n % 3 else ["DA", "NEG"],
        tags=["coercive control"]).to_dict()
    record.update(overrides)
    return record


def write(folder: Path, resources: list[dict], previous=None, **kwargs):
    return write_bundle(folder, resources=resources, themes=kwargs.pop("themes", THEMES),
                        created_by="Alex Lead", previous=previous, library_id="lib-1",
                        now=kwargs.pop("now", NOW), **kwargs)
