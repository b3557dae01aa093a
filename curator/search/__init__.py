"""Full-text search for Curator (derived Whoosh index; SQLite stays the truth).

The library talks to ``SearchIndex``; everything else here is internal.
"""

from curator.search.index import IndexBusy, SearchIndex
from curator.search.results import Hit, SearchResults
from curator.search.schema import SCHEMA_VERSION
from curator.search.thesaurus import Thesaurus

__all__ = ["SCHEMA_VERSION", "Hit", "IndexBusy", "SearchIndex", "SearchResults", "Thesaurus"]
