"""Where the search index lives on disk: generation folders named by ``CURRENT``.

``index_dir`` holds one folder per generation (``g-<time>-<random>``), each a
complete Whoosh index plus ``curator-search.json`` with the schema version it
was built with, and a ``CURRENT`` file naming the live one. A rebuild writes a
brand-new generation and then replaces ``CURRENT`` atomically (os.replace), so
readers never see a half-built index, a cancelled or crashed rebuild leaves the
old one untouched, and nothing is renamed while files may be open (Windows
refuses that). Other generations are deleted once no longer needed (best
effort: a file still open is retried at the next rebuild).

The health check (``check_usable``) looks at structure only, reading a few
kilobytes whatever the index's size.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import struct
import time
import uuid
from pathlib import Path

from whoosh.index import TOC

from curator.search.build import INDEX_NAME
from curator.search.schema import SCHEMA_VERSION, build_schema
from curator.search.storage import Storage as FileStorage

CURRENT = "CURRENT"
META = "curator-search.json"
_NAME = re.compile(r"g-[0-9a-z\-]+")
MAPPED = True   # segment files read through a memory map (storage.py)


def current_name(index_dir: Path) -> str | None:
    """The live generation's folder name, or None (missing or unreadable)."""
    try:
        name = (index_dir / CURRENT).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if _NAME.fullmatch(name or "") else None


def new_name() -> str:
    """A folder name for a new generation (time first, so names sort by age)."""
    return f"g-{int(time.time() * 1000):x}-{uuid.uuid4().hex[:8]}"


def write_meta(folder: Path) -> None:
    """Mark a finished generation with the schema version it was built with."""
    (folder / META).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), "utf-8")


def _meta_ok(folder: Path) -> bool:
    meta = json.loads((folder / META).read_text("utf-8"))
    return meta.get("schema_version") == SCHEMA_VERSION


def open_current(index_dir: Path):
    """``(name, whoosh index)`` of the live generation.

    Raises FileNotFoundError if there is none and ValueError if it was built
    with another schema version.
    """
    name = current_name(index_dir)
    if name is None:
        raise FileNotFoundError("no search index yet")
    folder = index_dir / name
    if not _meta_ok(folder):
        raise ValueError("search index schema is out of date")
    # Not Whoosh's mmap (it copies each segment part into a BytesIO: every
    # segment's postings ended up on the heap, 1.2 GB at 50,000 documents)
    # but storage.py's, which reads segment files by slicing a memory map.
    storage = FileStorage(str(folder), supports_mmap=False, mapped=MAPPED)
    return name, storage.open_index(INDEX_NAME)


def make_current(index_dir: Path, name: str) -> None:
    """Point ``CURRENT`` at generation ``name``, atomically."""
    tmp = index_dir / f"{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(name, "utf-8")
    os.replace(tmp, index_dir / CURRENT)


def cleanup(index_dir: Path, keep: str) -> None:
    """Delete other generations and stray temporary files (best effort)."""
    for child in index_dir.iterdir():
        if child.name in (keep, CURRENT):
            continue
        if child.name.startswith("g-") or child.name.endswith(".tmp"):
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                try:
                    child.unlink()
                except OSError:
                    pass


# ------------------------------------------------------------ health


def check_usable(index_dir: Path) -> bool:
    """CURRENT names a generation of this schema version whose table of
    contents reads, with this schema's fields, and every segment's compound
    file has a readable directory whose parts all lie within the file.
    (May raise on damage; SearchIndex.is_usable turns that into False.)"""
    name = current_name(index_dir)
    if name is None:
        return False
    folder = index_dir / name
    if not _meta_ok(folder):
        return False
    storage = FileStorage(str(folder))
    toc = TOC.read(storage, INDEX_NAME)
    if toc.schema.names() != build_schema().names():
        return False
    for seg in toc.segments:
        if not seg.is_compound():
            return False            # our writers always make compound segments
        if not compound_ok(folder / seg.make_filename(seg.COMPOUND_EXT), seg.segment_id()):
            return False
    return True


def compound_ok(path: Path, segment_id: str) -> bool:
    """A compound segment file's header and directory read back and every
    part lies inside the file (catches truncated, emptied or garbage files).

    The layout is Whoosh's CompoundStorage: 12 bytes (directory offset as a
    big-endian int64, directory length as an int32), the parts, then the
    pickled directory ``{name: {"offset", "length"}}`` and options.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) != 12:
            return False
        diroffset, dirlength = struct.unpack("!qi", head)
        if not (12 <= diroffset and diroffset + dirlength == size and dirlength > 0):
            return False
        f.seek(diroffset)
        directory = pickle.loads(f.read(dirlength))   # directory, then options
    if not isinstance(directory, dict) or f"{segment_id}.trm" not in directory:
        return False
    for info in directory.values():
        off, length = info["offset"], info["length"]
        if off < 12 or length < 0 or off + length > diroffset:
            return False
    return True
