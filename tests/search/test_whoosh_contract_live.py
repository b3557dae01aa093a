"""The Whoosh internals the search engine relies on, at work on real indexes.

The other half of test_whoosh_contract.py, which lists the names and their shapes:
here the private attributes are looked up on live readers and writers, Whoosh's
writer is seen to call the hooks the engine overrides in the order it relies on,
and posting blocks written by either side are read by the other.
"""

from __future__ import annotations

import pytest

from curator.search import SearchIndex, codec, generations, postings
from curator.search.merging import merger
from curator.search.schema import to_whoosh_doc


def _doc(i: int) -> dict:
    return {"id": f"r{i}", "title": f"walrus number {i}", "summary": "", "notes": "",
            "tags": ["tusks"], "themes": ["DA"], "site": None, "author": None,
            "type": "research", "status": "approved", "expert": None,
            "published": None, "review_due": None, "clipped": None,
            "text": "walruses haul out on ice " * (i + 1)}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract") / "index"
    si = SearchIndex(folder)
    assert si.rebuild([_doc(i) for i in range(3)], total=3, procs=1)
    si.apply([_doc(3)], [])                 # a second segment
    yield si
    si.close()


def test_reader_internals(tiny):
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3TermInfo, _lenfield
    from whoosh.reading import MultiReader, SegmentReader

    snap = tiny._snapshot()
    assert isinstance(snap.reader, MultiReader) and len(snap.leaves) == 2
    seg = snap.leaves[0][0]
    assert isinstance(seg, SegmentReader)
    assert seg._gen == snap.generation
    assert isinstance(seg.deleted_docs_set, frozenset)
    info = seg._terms.term_info("id", b"r0")
    assert isinstance(info, W3TermInfo)
    offset, length = info.extent()
    assert seg._terms._postfile.get(offset, 4) == b"W3Bl"
    assert _lenfield("content") == "_content_len"
    column = seg._perdoc._cached_reader(_lenfield("content"), LENGTHS_COLUMN)
    assert 0 < column[0] < 256
    # The length column as postings._length_bytes reads it: one byte per document.
    from whoosh.columns import NumericColumn
    assert isinstance(column, NumericColumn.Reader)
    assert (column._fixedlen, column._typecode, column._default) == (1, "B", 0)
    assert column._count <= seg.doc_count_all()
    assert column._dbfile.get(column._basepos, 1)[0] == column[0]
    assert list(seg.terms_within("content", "walrus", 1, prefix=1)) == ["walrus"]
    toc = tiny._ix._read_toc()
    assert [s.segment_id() for s in toc.segments] == [
        r.segment().segment_id() for r, _ in snap.leaves]
    assert snap.searcher.stored_fields(0)["id"] == "r0"


def test_writer_internals(tiny):
    from whoosh.columns import WrappedColumnWriter

    _name, ix = tiny._open_ix()
    writer = codec.FastSegmentWriter(ix)
    try:
        assert isinstance(writer.pool, codec.GroupedPool)   # replaced after __init__
        assert writer._added is False and writer.docnum == 0
        stored = writer.perdocwriter._colwriters["_stored"]
        assert isinstance(stored, WrappedColumnWriter)
        assert stored._child._level == codec.STORED_LEVEL
        fw = writer.fieldwriter
        assert fw._fieldid is None and hasattr(fw._postfile, "file")
        assert callable(fw._tindex.add)
    finally:
        writer.cancel()
        ix.close()


def test_term_info_round_trip():
    from whoosh.codec.whoosh3 import W3TermInfo

    info = W3TermInfo()
    info._weight, info._df, info._maxweight = 7.5, 3, 4.0
    info._minid, info._maxid, info._maxlength = 2, 9, 0
    info.set_extent(1234, 567)
    back = W3TermInfo.from_bytes(info.to_bytes())
    assert (back._weight, back._df, back._maxweight, back._minid, back._maxid) == \
        (7.5, 3, 4.0, 2, 9)
    # from_bytes leaves the length a 1-tuple (codec.read_postings takes both)
    assert back.extent() == (1234, (567,)) and not back.is_inlined()


def test_writer_calls_the_hooks_the_engine_overrides(tmp_path, monkeypatch):
    """commit -> merge policy(writer, segments); add_reader ->
    add_postings_to_pool(reader, startdoc, docmap); _finalize_segment ->
    _flush_segment -> fieldwriter.add_postings(schema, None, our pool)."""
    si = SearchIndex(tmp_path / "ix")
    si.apply([_doc(0)], [])
    si.apply([_doc(1)], [])
    calls = []
    real_add_postings = codec.FastFieldWriter.add_postings
    real_to_pool = codec.FastSegmentWriter.add_postings_to_pool

    def add_postings(self, schema, lengths, items):
        calls.append(("add_postings", lengths, type(items)))
        return real_add_postings(self, schema, lengths, items)

    def to_pool(self, reader, startdoc, docmap):
        calls.append(("add_postings_to_pool",))
        return real_to_pool(self, reader, startdoc, docmap)

    monkeypatch.setattr(codec.FastFieldWriter, "add_postings", add_postings)
    monkeypatch.setattr(codec.FastSegmentWriter, "add_postings_to_pool", to_pool)
    _name, ix = si._open_ix()
    try:
        segments = ix._read_toc().segments
        merge_all = merger(segments)

        def policy(writer, segs):
            calls.append(("policy", type(writer), len(segs)))
            return merge_all(writer, segs)

        writer = codec.FastSegmentWriter(ix)
        writer.add_document(**to_whoosh_doc(_doc(2)))
        writer.commit(mergetype=policy)
    finally:
        ix.close()
    assert calls == [("policy", codec.FastSegmentWriter, 2),
                     ("add_postings_to_pool",), ("add_postings_to_pool",),
                     ("add_postings", None, codec.GroupedPool)]
    assert si.search("walrus").total == 3 and len(si._snapshot().leaves) == 1
    si.close()


def test_posting_blocks_read_both_ways(tmp_path):
    """Blocks written by Whoosh's own writer read with codec.read_postings,
    and blocks written by ours read with Whoosh's matcher."""
    from whoosh import fields
    from whoosh.index import create_in
    from whoosh.reading import SegmentReader

    ix = create_in(str(tmp_path), fields.Schema(tag=fields.KEYWORD(stored=True)))
    with ix.writer() as w:                       # Whoosh's codec: zlib, pickle 2
        for i in range(300):
            w.add_document(tag="every" + (" odd" if i % 2 else ""))
    with ix.searcher() as s:
        reader = s.reader()
        assert isinstance(reader, SegmentReader)
        for term in (b"every", b"odd"):
            ids, weights, _ = postings.segment_postings(reader, "tag", term, False)
            assert len(ids) > 128                # more than one block
            assert list(ids) == list(reader.postings("tag", term).all_ids())
            assert len(weights) == len(ids)
    ix.close()

    si = SearchIndex(tmp_path / "ours")
    si.rebuild([_doc(i) for i in range(300)], total=300, procs=1)
    snap = si._snapshot()
    ours = snap.postings("theme", "da")[0]
    assert ours == list(snap.reader.postings("theme", "da").all_ids()) == list(range(300))
    si.close()


def test_compound_file_layout(tiny):
    name, ix = generations.open_current(tiny.index_dir)
    try:
        segments = ix._read_toc().segments
    finally:
        ix.close()
    assert segments
    for seg in segments:
        path = tiny.index_dir / name / seg.make_filename(seg.COMPOUND_EXT)
        assert generations.compound_ok(path, seg.segment_id())
