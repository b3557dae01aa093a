"""Portal bundles: writing them, reading them back safely, and planning a merge.

A bundle is one zip of approved resources with a manifest, JSON for machines, an
accessible HTML page and a spreadsheet-safe CSV for people. See docs/bundle-format.md.
"""

from curator.publishing.bundles.format import (
    FORMAT_NAME,
    DISPLAY_FIELDS,
    FORMAT_VERSION,
    PUBLIC_FIELDS,
    Bundle,
    BundleError,
    BundleInfo,
    BundleTooNew,
    Changes,
    PreviousBundle,
    UnsafeBundle,
    content_fingerprint,
    fingerprint,
    public_resource,
)
from curator.publishing.bundles.merge import Plan, PlanItem, merge_plan
from curator.publishing.bundles.reader import read_bundle
from curator.publishing.bundles.writer import write_bundle

__all__ = [
    "DISPLAY_FIELDS", "FORMAT_NAME", "FORMAT_VERSION", "PUBLIC_FIELDS", "Bundle", "BundleError",
    "BundleInfo",
    "BundleTooNew", "Changes", "Plan", "PlanItem", "PreviousBundle", "UnsafeBundle",
    "content_fingerprint", "fingerprint", "merge_plan", "public_resource", "read_bundle",
    "write_bundle",
]
