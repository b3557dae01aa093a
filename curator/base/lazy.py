"""Modules loaded when first used, not when their importer is imported.

Start-up imports only what the first screen needs (issue 21). A module that holds a
service the first screen never calls (the team folder's signing, say) is named with
:func:`module` at the top of its importer, as an import would; Python's
:class:`importlib.util.LazyLoader` then runs it on the first attribute looked up.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """*name*, imported now if it already was, else loaded on its first use."""
    if name in sys.modules:
        return sys.modules[name]
    parent, _, child = name.rpartition(".")
    if parent:
        importlib.import_module(parent)
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    if parent:
        setattr(sys.modules[parent], child, lazy)
    return lazy
