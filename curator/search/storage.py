"""Whoosh's file storage, without a reference cycle on every index write.

Each index writer asks its storage for a temporary folder with a fixed name. Whoosh's
``FileStorage.create`` makes it with ``os.makedirs`` and, when the folder is already there,
keeps the resulting exception in a local variable. The exception's traceback holds that
frame and, through it, the frames that called it, the writer among them: a reference
cycle. Reference counting can then never free the writer and the postings it buffered;
only Python's cycle collector can, which in the app means a pause of the window of a
tenth of a second or more after a big batch of updates. Making the temporary folder
with ``exist_ok`` raises nothing, so writers are freed as soon as they are done.
"""

from __future__ import annotations

import os

from whoosh.filedb.filestore import FileStorage


class Storage(FileStorage):
    def create(self) -> Storage:
        path = os.path.abspath(self.folder)
        os.makedirs(path, exist_ok=True)
        if not os.path.isdir(path):
            raise NotADirectoryError(f"{path!r} is not a folder")
        return self

    def temp_storage(self, name: str | None = None) -> Storage:
        from whoosh.util import random_name
        path = os.path.join(self.folder, name or f"{random_name()}.tmp")
        return Storage(path, supports_mmap=self.supports_mmap).create()
