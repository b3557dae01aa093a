"""Property tests for bundles: any text round-trips, and a damaged zip is refused cleanly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.publishing.bundles import read_bundle, write_bundle
from curator.publishing.bundles.format import BundleError
from tests.support.bundles import make_resource

THEMES = [{"code": "DA", "name": "Domestic abuse"}]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=200)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(text, min_size=1, max_size=5), notes=text)
def test_any_title_and_note_round_trip(titles, notes):
    resources = [make_resource(i, title=t, notes=notes, themes=["DA"])
                 for i, t in enumerate(titles)]
    with tempfile.TemporaryDirectory() as tmp:
        info = write_bundle(Path(tmp), resources=resources, themes=THEMES, created_by="Alex",
                            previous=None, library_id="lib-1")
        back = read_bundle(info.path)
    got = {r["id"]: r for r in back.resources}
    for r in resources:
        assert got[r["id"]]["notes"] == r["notes"].strip() or got[r["id"]]["notes"] == r["notes"]


def _good_bundle() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        info = write_bundle(Path(tmp), resources=[make_resource(i, themes=["DA"])
                                                  for i in range(3)],
                            themes=THEMES, created_by="Alex", previous=None, library_id="x")
        return info.path.read_bytes()


GOOD = _good_bundle()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_bundle_is_refused_with_a_bundle_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        raw = bytearray(GOOD)
        for _ in range(data.draw(st.integers(1, 8))):
            pos = data.draw(st.integers(0, len(raw) - 1))
            raw[pos] = data.draw(st.integers(0, 255))
        cut = data.draw(st.integers(len(raw) // 2, len(raw)))
        damaged = Path(tmp) / "damaged.zip"
        damaged.write_bytes(bytes(raw[:cut]))
        try:
            read_bundle(damaged)
        except BundleError:
            pass
