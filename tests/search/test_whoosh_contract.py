"""The Whoosh the search engine is written against, and nothing else.

curator/search reads and writes Whoosh's files itself and leans on Whoosh's
internals: private names, the layout of its posting blocks, the order in which
its writer calls its hooks. None of that is promised by Whoosh, so pyproject pins
whoosh-reloaded to one exact version, and this file lists every Whoosh name the
engine uses with the shape it relies on. Before moving the pin, install the new
version and run this file: each failure names what changed.

The lists are cross-checked with the source: every name imported from Whoosh
(and every attribute of a Whoosh module used) must be in the tables, and every
private Whoosh name the engine touches must be in PRIVATE, so none can be added
without this contract growing (see docs/search-format.md). The internals are
checked at work on real indexes in test_whoosh_contract_live.py.
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

PIN = "2.7.5"
ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = ROOT / "curator" / "search"

# Every name the engine imports from Whoosh, or uses from a Whoosh module it
# imports whole, by what it must be.
MODULES = {"whoosh": ("fields", "formats", "index")}
CLASSES = {
    "whoosh.codec.whoosh3": ("W3Codec", "W3FieldWriter", "W3PerDocWriter", "W3TermInfo"),
    "whoosh.columns": ("NumericColumn", "WrappedColumnWriter"),
    "whoosh.fields": ("FieldType", "ID", "STORED", "Schema"),
    "whoosh.filedb.filestore": ("FileStorage",),
    "whoosh.filedb.structfile": ("StructFile",),
    "whoosh.formats": ("Existence", "Format"),
    "whoosh.index": ("FileIndex", "TOC"),
    "whoosh.reading": ("EmptyReader", "MultiReader", "SegmentReader"),
    "whoosh.searching": ("Searcher",),
    "whoosh.writing": ("SegmentWriter",),
}
EXCEPTIONS = {"whoosh.index": ("LockError",), "whoosh.reading": ("TermNotFound",)}
FUNCTIONS = {       # with their parameters
    "whoosh.codec.whoosh3._lenfield": ("fieldname",),
    "whoosh.index.clean_files": ("storage", "indexname", "gen", "segments"),
    "whoosh.lang.porter2.stem": ("word",),
    "whoosh.util.random_name": ("size",),
    "whoosh.util.numeric.byte_to_length": ("key",),
}
VALUES = ("whoosh.codec.whoosh3.LENGTHS_COLUMN", "whoosh.codec.whoosh3.WHOOSH3_HEADER_MAGIC",
          "whoosh.system.pack_ushort")     # checked one by one in test_values
IMPORTED = {
    *((module, name) for table in (MODULES, CLASSES, EXCEPTIONS)
      for module, names in table.items() for name in names),
    *(tuple(path.rsplit(".", 1)) for path in (*FUNCTIONS, *VALUES)),
}

# What the engine calls on any index reader (one segment's, or several segments').
_READERS = {
    "generation": (),
    "leaf_readers": (),
    "doc_count_all": (),
    "doc_count": (),
    "field_length": ("fieldname",),
    "doc_frequency": ("fieldname", "text"),
    "expand_prefix": ("fieldname", "prefix"),
    "terms_from": ("fieldname", "prefix"),
    "lexicon": ("fieldname",),
    "stored_fields": ("docnum",),
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
    "whoosh.filedb.structfile.StructFile": {     # storage.MapFile overrides the readers
        "__init__": ("fileobj", "name", "onclose"),
        "get": ("position", "length"),
        "get_array": ("position", "typecode", "length"),
        "read_array": ("typecode", "length"),
        "read_pickle": (),
        "subset": ("offset", "length", "name"),
        "close": (),
    },
    "whoosh.filedb.compound.CompoundStorage": {     # generations.compound_ok reads its layout
        "assemble": ("dbfile", "store", "names", "**options"),
        "write_dir": ("dbfile", "basepos", "directory", "options"),
    },
    "whoosh.reading.SegmentReader": {
        **_READERS,
        "__init__": ("storage", "schema", "segment", "generation", "codec"),
        "segment": (),
        "has_deletions": (),
        "postings": ("fieldname", "text", "scorer"),
        "all_terms": (),
        "terms_within": ("fieldname", "text", "maxdist", "prefix"),
        "close": (),
    },
    "whoosh.reading.MultiReader": {
        **_READERS,
        "__init__": ("readers", "generation"),
        "postings": ("fieldname", "text"),
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
        "open_file": ("name", "**kwargs"),       # overridden: segment files mapped
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
    "curator.search.storage.MapFile": "whoosh.filedb.structfile.StructFile",
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
    # postings._length_bytes reads the length column's bytes in one go
    "_fixedlen": "NumericColumn.Reader: bytes per document (1 for lengths)",
    "_typecode": "NumericColumn.Reader: struct code of a value ('B' for lengths)",
    "_count": "FixedBytesColumn.Reader: documents written (the rest take the default)",
    "_dbfile": "FixedBytesColumn.Reader: the file the column is in",
    "_basepos": "FixedBytesColumn.Reader: where the column's bytes start",
    "_default": "FixedBytesColumn.Reader: the value of a document not written",
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


@pytest.mark.parametrize("path", sorted(f"{m}.{n}" for m, names in MODULES.items()
                                         for n in names))
def test_modules(path):
    assert isinstance(_obj(path), types.ModuleType)


@pytest.mark.parametrize("path", sorted(f"{m}.{n}" for m, names in CLASSES.items()
                                         for n in names))
def test_classes(path):
    assert inspect.isclass(_obj(path))


@pytest.mark.parametrize("path", sorted(f"{m}.{n}" for m, names in EXCEPTIONS.items()
                                         for n in names))
def test_exceptions(path):
    assert inspect.isclass(_obj(path)) and issubclass(_obj(path), Exception)


@pytest.mark.parametrize("path", sorted(FUNCTIONS))
def test_functions(path):
    assert callable(_obj(path)) and _params(_obj(path)) == FUNCTIONS[path]


def test_values():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
    from whoosh.columns import NumericColumn
    from whoosh.system import pack_ushort

    assert WHOOSH3_HEADER_MAGIC == b"W3Bl"
    assert isinstance(LENGTHS_COLUMN, NumericColumn) and LENGTHS_COLUMN._typecode == "B"
    assert pack_ushort(258) == b"\x01\x02"         # field numbers in term keys


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
    assert set(IMPORTED) - _whoosh_imports() == set(), "no longer used: drop from the tables"


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
