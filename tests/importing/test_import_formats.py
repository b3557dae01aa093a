"""Reading collections: each format, several encodings and delimiters, and broken files.

The fixtures in tests/fixtures/imports/ are the project's own; the real browser exports
are exercised in test_import_eval.py.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from curator.base.errors import CuratorError
from curator.importing.formats import ImportFileError, detect, guess_mapping, load
from curator.importing.formats.rows import parse_date
from curator.importing.formats.spreadsheet import resolve_mapping

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def rows_by_url(loaded):
    return {r.url: r for r in loaded.rows}


# -- Netscape bookmarks -------------------------------------------------------------------
def test_bookmark_export_keeps_folders_tags_and_descriptions():
    loaded = load(FIX / "bookmarks_chrome.html")
    assert loaded.format == "netscape"
    assert len(loaded.rows) == 10  # the link inside a description is not a bookmark
    rows = rows_by_url(loaded)
    graded = rows["https://practice.example.org/neglect/graded-care"]
    assert graded.title == "Graded care profile & guidance"
    assert graded.tags == ["assessment", "tools"]
    assert graded.themes_hint == ["Neglect"]  # "Bookmarks bar" is a browser folder: left out
    assert graded.notes == "Use with the strengths-based approach in supervision."
    assert graded.raw["added"] == "2024-05-29"
    nested = rows["https://research.example.ac.uk/papers/neglect-review-2023"]
    assert nested.themes_hint == ["Neglect", "Reading for team meeting"]
    assert rows["https://www.example.gov.uk/guidance/working-together"].themes_hint == []
    empty = next(r for r in loaded.rows if r.title == "Empty link")
    assert empty.error == "This bookmark has no web address."
    assert [r.position for r in loaded.rows] == list(range(1, 11))


def test_bookmark_parser_copes_with_one_line_exports_and_unclosed_tags():
    text = ('<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p><DT><H3>Research<DL><p>'
            '<DT><A HREF="https://a.example/1">One<DT><A HREF="https://a.example/2">Two</A>'
            '</DL><p><DT><A HREF=\'https://a.example/3\' TAGS="x y">Three</A></DL>')
    loaded = load(text.encode(), name="one-line.html")
    assert [(r.url, r.title, r.themes_hint) for r in loaded.rows] == [
        ("https://a.example/1", "One", ["Research"]),
        ("https://a.example/2", "Two", ["Research"]),
        ("https://a.example/3", "Three", [])]
    assert loaded.rows[2].tags == ["x", "y"]


# -- spreadsheets ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, encoding, delimiter", [
    ("reading_utf8_bom_semicolon.csv", "utf-8", "semicolon"),
    ("reading_cp1252_comma.csv", "cp1252", "comma"),
    ("reading_utf16_tab.txt", "utf-16-le", "tab"),
    ("reading_utf8_tab.tsv", "utf-8", "tab"),
])
def test_csv_in_every_encoding_and_delimiter_reads_the_same(name, encoding, delimiter):
    loaded = load(FIX / name)
    assert loaded.format == "csv"
    assert (loaded.info["encoding"], loaded.info["delimiter"]) == (encoding, delimiter)
    assert loaded.mapping == {"url": "Link", "title": "Title", "notes": "Why it matters",
                              "tags": "Tags", "theme": "Theme", "published": "Date published",
                              "author": "Author"}
    first = loaded.rows[0]
    assert first.position == 2  # as the spreadsheet numbers it: the header is row 1
    assert first.title == "Café conversations with families – a guide"
    assert first.notes == "Useful for “difficult” conversations; costs £0"
    assert first.tags == ["conversation", "families"]
    assert first.themes_hint == ["NEG"]
    assert first.published == "2021-04-03"  # 03/04/2021 read the UK way
    assert first.author == "Rowan Ellis"
    second = loaded.rows[1]
    assert second.themes_hint == ["Domestic abuse", "Exploitation"]
    assert second.published == "2020-11"
    assert second.notes.startswith("=HYPERLINK(")  # kept as text; exports neutralise it
    assert loaded.rows[2].error == "This row has no web address."
    last = loaded.rows[-1]
    assert last.published is None and "sometime soon" in last.warnings[0]


def test_csv_without_a_header_row_is_read_as_data():
    loaded = load(FIX / "reading_noheader.csv")
    assert loaded.headers == ["Column 1", "Column 2"]
    assert loaded.mapping == {"url": "Column 1", "title": "Column 2"}
    assert [(r.url, r.title) for r in loaded.rows] == [
        ("https://practice.example.org/cafe-guide", "Café guide"),
        ("https://research.example.ac.uk/x", "Research X")]


def test_guess_mapping_reads_headers_and_values():
    headers = ["Resource name", "Source", "Comments", "Keywords", "Topic", "Year",
               "Date added", "Written by"]
    sample = [["A", "https://x.example/a", "why", "k", "DA", "2020", "2024-01-01", "Me"]]
    assert guess_mapping(headers, sample) == {
        "url": "Source", "title": "Resource name", "notes": "Comments", "tags": "Keywords",
        "theme": "Topic", "published": "Year", "author": "Written by"}
    # No header names a link: the column whose values are addresses is taken.
    assert guess_mapping(["A", "B"], [["x", "www.example.org/a"], ["y", "https://b.c/"]]) \
        == {"url": "B"}


def test_mapping_can_be_corrected_by_name_or_number():
    loaded = load(FIX / "reading_cp1252_comma.csv")
    changed = loaded.with_mapping({"title": "why it matters", "notes": None, "author": "1"})
    assert changed.mapping["title"] == "Why it matters"
    assert "notes" not in changed.mapping
    assert changed.mapping["author"] == "Title"
    assert changed.rows[0].title == "Useful for “difficult” conversations; costs £0"
    with pytest.raises(ImportFileError, match="no column 'Nope'.*Title, Link"):
        resolve_mapping({"url": "Nope"}, loaded.headers)
    with pytest.raises(ImportFileError, match="not a field"):
        resolve_mapping({"colour": "Title"}, loaded.headers)


def make_xlsx(path: Path, with_cached_formula: bool = True) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Read me"
    notes.append(["This workbook lists our links"])
    ws = wb.create_sheet("Links")
    ws.append(["Name", "URL", "Notes", "Published", "Tags"])
    ws.append(["Working together", "https://www.example.gov.uk/working-together",
               "Statutory", datetime(2023, 12, 15), "statutory; multi-agency"])
    ws.append([None, "https://practice.example.org/formula-title", "", 2019, None])
    ws["A3"] = '=CONCAT("cmd","|calc")'
    for _ in range(3):
        ws.append([])
    ws.append(["After blank rows", "javascript:alert(1)", None, None, None])
    wb.save(path)
    if with_cached_formula:
        # Give the formula a computed value, as Excel would have saved it.
        data = path.read_bytes()
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet2.xml":
                    body = body.replace(b'<c r="A3"><f>CONCAT("cmd","|calc")</f><v></v></c>',
                                        b'<c r="A3" t="str"><f>CONCAT("cmd","|calc")</f>'
                                        b'<v>Computed title</v></c>')
                    assert b"Computed title" in body
                dst.writestr(item, body)
        path.write_bytes(out.getvalue())
    return path


def test_xlsx_reads_values_not_formulas_and_picks_the_sheet_with_links(tmp_path):
    loaded = load(make_xlsx(tmp_path / "links.xlsx"))
    assert loaded.format == "xlsx"
    assert loaded.info["sheet"] == "Links"
    assert loaded.mapping == {"url": "URL", "title": "Name", "notes": "Notes",
                              "tags": "Tags", "published": "Published"}
    first, second, third = loaded.rows
    assert (first.position, first.published, first.tags) == (
        2, "2023-12-15", ["statutory", "multi-agency"])
    assert second.title == "Computed title"  # the value Excel computed, never the formula
    assert second.published == "2019"
    assert third.position == 7 and third.url == "javascript:alert(1)"


def test_xlsx_from_a_library_without_cached_values_gives_blank_not_formula(tmp_path):
    loaded = load(make_xlsx(tmp_path / "raw.xlsx", with_cached_formula=False))
    assert loaded.rows[1].title == ""


def test_xlsx_zip_bomb_is_refused_before_opening(tmp_path, monkeypatch):
    from curator.importing.formats import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNPACKED", 10_000)
    with pytest.raises(ImportFileError, match="far more data"):
        load(make_xlsx(tmp_path / "big.xlsx", with_cached_formula=False))


# -- reference managers ---------------------------------------------------------------------
def test_csl_json_items():
    loaded = load(FIX / "refs_zotero.json")
    assert loaded.format == "csljson"
    one, two, three, four, five = loaded.rows
    assert one.url == "https://research.example.ac.uk/reports/scr-neglect"
    assert one.author == "Ada Okafor; Example Research Centre"
    assert one.published == "2021-03-09"
    assert one.tags == ["neglect", "case reviews", "learning"]
    assert one.notes == "Key reading for the neglect strategy."
    assert one.summary.startswith("A thematic analysis")
    assert two.url == "https://doi.org/10.1234/cfs.2020.0042" and two.published == "2020"
    assert three.error == "This reference has no web address or DOI."
    assert four.error == "This entry is not a reference."
    assert five.url == "mailto:list@example.org"


def test_ris_records():
    loaded = load(FIX / "refs_mendeley.ris")
    assert loaded.format == "ris"
    one, two, three = loaded.rows
    assert (one.position, one.url) == (1, "https://journals.example.org/early-help-outcomes")
    assert one.author == "Singh, Priya; Morgan, Lee"
    assert one.tags == ["early help", "families"]
    assert one.published == "2022-05-01"
    assert one.summary == "A study of early help services\nacross three councils."
    assert one.notes == "Recommended by the team lead."
    # A local PDF path is passed over for the DOI link.
    assert two.url == "https://doi.org/10.5555/exploit.2019.7" and two.published == "2019"
    assert three.error == "This reference has no web address or DOI."


# -- URL lists ------------------------------------------------------------------------------
def test_url_list_lines():
    loaded = load(FIX / "urls.txt")
    assert loaded.format == "urllist"
    got = [(r.position, r.url, r.title) for r in loaded.rows]
    assert got == [
        (2, "https://practice.example.org/neglect/graded-care", ""),
        (4, "https://www.example.org.uk/guidance/ng76", "NICE guideline on child abuse"),
        (5, "https://practice.example.org/neglect/graded-care?utm_campaign=june", ""),
        (6, "www.example.gov.uk/guidance/early-help", ""),
        (7, "javascript:alert(1)", ""),
        (8, "not a link at all", ""),
        (9, "https://en.example.org/wiki/Neglect_(child)", ""),
    ]


def test_pasted_text_is_a_url_list():
    loaded = load(b"https://a.example/x\r\n\r\nhttps://b.example/y\r\n", name="pasted")
    assert [r.url for r in loaded.rows] == ["https://a.example/x", "https://b.example/y"]


# -- detection and broken files -------------------------------------------------------------
@pytest.mark.parametrize("data, name, fmt", [
    (b"TY  - JOUR\nTI  - x\nER  - \n", "export.txt", "ris"),
    (b'[{"type": "report", "title": "x"}]', "refs", "csljson"),
    (b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>", "bookmarks.txt", "netscape"),
    (b"Title;Link\nA;https://a.example/\nB;https://b.example/\n", "list.txt", "csv"),
    (b"https://a.example/\n", "links", "urllist"),
    (b"", "empty.csv", "csv"),
    (b"[Draft] Title,Link\nA,https://a.example/\n", "list.csv", "csv"),
    (b"Title\tLink\nA\thttps://a.example/\nB\thttps://b.example/\n", "", "csv"),
])
def test_detect_by_content_then_name(data, name, fmt):
    assert detect(data, name) == fmt


@pytest.mark.parametrize("name, message", [
    ("broken_bookmarks.html", "a web page, not a bookmark export"),
    ("broken_refs.json", "not valid JSON"),
    ("broken_refs.ris", "not a RIS reference file"),
    ("broken_workbook.xlsx", "not a readable Excel workbook"),
    ("broken_truncated.xlsx", "not a readable Excel workbook"),
    ("broken_binary.csv", "not a bookmark export or spreadsheet Curator can read"),
    ("legacy.xls", "save it as .xlsx or CSV"),
    ("broken_quote.csv", "never closed \\(in row 2\\)"),
])
def test_malformed_files_give_a_clear_message(name, message):
    with pytest.raises(ImportFileError, match=message) as info:
        load(FIX / name)
    assert isinstance(info.value, CuratorError)
    assert name in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFileError, match="There is no file"):
        load(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="is a folder"):
        load(tmp_path)


def test_json_nested_too_deep_is_refused_cleanly():
    with pytest.raises(ImportFileError, match="not valid JSON"):
        load(b"[" * 100_000 + b"]" * 100_000, name="deep.json")


def test_row_cap(monkeypatch):
    from curator.importing.formats import rows, urllist

    monkeypatch.setattr(urllist, "MAX_ROWS", 5)
    monkeypatch.setattr(rows, "MAX_ROWS", 5)
    data = "\n".join(f"https://a.example/{i}" for i in range(6)).encode()
    with pytest.raises(ImportFileError, match="Split the file"):
        load(data, name="many.txt")


@pytest.mark.parametrize("value, expected", [
    ("2021-03-04", "2021-03-04"), ("04/03/2021", "2021-03-04"), ("2021", "2021"),
    ("March 2021", "2021-03"), ("2021/3", "2021-03"), (2019, "2019"),
    (datetime(2020, 1, 2, 13, 0), "2020-01-02"), ("31/02/2021", None), ("soon", None),
    ("", None), (None, None), ("12 May 2022", "2022-05-12"),
])
def test_dates(value, expected):
    assert parse_date(value) == expected


def test_xlsx_linked_titles_give_the_addresses(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reading"
    ws.append(["Resource", "Notes"])
    ws.append(["Working together", "Statutory guidance"])
    ws["A2"].hyperlink = "https://www.example.gov.uk/working-together"
    ws.append(["Graded care", "Tool"])
    ws["A3"].hyperlink = "https://practice.example.org/graded-care"
    ws.append(["Internal note", "x"])
    ws["A4"].hyperlink = "#Sheet2!A1"  # a place in the workbook, not a web page
    wb.save(tmp_path / "linked.xlsx")
    loaded = load(tmp_path / "linked.xlsx")
    assert loaded.headers == ["Resource", "Notes", "Resource (link)"]
    assert loaded.mapping == {"url": "Resource (link)", "title": "Resource", "notes": "Notes"}
    assert [(r.url, r.title) for r in loaded.rows] == [
        ("https://www.example.gov.uk/working-together", "Working together"),
        ("https://practice.example.org/graded-care", "Graded care"),
        ("", "Internal note")]
