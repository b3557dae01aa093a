"""The Whoosh the search engine is written against, and nothing else.

curator/search reads and writes Whoosh's files itself and leans on Whoosh's
internals: private names, the layout of its posting blocks, the order in which
its writer calls its hooks. None of that is promised by Whoosh, so pyproject pins
whoosh-reloaded to one exact version, and this file lists every Whoosh name the
engine uses with the shape it relies on. Before moving the pin, install the new
version and run this file: each failure names what changed.

The lists are cross-checked with the source: every name imported from Whoosh
(and every attribute of a Whoosh module used) must be in IMPORTED, and every
private Whoosh name the engine touches must be in PRIVATE, so none can be added
without this contract growing (see docs/search-format.md).
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import pathlib
import re
import tomllib
import types
import warnings

import pytest
import whoosh

from curator.search import SearchIndex, codec, generations, postings
from curator.search.merging import merger
from curator.search.schema import to_whoosh_doc

PIN = "2.7.5"
ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = ROOT / "curator" / "search"

# Every name the engine imports from Whoosh: (module, name) -> what it must be.
# A tuple is a function's parameters; a string is a kind checked in test_imports.
IMPORTED = {
    ("whoosh", "fields"): "module",
    ("whoosh", "formats"): "module",
    ("whoosh", "index"): "module",
    ("whoosh.codec.whoosh3", "LENGTHS_COLUMN"): "NumericColumn('B')",
    ("whoosh.codec.whoosh3", "W3Codec"): "class",
    ("whoosh.codec.whoosh3", "W3FieldWriter"): "class",
    ("whoosh.codec.whoosh3", "W3PerDocWriter"): "class",
    ("whoosh.codec.whoosh3", "W3TermInfo"): "class",
    ("whoosh.codec.whoosh3", "WHOOSH3_HEADER_MAGIC"): "bytes W3Bl",
    ("whoosh.codec.whoosh3", "_lenfield"): ("fieldname",),
    ("whoosh.columns", "WrappedColumnWriter"): "class",
    ("whoosh.filedb.filestore", "FileStorage"): "class",
    ("whoosh.index", "LockError"): "exception",
    ("whoosh.index", "TOC"): "class",
    ("whoosh.index", "clean_files"): ("storage", "indexname", "gen", "segments"),
    ("whoosh.lang.porter2", "stem"): ("word",),
    ("whoosh.reading", "EmptyReader"): "class",
    ("whoosh.reading", "MultiReader"): "class",
    ("whoosh.reading", "SegmentReader"): "class",
    ("whoosh.reading", "TermNotFound"): "exception",
    ("whoosh.searching", "Searcher"): "class",
    ("whoosh.system", "pack_ushort"): "packs >H",
    ("whoosh.util", "random_name"): ("size",),
    ("whoosh.util.numeric", "byte_to_length"): ("key",),
    ("whoosh.writing", "SegmentWriter"): "class",
    # attributes of the Whoosh modules imported whole
    ("whoosh.fields", "FieldType"): "class",
    ("whoosh.fields", "ID"): "class",
    ("whoosh.fields", "STORED"): "class",
    ("whoosh.fields", "Schema"): "class",
    ("whoosh.formats", "Existence"): "class",
    ("whoosh.formats", "Format"): "class",
    ("whoosh.index", "FileIndex"): "class",
}

# Methods the engine calls or overrides, with their parameters (self left out).
METHODS = {
    "whoosh.writing.SegmentWriter": {
        "__init__": ("ix", "poolclass", "timeout", "delay", "_lk", "limitmb", "docbase",
                     "codec", "compound", "**kwargs"),
        "add_document": ("**fields",),            # overridden (FastSegmentWriter)
        "_check_state": (),
        "_flush_segment": (),                     # overridden: makes word pairs first
        "_finalize_segment": (),                  # build.py: a worker closes a segment
        "_close_segment": (),                     # build.py: an empty last writer
        "_merge_segments": ("mergetype", "optimize", "merge"),
        "add_postings_to_pool": ("reader", "startdoc", "docmap"),   # overridden
        "add_reader": ("reader",),                # merge policies (merging.py)
        "commit": ("mergetype", "optimize", "merge"),
        "cancel": (),
        "delete_document": ("docnum", "delete"),
        "delete_by_term": ("fieldname", "text", "searcher"),
    },
    "whoosh.codec.whoosh3.W3Codec": {
        "__init__": ("blocklimit", "compression", "inlinelimit"),
        "field_writer": ("storage", "segment"),           # overridden
        "per_document_writer": ("storage", "segment"),    # overridden
        "new_segment": ("storage", "indexname"),
    },
    "whoosh.codec.whoosh3.W3FieldWriter": {
        "__init__": ("codec", "storage", "segment"),
        "add_postings": ("schema", "lengths", "items"),   # overridden
        "start_field": ("fieldname", "fieldobj"),
        "finish_field": (),
    },
    "whoosh.codec.whoosh3.W3PerDocWriter": {
        "__init__": ("codec", "storage", "segment"),      # overridden
        "start_doc": ("docnum",),
        "add_field": ("fieldname", "fieldobj", "value", "length"),
        "finish_doc": (),
        "cancel_doc": (),
    },
    "whoosh.codec.whoosh3.W3TermInfo": {
        "__init__": ("*args", "**kwargs"),
        "set_extent": ("offset", "length"),
        "extent": (),
        "is_inlined": (),
        "inlined_postings": (),
        "to_bytes": (),
        "from_bytes": ("s",),
    },
    "whoosh.codec.whoosh3.W3TermsReader": {"term_info": ("fieldname", "tbytes")},
    "whoosh.codec.whoosh3.W3PerDocReader": {"_cached_reader": ("fieldname", "column")},
    "whoosh.columns.WrappedColumnWriter": {"__init__": ("child",), "add": ("docnum", "value")},
    "whoosh.filedb.filetables.OrderedHashWriter": {"add": ("key", "value")},
    "whoosh.filedb.structfile.StructFile": {"get": ("position", "length")},
    "whoosh.filedb.compound.CompoundStorage": {     # generations.compound_ok reads its layout
        "assemble": ("dbfile", "store", "names", "**options"),
        "write_dir": ("dbfile", "basepos", "directory", "options"),
    },
    "whoosh.reading.SegmentReader": {
        "__init__": ("storage", "schema", "segment", "generation", "codec"),
        "segment": (),
        "generation": (),
        "doc_count_all": (),
        "doc_count": (),
        "has_deletions": (),
        "field_length": ("fieldname",),
        "doc_frequency": ("fieldname", "text"),
        "expand_prefix": ("fieldname", "prefix"),
        "terms_from": ("fieldname", "prefix"),
        "lexicon": ("fieldname",),
        "postings": ("fieldname", "text", "scorer"),
        "all_terms": (),
        "terms_within": ("fieldname", "text", "maxdist", "prefix"),
        "stored_fields": ("docnum",),
        "leaf_readers": (),
        "close": (),
    },
    "whoosh.reading.MultiReader": {
        "__init__": ("readers", "generation"),
        "leaf_readers": (),
        "generation": (),
        "doc_count_all": (),
        "doc_count": (),
        "field_length": ("fieldname",),
        "doc_frequency": ("fieldname", "text"),
        "expand_prefix": ("fieldname", "prefix"),
        "terms_from": ("fieldname", "prefix"),
        "lexicon": ("fieldname",),
        "postings": ("fieldname", "text"),
        "stored_fields": ("docnum",),
    },
    "whoosh.reading.EmptyReader": {"__init__": ("schema",)},
    "whoosh.searching.Searcher": {
        "__init__": ("reader", "weighting", "closereader", "fromindex", "parent"),
        "reader": (),
        "up_to_date": (),
        "close": (),
    },
    "whoosh.index.FileIndex": {
        "create": ("storage", "schema", "indexname"),
        "searcher": ("**kwargs",),
        "close": (),
        "_read_toc": (),
    },
    "whoosh.index.TOC": {
        "__init__": ("schema", "segments", "generation", "version", "release"),
        "read": ("storage", "indexname", "gen", "schema"),
        "write": ("storage", "indexname"),
    },
    "whoosh.filedb.filestore.FileStorage": {
        "__init__": ("path", "supports_mmap", "readonly", "debug"),
        "create": (),                            # overridden (storage.py)
        "temp_storage": ("name",),               # overridden (storage.py)
        "open_index": ("indexname", "schema", "indexclass"),
    },
    "whoosh.codec.base.Segment": {
        "segment_id": (),
        "deleted_count": (),
        "doc_count_all": (),
        "is_compound": (),
        "make_filename": ("ext",),
    },
    "whoosh.fields.FieldType": {
        "__init__": ("format", "analyzer", "scorable", "stored", "unique",
                     "multitoken_query", "sortable", "vector"),
        "to_bytes": ("value",),                  # overridden (schema.py)
        "from_bytes": ("bs",),                   # overridden
        "self_parsing": (),                      # overridden
        "index": ("value", "**kwargs"),          # overridden
    },
    "whoosh.fields.Schema": {"__init__": ("**fields",), "names": ("check_names",),
                             "__getitem__": ("name",)},
    "whoosh.fields.ID": {"__init__": ("stored", "unique", "field_boost", "sortable",
                                      "analyzer")},
    "whoosh.fields.STORED": {"__init__": ()},
    "whoosh.formats.Format": {
        "__init__": ("field_boost", "**options"),
        "word_values": ("value", "analyzer", "**kwargs"),   # overridden (schema.py)
        "fixed_value_size": (),
    },
    "whoosh.formats.Existence": {"__init__": ("field_boost", "**options")},
}

# Curator classes and the Whoosh classes they subclass.
SUBCLASSES = {
    "curator.search.codec.FastCodec": "whoosh.codec.whoosh3.W3Codec",
    "curator.search.codec.FastFieldWriter": "whoosh.codec.whoosh3.W3FieldWriter",
    "curator.search.codec.FastPerDocWriter": "whoosh.codec.whoosh3.W3PerDocWriter",
    "curator.search.codec._StoredWriter": "whoosh.columns.WrappedColumnWriter",
    "curator.search.codec.FastSegmentWriter": "whoosh.writing.SegmentWriter",
    "curator.search.storage.Storage": "whoosh.filedb.filestore.FileStorage",
    "curator.search.schema._TextTerms": "whoosh.fields.FieldType",
    "curator.search.schema.PackedPositions": "whoosh.formats.Format",
    "curator.search.schema.PairBlobs": "whoosh.formats.Format",
}

# Every private Whoosh name the engine touches, and where it lives.
PRIVATE = {
    "_lenfield": "whoosh.codec.whoosh3: name of a field's length column",
    "_lk": "SegmentWriter(ix, _lk=False): a writer that takes no lock (build.py)",
    "_check_state": "SegmentWriter: raises once the writer is closed",
    "_added": "SegmentWriter: documents were added (commit writes a segment)",
    "_flush_segment": "SegmentWriter: writes the pooled postings (overridden)",
    "_finalize_segment": "SegmentWriter: flush, close, assemble; returns the segment",
    "_close_segment": "SegmentWriter: closes the segment's files",
    "_read_toc": "FileIndex: the latest table of contents",
    "_gen": "SegmentReader: the generation it reports (set on reused readers)",
    "_terms": "SegmentReader: its W3TermsReader",
    "_perdoc": "SegmentReader: its W3PerDocReader",
    "_cached_reader": "W3PerDocReader: a column reader, cached",
    "_postfile": "W3TermsReader / W3FieldWriter: the postings file",
    "_fieldid": "W3FieldWriter: number of the field being written",
    "_tindex": "W3FieldWriter: the term index being written",
    "_colwriters": "W3PerDocWriter: column writers by name ('_stored')",
    "_child": "WrappedColumnWriter: the column it wraps",
    "_level": "CompressedBytesColumn.Writer: its deflate level",
    "_weight": "W3TermInfo: total weight",
    "_df": "W3TermInfo: document frequency",
    "_maxweight": "W3TermInfo: highest weight",
    "_minid": "W3TermInfo: first document",
    "_maxid": "W3TermInfo: last document",
    "_maxlength": "W3TermInfo: longest document (0: no length statistics)",
}


def _obj(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _params(func) -> tuple[str, ...]:
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            out.append("*" + p.name)
        elif p.kind is p.VAR_KEYWORD:
            out.append("**" + p.name)
        else:
            out.append(p.name)
    return tuple(out[1:] if out and out[0] == "self" else out)


# ------------------------------------------------------------ the version


def test_installed_version_is_the_pin():
    assert importlib.metadata.version("whoosh-reloaded") == PIN


def test_pyproject_pins_exactly_this_version():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    whoosh_deps = [d for d in deps if d.lower().startswith("whoosh")]
    assert whoosh_deps == [f"whoosh-reloaded=={PIN}"]


# ------------------------------------------------------------ names and shapes


@pytest.mark.parametrize(("module", "name"), sorted(IMPORTED))
def test_imports(module, name):
    what = IMPORTED[(module, name)]
    obj = getattr(importlib.import_module(module), name)
    if isinstance(what, tuple):
        assert callable(obj) and _params(obj) == what
    elif what == "module":
        assert isinstance(obj, types.ModuleType)
    elif what == "class":
        assert inspect.isclass(obj)
    elif what == "exception":
        assert inspect.isclass(obj) and issubclass(obj, Exception)
    elif what == "bytes W3Bl":
        assert obj == b"W3Bl"
    elif what == "packs >H":
        assert obj(258) == b"\x01\x02"
    elif what == "NumericColumn('B')":
        from whoosh.columns import NumericColumn
        assert isinstance(obj, NumericColumn) and obj._typecode == "B"
    else:
        raise AssertionError(f"unknown kind {what!r}")


@pytest.mark.parametrize("cls", sorted(METHODS))
def test_methods_keep_their_parameters(cls):
    klass = _obj(cls)
    got = {name: _params(getattr(klass, name)) for name in METHODS[cls]}
    assert got == METHODS[cls]


@pytest.mark.parametrize("ours", sorted(SUBCLASSES))
def test_subclassed_bases(ours):
    assert issubclass(_obj(ours), _obj(SUBCLASSES[ours]))


def test_class_attributes():
    from whoosh.codec.base import Segment
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.reading import SegmentReader

    assert Segment.COMPOUND_EXT == ".seg"
    assert W3Codec.length_stats is True         # FastCodec turns it off
    # SegmentReader.deleted_docs_set is a (cached) property, not a method
    assert not callable(inspect.getattr_static(SegmentReader, "deleted_docs_set"))


# ------------------------------------------------------------ live objects


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


# ------------------------------------------------------------ the source


def _engine_trees():
    for path in sorted(ENGINE.glob("*.py")):
        yield path.name, ast.parse(path.read_text("utf-8"))


def _whoosh_imports():
    """(module, name) for every Whoosh import in the engine, plus
    (module, attribute) for attributes of Whoosh modules imported whole."""
    found = set()
    for _file, tree in _engine_trees():
        modules: dict[str, str] = {}     # local name -> whoosh module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
                for alias in node.names:
                    found.add((node.module, alias.name))
                    full = f"{node.module}.{alias.name}"
                    if isinstance(getattr(importlib.import_module(node.module), alias.name),
                                  types.ModuleType):
                        modules[alias.asname or alias.name] = full
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "whoosh":
                        found.add((alias.name, ""))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in modules:
                found.add((modules[node.value.id], node.attr))
    return found


def test_every_whoosh_import_is_in_the_contract():
    assert _whoosh_imports() - set(IMPORTED) == set()
    assert set(IMPORTED) - _whoosh_imports() == set(), "no longer used: drop from IMPORTED"


def _whoosh_private_names() -> set[str]:
    """Every _name that appears anywhere in the installed Whoosh's source."""
    names = set()
    for path in pathlib.Path(whoosh.__file__).parent.rglob("*.py"):
        with warnings.catch_warnings():     # Whoosh's own invalid escapes
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {n for n in names if re.fullmatch(r"_[^_].*", n) and not n.endswith("__")}


