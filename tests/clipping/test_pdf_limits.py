"""PDF reading has one time budget and a cap on what one page may make pypdf parse.

The PDFs are made here: a page whose compressed drawing instructions unpack to about
100 MB (one such page once took 39 s and 300 MB), and a long page of real text that
takes longer to read than the budget allows.
"""

from __future__ import annotations

import time
import tracemalloc
import zlib

import pytest

from curator.clipping.extract.pdf import extract_pdf
from tests.support.pdfs import make_pdf

OPENING = b"BT /F1 12 Tf 72 720 Td (The opening words of the report.) Tj ET\n"
CHART = b"0 0 m 100 100 l S\n"


def _pdf_with_stream(stream: bytes, *, flate: bool) -> bytes:
    """One page whose contents are *stream* (already compressed when *flate*)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d %s>>\nstream\n" % (len(stream), b"/Filter /FlateDecode " if flate
                                           else b"") + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def chart_bomb(megabytes: int = 100) -> bytes:
    """A PDF of one page: a line of text, then *megabytes* of chart paths, compressed."""
    squeeze = zlib.compressobj(9)
    parts = [squeeze.compress(OPENING)]
    block = CHART * (1024 * 1024 // len(CHART))
    for _ in range(megabytes):
        parts.append(squeeze.compress(block))
    parts.append(squeeze.flush())
    return _pdf_with_stream(b"".join(parts), flate=True)


@pytest.mark.slow
def test_a_page_of_a_hundred_megabytes_of_drawing_is_cut_with_a_warning():
    pdf = chart_bomb()
    assert len(pdf) < 1024 * 1024
    start = time.monotonic()
    info = extract_pdf(pdf, time_budget=120)  # the cap, not the clock, must stop it
    assert time.monotonic() - start < 60  # generous: uncut it takes minutes
    assert "The opening words of the report." in info.text
    assert any("too many drawing instructions" in w for w in info.warnings)


def test_the_cut_never_unpacks_the_whole_page():
    pdf = chart_bomb()
    tracemalloc.start()
    try:
        info = extract_pdf(pdf, time_budget=120, max_page_content=30_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "The opening words of the report." in info.text
    assert peak < 40 * 1024 * 1024


def test_an_uncompressed_page_over_the_cap_is_cut_too():
    pdf = _pdf_with_stream(OPENING + CHART * 20_000, flate=False)
    info = extract_pdf(pdf, time_budget=120, max_page_content=50_000)
    assert "The opening words of the report." in info.text
    assert any("Page 1 of the PDF holds too many" in w for w in info.warnings)


def test_the_budget_stops_a_slow_page_part_of_the_way_through():
    # Page 2 takes seconds to read in full even on a fast machine (and no content cap
    # stops it first), so the 0.3 s budget is what cuts it, however fast the machine is.
    lines = "\n".join(f"Line {i} of the long chapter on neglect" for i in range(50_000))
    pdf = make_pdf("Neglect", "Research team", "D:20230105",
                   ["Summary page.\nChildren first.", lines])
    info = extract_pdf(pdf, time_budget=0.3, max_page_content=50_000_000)
    assert "Summary page." in info.text
    assert "Line 49999 " not in info.text  # the clock stopped it inside page 2
    assert any(w.startswith("The PDF was too slow to read") for w in info.warnings)


def test_an_ordinary_pdf_is_read_in_full_without_warnings():
    pdf = make_pdf("Neglect", "Research team", "D:20230105",
                   ["Summary page.", "Second page of findings."])
    info = extract_pdf(pdf)
    assert "Summary page." in info.text and "Second page of findings." in info.text
    assert info.warnings == []
