"""Build the Curator browser extension into installable packages.

    python extension/build.py [--out DIR]

writes, from extension/src (and Curator's icon):

- ``curator-clipper-chromium-VERSION.zip``: for Edge and Chrome (load it unpacked from a
  folder, upload it to a store, or have IT pack and sign it: see docs/browser.md);
- ``curator-clipper-firefox-VERSION.zip``: for Firefox (its manifest names a background
  script instead of a service worker, and carries the add-on's id).

    python extension/build.py --unpacked DIR

writes the Edge and Chrome extension as a folder instead, to load unpacked (developer
mode's *Load unpacked*, or ``--load-extension=DIR`` as tests/browser/e2e does).

The packages are the same byte for byte on every run (fixed dates and order). Standard
library only, so it runs wherever Python does.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
ICON = HERE.parent / "curator" / "data" / "icon.png"
FIREFOX_ID = "clip@curator"  # curator.browser.manifests.FIREFOX_ID
FILES = ("background.js", "clip.js", "panel.html", "panel.css", "panel.js")
STAMP = (2026, 1, 1, 0, 0, 0)


def chromium_manifest() -> dict:
    return json.loads((SRC / "manifest.json").read_text(encoding="utf-8"))


def firefox_manifest() -> dict:
    out = chromium_manifest()
    out.pop("key")  # Firefox knows the add-on by its id instead
    out["background"] = {"scripts": ["background.js"], "type": "module"}
    out["browser_specific_settings"] = {"gecko": {"id": FIREFOX_ID,
                                                  "strict_min_version": "115.0"}}
    return out


def _entries(manifest: dict) -> list[tuple[str, bytes]]:
    entries = [("manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))]
    entries += [(name, (SRC / name).read_bytes()) for name in FILES]
    entries.append(("icon.png", ICON.read_bytes()))
    return entries


def _write(path: Path, manifest: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _entries(manifest):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    part.replace(path)
    return path


def build(out: Path) -> list[Path]:
    version = chromium_manifest()["version"]
    return [_write(out / f"curator-clipper-chromium-{version}.zip", chromium_manifest()),
            _write(out / f"curator-clipper-firefox-{version}.zip", firefox_manifest())]


def unpacked(folder: Path) -> Path:
    """The Edge and Chrome extension as files in *folder* (made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in _entries(chromium_manifest()):
        (folder / name).write_bytes(data)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Curator browser extension.")
    parser.add_argument("--out", type=Path, default=HERE / "dist",
                        help="where the packages go (default: extension/dist)")
    parser.add_argument("--unpacked", type=Path, metavar="DIR",
                        help="write the Edge and Chrome extension into DIR as files instead")
    args = parser.parse_args(argv)
    if args.unpacked:
        print(unpacked(args.unpacked))
        return 0
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