def _private_names_engine_uses(whoosh_private: set[str]) -> dict[str, set[str]]:
    """Private Whoosh names the engine touches -> where. A name counts when it
    is imported from Whoosh, passed as a keyword, read or set on any object
    but ``self``, or defined or used on ``self`` in a class that subclasses a
    Whoosh class, and Whoosh's source has it (so Curator's own ``self._lock``
    and the like are not counted)."""
    used: dict[str, set[str]] = {}

    def note(name: str, where: str) -> None:
        if name in whoosh_private:
            used.setdefault(name, set()).add(where)

    for file, tree in _engine_trees():
        whoosh_names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                for alias in node.names:
                    whoosh_names.add(alias.asname or alias.name)
                    note(alias.name, file)
        subclasses: set[str] = set()
        classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        grew = True
        while grew:
            grew = False
            for c in classes:
                for base in c.bases:
                    while isinstance(base, ast.Attribute):
                        base = base.value
                    if c.name not in subclasses and isinstance(base, ast.Name) and \
                            (base.id in whoosh_names or base.id in subclasses):
                        subclasses.add(c.name)
                        grew = True

        def visit(node, cls, file=file, subclasses=subclasses):
            for child in ast.iter_child_nodes(node):
                where = f"{file}:{getattr(child, 'lineno', '?')}"
                if isinstance(child, ast.Attribute):
                    on_self = isinstance(child.value, ast.Name) and child.value.id == "self"
                    if not on_self or cls in subclasses:
                        note(child.attr, where)
                elif isinstance(child, ast.FunctionDef) and cls in subclasses:
                    note(child.name, where)
                elif isinstance(child, ast.keyword) and child.arg:
                    note(child.arg, where)
                visit(child, child.name if isinstance(child, ast.ClassDef) else cls)

        visit(tree, None)
    return used


def test_every_private_whoosh_name_is_in_the_contract():
    used = _private_names_engine_uses(_whoosh_private_names())
    missing = {n: sorted(w) for n, w in used.items() if n not in PRIVATE}
    assert not missing, f"private Whoosh names not in PRIVATE: {missing}"
    assert set(PRIVATE) - set(used) == set(), "no longer used: drop from PRIVATE"


def test_private_names_still_exist_in_whoosh():
    assert set(PRIVATE) - _whoosh_private_names() == set()
