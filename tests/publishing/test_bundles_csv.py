"""resources.csv against formula injection (BAD-INPUTS 6), by example and by property."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curator.base.csvsafe import (
    DANGEROUS_FIRST,
    is_dangerous,
    neutralise,
    to_csv_bytes,
)


@pytest.mark.parametrize("value", [
    "=1+1", "+1", "-1+1", "@SUM(A1:A2)", "\t=1", "\r=1", "\x00=1", " =1", "  +cmd|' /C calc'!A0",
    "\n@x", "\u00a0=1", "-", "-12.5e3", "--1", "=", "\uff1d1+1",
])
def test_dangerous_cells_get_a_leading_quote(value):
    assert is_dangerous(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-12.5", "-3", "-0.5", "-.5", "12", "a=b", "Tom & Jerry",
                                   "", "3-4", "'quoted already", "e-mail"])
def test_harmless_cells_are_left_alone(value):
    assert not is_dangerous(value)
    assert neutralise(value) == value


def test_none_and_numbers_become_text():
    assert neutralise(None) == "" and neutralise(-3) == "-3" and neutralise(7) == "7"


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["=1", "+1", "-1", "-1.5", "@a", "\t=", "\r=", "\x00", " =x", "\n-1", "-", '"', ",", "\r\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=6))
@example([["=HYPERLINK(\"http://x\")", "-12.5", " @x", "a\r\nb", ""]])
def test_csv_round_trips_and_no_cell_starts_a_formula(rows):
    width = max((len(r) for r in rows), default=1)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = [f"c{i}" for i in range(width)]
    back = _read(to_csv_bytes(header, rows))
    assert back[0] == header
    assert len(back) == len(rows) + 1
    for written, original in zip(back[1:], rows, strict=True):
        for got, value in zip(written, original, strict=True):
            assert got == neutralise(value)
            assert got in (value, "'" + value)
            if got and got[0] != "'":
                stripped = got.lstrip()
                plain_negative = got.startswith("-") and not is_dangerous(got)
                assert plain_negative or (got[0] not in DANGEROUS_FIRST and
                                          stripped[:1] not in DANGEROUS_FIRST)


def test_every_field_is_quoted():
    data = to_csv_bytes(["a", "b"], [["1", ""], ["x,y", 'say "hi"']]).decode("utf-8-sig")
    assert data == '"a","b"\r\n"1",""\r\n"x,y","say ""hi"""\r\n'
