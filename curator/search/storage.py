"""Whoosh's file storage, with segment files read through a memory map.

Two changes from Whoosh's ``FileStorage``:

* Each index writer asks its storage for a temporary folder with a fixed name.
  Whoosh's ``create`` makes it with ``os.makedirs`` and, when the folder is
  already there, keeps the resulting exception in a local variable. The
  exception's traceback holds that frame and, through it, the frames that
  called it, the writer among them: a reference cycle. Reference counting can
  then never free the writer and the postings it buffered; only Python's cycle
  collector can, which in the app means a pause of the window of a tenth of a
  second or more after a big batch of updates. Making the temporary folder
  with ``exist_ok`` raises nothing, so writers are freed as soon as they are
  done.

* With ``mapped=True``, a compound segment file (``.seg``, written once and
  never changed) is opened as a read-only memory map, and every part of it
  (term dictionary, postings, stored fields, lengths) is read by slicing the
  map: one C-level copy of just the bytes asked for. Through Whoosh's own
  sub-file reader each small read was six Python calls plus a seek and a
  read on a shared file object, and a search makes hundreds of them (a term
  lookup alone is four reads per segment). Whoosh's own mmap option is not
  used because it copies each part of the file into a ``BytesIO`` (all of a
  segment's postings on the heap). The map costs no memory of its own: the
  pages are the operating system's file cache.
"""

from __future__ import annotations

import mmap
import os
from array import array
from pickle import load

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

_SIZES = {code: array(code).itemsize for code in "bBhHiIlLqQfd"}
_LITTLE = array("H", (1,)).tobytes()[0] == 1


class _Cursor:
    """A read-only file object over part of a map (for sequential reads)."""

    __slots__ = ("_map", "_start", "_end", "_pos")

    def __init__(self, buf, start: int, length: int) -> None:
        self._map = buf
        self._start = start
        self._end = start + length
        self._pos = start

    def read(self, size: int | None = -1) -> bytes:
        pos = self._pos
        stop = self._end if size is None or size < 0 else min(pos + size, self._end)
        if stop <= pos:
            return b""
        self._pos = stop
        return self._map[pos:stop]

    def readline(self, size: int | None = -1) -> bytes:
        pos = self._pos
        nl = self._map.find(b"\n", pos, self._end)
        stop = self._end if nl < 0 else nl + 1
        if size is not None and size >= 0:
            stop = min(stop, pos + size)
        self._pos = stop
        return self._map[pos:stop]

    def seek(self, where: int, whence: int = 0) -> int:
        if whence == 0:
            pos = self._start + where
        elif whence == 1:
            pos = self._pos + where
        else:
            pos = self._end + where
        self._pos = max(self._start, pos)
        return self._pos - self._start

    def tell(self) -> int:
        return self._pos - self._start

    def close(self) -> None:
        pass


class MapFile(StructFile):
    """A StructFile reading part ``[start, start + length)`` of a memory map."""

    def __init__(self, buf, start: int, length: int, name: str | None = None,
                 owner=None, path: str | None = None) -> None:
        super().__init__(_Cursor(buf, start, length), name=name)
        self.path = path             # the mapped file
        self.is_real = False
        self.mapbuf = buf
        self.base = start
        self.size = length
        self.label = name
        self.owner = owner           # (map, file) closed with this file, if the whole file

    def get(self, position: int, length: int) -> bytes:
        if position < 0 or length <= 0:
            return b""
        start = self.base + position
        return self.mapbuf[start:min(start + length, self.base + self.size)]

    def get_array(self, position: int, typecode: str, length: int) -> array:
        a = array(typecode)
        a.frombytes(self.get(position, length * _SIZES[typecode]))
        if _LITTLE:
            a.byteswap()
        return a

    def read_array(self, typecode: str, length: int) -> array:
        a = array(typecode)
        a.frombytes(self.read(length * _SIZES[typecode]))
        if _LITTLE:
            a.byteswap()
        return a

    def read_pickle(self):
        return load(self.file)

    def subset(self, offset: int, length: int, name: str | None = None) -> MapFile:
        length = max(0, min(length, self.size - offset))
        return MapFile(self.mapbuf, self.base + offset, length, name=name or self.label,
                       path=self.path)

    def close(self) -> None:
        if self.is_closed:
            raise Exception("This file is already closed")
        self.is_closed = True
        if self.owner is not None:
            buf, f = self.owner
            self.owner = None
            try:
                buf.close()
            except BufferError:     # a view of it is still alive; freed with it
                pass
            f.close()


_READ_THROUGH = 1 << 20
_cached: set[tuple[str, int]] = set()  # (path, size) of segment files read through


def read_through(part: MapFile, cancel=None) -> None:
    """Read the whole segment file *part* belongs to once, front to back, so that the
    system's file cache holds it (on a background thread; segments never change, so a
    file is read once per process).

    A search reads a little from every segment for each word (a lookup in its term
    dictionary, a few reads; then its postings) and the text of the page of hits: from
    a cold cache each is a disk read of milliseconds on a slow or virtual disk, where
    reading the file in order costs a fraction of a second for all of them. The bytes
    go to the file cache, not to this process (they are read into one reused buffer),
    and the system gives that memory back when it needs it.
    """
    path = getattr(part, "path", None)
    if not path or (path, part.size) in _cached:
        return
    buf = bytearray(_READ_THROUGH)
    try:
        with open(path, "rb", buffering=0) as f:
            while f.readinto(buf) == len(buf):
                if cancel is not None and cancel():
                    return
    except OSError:
        return  # only a warm-up: the searches read what they need anyway
    _cached.add((path, part.size))


class Storage(FileStorage):
    def __init__(self, path, supports_mmap: bool = True, readonly: bool = False,
                 debug: bool = False, mapped: bool = False) -> None:
        super().__init__(path, supports_mmap=supports_mmap, readonly=readonly, debug=debug)
        self.mapped = mapped

    def open_file(self, name, **kwargs):
        if not (self.mapped and name.endswith(".seg")):
            return super().open_file(name, **kwargs)
        path = os.path.join(os.path.abspath(self.folder), name)
        f = open(path, "rb")
        try:
            size = os.fstat(f.fileno()).st_size
            if not size:
                return StructFile(f, name=name, **kwargs)
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except BaseException:
            f.close()
            raise
        return MapFile(buf, 0, size, name=name, owner=(buf, f), path=path)

    def create(self) -> Storage:
        path = os.path.abspath(self.folder)
        os.makedirs(path, exist_ok=True)
        if not os.path.isdir(path):
            raise NotADirectoryError(f"{path!r} is not a folder")
        return self

    def temp_storage(self, name: str | None = None) -> Storage:
        from whoosh.util import random_name
        path = os.path.join(self.folder, name or f"{random_name()}.tmp")
        return Storage(path, supports_mmap=self.supports_mmap).create()
