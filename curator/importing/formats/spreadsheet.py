"""Spreadsheets: CSV in whatever encoding and delimiter a laptop wrote, and Excel .xlsx.

Reading gives a :class:`Table` (headers and rows as they are in the file, numbered as
the spreadsheet numbers them); a *mapping* from Curator's fields to columns turns it
into :class:`ImportRow` objects. :func:`guess_mapping` proposes the mapping from the
headers and a sample of values; the person corrects it (``--map`` or the wizard).

Excel files are read with openpyxl in read-only mode, taking each cell's last computed
value, never its formula. A file's zip container is checked against size and count caps
before it is opened, and long runs of empty rows (Excel's formatted-but-blank tails) end
the sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from curator.importing.formats.rows import (
    MAX_ROWS,
    ImportFileError,
    ImportRow,
    one_line,
    parse_date,
    split_list,
    tidy_block,
    tidy_url,
    too_many_rows,
)
from curator.importing.formats.textdecode import decode_text
from curator.importing.formats.xlsxlinks import sheet_hyperlinks

#: Curator fields a column can fill, in the order the wizard shows them.
FIELDS = ("url", "title", "notes", "summary", "tags", "theme", "published", "author")
FIELD_LABELS = {"url": "Web address", "title": "Title", "notes": "Why it matters (notes)",
                "summary": "Summary", "tags": "Tags", "theme": "Theme",
                "published": "Published", "author": "Author"}
DELIMITERS = (",", ";", "\t", "|")
#: An .xlsx whose parts would unpack to more than this is refused (zip bombs).
MAX_XLSX_UNPACKED = 300 * 1024 * 1024
MAX_XLSX_PARTS = 5_000
MAX_XLSX_RATIO = 200
#: This many empty rows in a row end a sheet.
BLANK_RUN_END = 5_000
MAX_CELL = 100_000

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "links", "address", "web address", "website", "web site",
            "web link", "weblink", "hyperlink", "href", "uri", "location", "source url",
            "page url", "web page", "webpage", "resource url", "link url", "url address"),
    "title": ("title", "name", "page title", "resource", "resource title", "resource name",
              "heading", "document", "document title", "article", "article title",
              "publication", "item", "link title", "link name"),
    "notes": ("notes", "note", "comments", "comment", "why", "why it matters",
              "annotation", "annotations", "remarks", "relevance", "my notes",
              "description"),
    "summary": ("summary", "abstract", "synopsis", "excerpt", "overview"),
    "tags": ("tags", "tag", "keywords", "keyword", "labels", "label", "categories",
             "category"),
    "theme": ("theme", "themes", "topic", "topics", "practice area", "area", "subject",
              "subjects", "folder", "collection", "theme code"),
    "published": ("published", "date published", "publication date", "pub date", "date",
                  "year", "issued", "published date", "date of publication",
                  "publication year"),
    "author": ("author", "authors", "by", "creator", "creators", "written by",
               "organisation", "organization", "author s"),
}
_NOT_PUBLISHED = ("added", "created", "modified", "accessed", "visited", "review", "saved",
                  "updated", "checked")
_URLISH = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)


@dataclass
class Table:
    """A spreadsheet as read: headers and ``(row number, values)`` pairs."""

    headers: list[str]
    rows: list[tuple[int, list]]
    info: dict = field(default_factory=dict)

    def sample(self, n: int = 20) -> list[list]:
        return [values for _, values in self.rows[:n]]


# -- reading ------------------------------------------------------------------------------
def _choose_delimiter(text: str, hint: str | None = None) -> str:
    sample = text[:65536]
    best, best_score = ",", 0.0
    for delim in ((hint,) if hint else ()) + DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(sample), delimiter=delim)
                       if any(c.strip() for c in r)][:40]
        except csv.Error:
            continue
        if len(records) > 2:
            records = records[:-1]  # the sample may cut the last record short
        if not records:
            continue
        widths = [len(r) for r in records]
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        score = widths.count(mode) / len(widths) + 0.001 * min(mode, 20)
        if delim == hint:
            score += 0.05
        if score > best_score:
            best, best_score = delim, score
    return best


def _looks_like_url(value) -> bool:
    return isinstance(value, str) and bool(_URLISH.match(value))


def _headers_from(first: list, width: int) -> tuple[list[str], bool]:
    """Header names from the first row, or made-up ones when that row is already data."""
    if any(_looks_like_url(v) for v in first):
        return [f"Column {i + 1}" for i in range(width)], False
    names: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        value = first[i] if i < len(first) else None
        name = one_line(value if value is not None else "")[:100] or f"Column {i + 1}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        names.append(name)
    return names, True


def _table(records: list[tuple[int, list]], name: str, info: dict,
           links: dict[tuple[int, int], str] | None = None) -> Table:
    if not records:
        return Table(headers=[], rows=[], info=info)
    width = max(len(v) for _, v in records)
    headers, has_header = _headers_from(records[0][1], width)
    info["header_row"] = records[0][0] if has_header else None
    body = [(n, list(v) + [None] * (width - len(v)))
            for n, v in (records[1:] if has_header else records)]
    # A column whose cells link somewhere ("Click here", a linked title) gets a column of
    # its link targets beside it, so the mapping can take the address from there.
    linked = sorted({c for (_, c) in (links or {})})
    for c in linked:
        if c >= width or all(_looks_like_url(v[c]) or links.get((n, c)) is None
                             for n, v in body):
            continue
        headers.append(f"{headers[c]} (link)")
        for n, v in body:
            v.append(links.get((n, c)))
    return Table(headers=headers, rows=body, info=info)


def read_csv(data: bytes, name: str = "The file", delimiter: str | None = None) -> Table:
    text, encoding = decode_text(data)
    hint = "\t" if name.lower().endswith((".tsv", ".tab")) else None
    delim = delimiter or _choose_delimiter(text, hint)
    try:
        records = _csv_records(text, delim, name, strict=True)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            row = _unclosed_quote_row(text, delim)
            raise ImportFileError(
                f"{name} has a quotation mark that is never closed (in row {row}), so Curator "
                "cannot tell where that row ends. Fix the quote in a spreadsheet program or "
                "text editor, save it as CSV, and import again.", detail=str(exc)) from None
        # Quirks a spreadsheet program tolerates (a stray quote inside a cell): read as it
        # would, cell by cell.
        try:
            records = _csv_records(text, delim, name, strict=False)
        except csv.Error as exc2:
            raise ImportFileError(
                f"{name} could not be read as a spreadsheet (CSV): {exc2}. Open it in a "
                "spreadsheet program and save it again as CSV.", detail=str(exc2)) from None
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
    return _table(records, name, {"encoding": encoding, "delimiter": names.get(delim, delim)})


def _csv_records(text: str, delim: str, name: str, strict: bool) -> list[tuple[int, list]]:
    records: list[tuple[int, list]] = []
    for n, record in enumerate(csv.reader(io.StringIO(text), delimiter=delim, strict=strict),
                               1):
        if not any(c.strip() for c in record):
            continue
        if len(records) > MAX_ROWS:
            raise too_many_rows(name)
        records.append((n, [c[:MAX_CELL] for c in record]))
    return records


def _unclosed_quote_row(text: str, delim: str) -> int:
    """The row (as a spreadsheet counts them) where a never-closed quote starts: read
    leniently, that quote swallows the rest of the file into the last row."""
    return max(1, sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delim)))


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(
            f"{name} is not a readable Excel workbook (.xlsx): the file is damaged or is "
            "another kind of file. Open it in Excel and save it again as .xlsx or CSV.",
            detail=str(exc)) from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > MAX_XLSX_PARTS or unpacked > MAX_XLSX_UNPACKED or \
            (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_XLSX_RATIO):
        raise ImportFileError(
            f"{name} would unpack to far more data than a reading list holds, so Curator did "
            "not open it. Save the list as CSV and import that instead.")
    if not any(i.filename == "xl/workbook.xml" for i in infos):
        raise ImportFileError(
            f"{name} is a zip file but not an Excel workbook (.xlsx). Save the list from "
            "Excel as .xlsx or CSV.")


def _cell(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        return value[:MAX_CELL]
    return value


def read_xlsx(data: bytes, name: str = "The file") -> Table:
    _check_zip(data, name)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a packaging fault, said plainly
        raise ImportFileError("This copy of Curator cannot read Excel files (openpyxl is "
                              "missing). Save the list as CSV and import that.") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _read_workbook(wb, name, data)
            finally:
                wb.close()
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds over a damaged workbook
        raise ImportFileError(
            f"{name} could not be read as an Excel workbook ({type(exc).__name__}). Open it "
            "in Excel and save it again as .xlsx or CSV.", detail=repr(exc)) from None


def _read_workbook(wb, name: str, data: bytes) -> Table:
    sheets = [ws for ws in wb.worksheets if ws.__class__.__name__ != "ReadOnlyChartsheet"]
    chosen_records: list[tuple[int, list]] | None = None
    chosen_title = ""
    for ws in sheets:
        records = _sheet_records(ws, name)
        if chosen_records is None or not chosen_records:
            chosen_records, chosen_title = records, ws.title
        if any(_looks_like_url(v) for _, row in records[:200] for v in row) or \
                sheet_hyperlinks(data, ws.title):
            chosen_records, chosen_title = records, ws.title
            break
    info = {"sheet": chosen_title, "sheets": [ws.title for ws in sheets]}
    links = sheet_hyperlinks(data, chosen_title) if chosen_records else {}
    return _table(chosen_records or [], name, info, links)


def _sheet_records(ws, name: str) -> list[tuple[int, list]]:
    records: list[tuple[int, list]] = []
    blank_run = 0
    for n, values in enumerate(ws.iter_rows(values_only=True), 1):
        row = [_cell(v) for v in values]
        if not any(v not in (None, "") and str(v).strip() for v in row):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        while row and row[-1] in (None, ""):
            row.pop()
        if len(records) > MAX_ROWS:
            raise too_many_rows(name)
        records.append((n, row))
    return records


# -- mapping ------------------------------------------------------------------------------
def _norm(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.casefold()).split())


def _header_score(field_name: str, header: str) -> float:
    h = _norm(header)
    if not h:
        return 0.0
    if field_name == "published" and any(w in h.split() for w in _NOT_PUBLISHED):
        return 0.0
    synonyms = _SYNONYMS[field_name]
    if h in synonyms:
        return 2.0 - synonyms.index(h) / 100
    words = f" {h} "
    for i, syn in enumerate(synonyms):
        if f" {syn} " in words:
            return 1.0 - i / 100
    return 0.0


def _url_share(table_sample: list[list], col: int) -> float:
    values = [row[col] for row in table_sample if col < len(row) and row[col] not in (None, "")]
    if not values:
        return 0.0
    return sum(_looks_like_url(str(v)) for v in values) / len(values)


def guess_mapping(headers: list[str], sample_rows: list[list]) -> dict[str, str]:
    """Propose which column fills which field, from header names and sample values."""
    mapping: dict[str, str] = {}
    used: set[int] = set()
    shares = [_url_share(sample_rows, i) for i in range(len(headers))]
    # The web address first: a named column if its values are addresses, else the column
    # whose values most look like addresses.
    named = sorted(((_header_score("url", h), i) for i, h in enumerate(headers)), reverse=True)
    url_col = next((i for s, i in named if s > 0 and (shares[i] >= 0.3 or not any(shares))),
                   None)
    if url_col is None and shares and max(shares) >= 0.3:
        url_col = shares.index(max(shares))
    if url_col is not None:
        mapping["url"] = headers[url_col]
        used.add(url_col)
    for field_name in FIELDS[1:]:
        scored = sorted(((_header_score(field_name, h), i) for i, h in enumerate(headers)
                         if i not in used and shares[i] < 0.5), reverse=True)
        if scored and scored[0][0] > 0:
            mapping[field_name] = headers[scored[0][1]]
            used.add(scored[0][1])
    if "title" not in mapping and headers and all(re.fullmatch(r"Column \d+", h)
                                                  for h in headers):
        # No header row: the first column of words beside the addresses is the title.
        for i in range(len(headers)):
            values = [r[i] for r in sample_rows if i < len(r) and r[i] not in (None, "")]
            if i not in used and values and shares[i] < 0.3 and \
                    any(isinstance(v, str) and re.search(r"[A-Za-z]{2}", v) for v in values):
                mapping["title"] = headers[i]
                break
    return mapping


def resolve_mapping(mapping: dict[str, str | int | None], headers: list[str]) -> dict[str, str]:
    """Check a mapping against the headers (any case, or a column number from 1).

    Raises :class:`ImportFileError` naming the unknown field or column and the choices.
    """
    out: dict[str, str] = {}
    by_name = {h.casefold(): h for h in headers}
    for field_name, column in mapping.items():
        key = str(field_name).strip().lower()
        key = {"themes": "theme", "tag": "tags", "note": "notes", "link": "url",
               "date": "published", "authors": "author", "name": "title"}.get(key, key)
        if key not in FIELDS:
            raise ImportFileError(f"'{field_name}' is not a field Curator imports. Choose "
                                  f"from: {', '.join(FIELDS)}.")
        if column is None or str(column).strip() == "":
            out.pop(key, None)
            continue
        text = str(column).strip()
        if text.casefold() in by_name:
            out[key] = by_name[text.casefold()]
        elif text.isdigit() and 1 <= int(text) <= len(headers):
            out[key] = headers[int(text) - 1]
        else:
            raise ImportFileError(
                f"There is no column '{text}' in this file. Its columns are: "
                f"{', '.join(headers) or '(none)'}.")
    return out


def to_rows(table: Table, mapping: dict[str, str]) -> list[ImportRow]:
    """One :class:`ImportRow` per non-empty row, filled from the mapped columns."""
    index = {h: i for i, h in enumerate(table.headers)}
    cols = {f: index[c] for f, c in mapping.items() if c in index}

    def get(values: list, f: str):
        i = cols.get(f)
        return values[i] if i is not None and i < len(values) else None

    rows: list[ImportRow] = []
    for n, values in table.rows:
        url_value = get(values, "url")
        row = ImportRow(
            position=n, url=tidy_url(url_value if url_value is not None else ""),
            title=one_line(_text(get(values, "title"))),
            notes=tidy_block(_text(get(values, "notes"))),
            summary=tidy_block(_text(get(values, "summary"))),
            tags=split_list(_text(get(values, "tags"))),
            themes_hint=split_list(_text(get(values, "theme"))),
            author=one_line(_text(get(values, "author"))),
            raw={h: _text(v) for h, v in zip(table.headers, values, strict=False)
                 if v not in (None, "")})
        published = get(values, "published")
        if published not in (None, ""):
            row.published = parse_date(published)
            if row.published is None:
                row.warnings.append(f"The date '{_text(published)[:40]}' was not understood, "
                                    "so it was left out.")
        if not row.url:
            row.error = "This row has no web address."
        rows.append(row)
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
