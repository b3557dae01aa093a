"""Who is acting: the expert named, or the one who used this library last."""

from __future__ import annotations

from curator.base.errors import CuratorError
from curator.catalogue import experts
from curator.storage.store import Store


def who_acts(store: Store, name: str | None, last: str | None) -> experts.Expert:
    """The named expert (or the last one); on a library with no experts yet, the first
    name given becomes its first expert. An expert no longer active may not act."""
    name = name or last
    if not name:
        raise CuratorError(
            "Curator needs to know who you are. Give your name with --as \"Your Name\""
            " (or set CURATOR_EXPERT).")
    try:
        expert = experts.find(store, name)
    except CuratorError:
        if experts.list_all(store):
            raise
        expert = experts.add(store, name, None)
    if not expert.active:
        raise CuratorError(f"{expert.name} is no longer active in this library.")
    return expert
