"""The bundle's JSON Schemas (draft 2020-12), loaded from package data, and checking."""

from __future__ import annotations

import functools
import json
from importlib import resources as package_files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from curator.publishing.bundles.format import CHANGES, MANIFEST, RESOURCES, BundleError

#: Which schema describes which file.
SCHEMA_FILES = {
    MANIFEST: "manifest.schema.json",
    RESOURCES: "resources.schema.json",
    CHANGES: "changes.schema.json",
}


def schema_text(name: str) -> str:
    """The schema for bundle file *name* (e.g. "manifest.json"), as published."""
    folder = package_files.files("curator.publishing.bundles") / "schema"
    return (folder / SCHEMA_FILES[name]).read_text(encoding="utf-8")


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # loaded when first checked

    schema = json.loads(schema_text(name))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(name: str, document: object) -> None:
    """Raise :class:`BundleError` naming the first place where *document* breaks its schema."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(name).iter_errors(document))
    if error is None:
        return
    where = " → ".join(str(p) for p in error.absolute_path) or "the top level"
    detail = error.message
    if len(detail) > 200:
        detail = detail[:199] + "…"
    raise BundleError(
        f"The bundle's {name} does not follow the bundle format (at {where}: {detail}).",
        detail=str(error))
