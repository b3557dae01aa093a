"""Bringing existing collections in: bookmark exports, spreadsheets, reference lists.

``load(path_or_bytes, name)`` reads a file whatever its kind (see :mod:`.detect`) and
gives a :class:`Loaded`: the rows as :class:`ImportRow` objects, and for spreadsheets the
:class:`Table` they came from so that the column mapping can be changed. Nothing here
touches a library: :mod:`curator.importing.run` checks the rows against one and imports them.
One module per format: ``netscape``, ``spreadsheet`` (CSV and .xlsx), ``csljson``,
``ris`` and ``urllist``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from curator.importing.formats.detect import FORMATS, LABELS, POSITION_LABELS, detect, not_readable
from curator.importing.formats.rows import MAX_FILE_BYTES, MAX_ROWS, ImportFileError, ImportRow
from curator.importing.formats.spreadsheet import FIELD_LABELS, FIELDS, Table, guess_mapping

__all__ = ["FIELDS", "FIELD_LABELS", "FORMATS", "LABELS", "MAX_ROWS", "ImportFileError",
           "ImportRow", "Loaded", "Table", "detect", "guess_mapping", "load", "read_bytes"]


@dataclass
class Loaded:
    """A file read into rows. For spreadsheets, ``table`` and ``mapping`` say how."""

    format: str
    name: str
    rows: list[ImportRow]
    table: Table | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    info: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS[self.format]

    @property
    def position_label(self) -> str:
        return POSITION_LABELS[self.format]

    @property
    def headers(self) -> list[str]:
        return self.table.headers if self.table else []

    def with_mapping(self, mapping: dict[str, str | int | None] | None) -> Loaded:
        """The same spreadsheet read with another column mapping (checked first).

        *mapping* changes the guessed one: a field mapped to None or "" is cleared.
        """
        if self.table is None:
            return self
        from curator.importing.formats.spreadsheet import resolve_mapping, to_rows

        merged = {**self.mapping}
        merged.update(mapping or {})
        chosen = resolve_mapping(merged, self.table.headers)
        return Loaded(self.format, self.name, to_rows(self.table, chosen), self.table,
                      chosen, self.info)


def read_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes, refusing a missing, unreadable or far too large file plainly."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ImportFileError(f"{p} is a folder. Choose the exported file inside it.")
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"{p.name} is {size / 1048576:.0f} MB; Curator imports files up to "
                f"{MAX_FILE_BYTES // 1048576} MB. Split it, or check it is the right file.")
        return p.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"There is no file {p}. Check the name and folder.") from None
    except PermissionError:
        raise ImportFileError(f"Curator is not allowed to read {p}. Check the file's "
                              "permissions, or copy it somewhere you can open it.") from None
    except OSError as exc:
        raise ImportFileError(f"{p} could not be read: {exc.strerror or exc}.") from None


def load(source: str | os.PathLike | bytes, name: str | None = None,
         format: str | None = None, mapping: dict | None = None) -> Loaded:
    """Read a collection from a file path or bytes (pasted text: pass its bytes).

    Raises :class:`ImportFileError` (a :class:`~curator.base.errors.CuratorError`) when the
    file as a whole cannot be read; a bad row comes back as a row with ``error`` set.
    """
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = name or "The pasted text"
        if len(data) > MAX_FILE_BYTES:
            raise ImportFileError(f"{name} is too large to import (over "
                                  f"{MAX_FILE_BYTES // 1048576} MB).")
    else:
        data = read_bytes(source)
        name = name or Path(source).name
    fmt = format or detect(data, name)
    if fmt not in FORMATS:
        raise not_readable(name, f"of an unknown kind ('{fmt}')")
    info: dict = {}
    if fmt in ("csv", "xlsx"):
        from curator.importing.formats import spreadsheet

        table = spreadsheet.read_xlsx(data, name) if fmt == "xlsx" else \
            spreadsheet.read_csv(data, name)
        guessed = guess_mapping(table.headers, table.sample())
        loaded = Loaded(fmt, name, [], table, guessed, dict(table.info))
        return loaded.with_mapping(mapping or {})
    if fmt in ("netscape", "pocket"):
        from curator.clipping.extract.decode import decode
        from curator.importing.formats import netscape, pocket

        text, encoding = decode(data)
        rows = (pocket.parse if fmt == "pocket" else netscape.parse)(text, name)
    else:
        from curator.importing.formats import csljson, ris, urllist
        from curator.importing.formats.textdecode import decode_text

        text, encoding = decode_text(data)
        parser = {"csljson": csljson.parse, "ris": ris.parse, "urllist": urllist.parse}[fmt]
        rows = parser(text, name)
    info["encoding"] = encoding
    return Loaded(fmt, name, rows, None, {}, info)
