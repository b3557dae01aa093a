"""Property tests for bundles: any text round-trips in every public field, and a damaged zip
is refused cleanly (or, when the damage changed nothing it reads, read unchanged)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.publishing.bundles import read_bundle, write_bundle
from curator.publishing.bundles.format import PUBLIC_FIELDS, BundleError
from tests.support.bundles import make_resource

THEMES = [{"code": "DA", "name": "Domestic abuse"}]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=200)
#: A tag as the bundle schema allows one: 1 to 80 characters.
tag = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
              min_size=1, max_size=80).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(st.fixed_dictionaries({
    "title": text, "summary": text, "notes": text, "author": text, "site": text,
    "tags": st.lists(tag, max_size=3, unique=True)}), min_size=1, max_size=5))
def test_every_public_field_round_trips(records):
    resources = [make_resource(i, themes=["DA"], **fields) for i, fields in enumerate(records)]
    with tempfile.TemporaryDirectory() as tmp:
        info = write_bundle(Path(tmp), resources=resources, themes=THEMES, created_by="Alex",
                            previous=None, library_id="lib-1")
        back = read_bundle(info.path)
    assert sorted(r["id"] for r in back.resources) == sorted(r["id"] for r in resources)
    got = {r["id"]: r for r in back.resources}
    for r in resources:
        assert {name: got[r["id"]][name] for name in PUBLIC_FIELDS} == {
            name: r[name] for name in PUBLIC_FIELDS}


def _good_bundle() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        info = write_bundle(Path(tmp), resources=[make_resource(i, themes=["DA"])
                                                  for i in range(3)],
                            themes=THEMES, created_by="Alex", previous=None, library_id="x")
        return info.path.read_bytes()


GOOD = _good_bundle()


def _read_good():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "good.zip"
        path.write_bytes(GOOD)
        return read_bundle(path)


GOOD_BUNDLE = _read_good()


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
            bundle = read_bundle(damaged)
        except BundleError:
            return  # refused, with a message for the person
        # Accepted only when the damage touched nothing the bundle says (zip metadata the
        # reader does not use): what was read is exactly what was written.
        assert bundle.manifest == GOOD_BUNDLE.manifest
        assert bundle.resources == GOOD_BUNDLE.resources
        assert bundle.changes == GOOD_BUNDLE.changes
