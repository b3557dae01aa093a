"""An export that fails part-way (a full disk, a folder that refuses the last step) leaves
either a recorded bundle or nothing, and says what happened."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from curator.base.errors import StorageError
from curator.publishing.bundles import read_bundle, writer
from tests.support.publishing import approved, files_in, make_team


@pytest.fixture
def team(library):
    make_team(library)
    approved(library, "https://example.org/a", "Guide")
    return library


def pending(lib):
    return lib.store.query("SELECT key FROM settings WHERE key LIKE 'export_pending:%'")


def test_a_full_disk_while_writing_leaves_nothing(team, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer.os, "fsync", full)
    out = tmp_path / "drop"
    with pytest.raises(StorageError, match="No space left on device"):
        team.export_bundle(["DA"], to=out)
    monkeypatch.undo()
    assert files_in(out) == [] and team.bundles() == [] and pending(team) == []


def test_a_folder_refusing_the_last_step_is_finished_later(team, tmp_path, monkeypatch):
    def refused(src, dst):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(writer, "_link_new", refused)
    out = tmp_path / "drop"
    with pytest.raises(StorageError, match="Curator puts it in place the next time"):
        team.export_bundle(["DA"], to=out)
    monkeypatch.undo()
    assert len(pending(team)) == 1
    (bundle,) = team.bundles()               # listing finishes the export
    assert files_in(out) == [Path(bundle["path"]).name]
    assert read_bundle(out / files_in(out)[0]).resources
    assert pending(team) == []
