"""The command line run in-process on a library in a temporary folder."""

import pytest

from curator.cli import main


@pytest.fixture
def cli(tmp_path, capsys):
    """``cli(*argv)`` runs ``curator --library <tmp>/lib *argv`` and returns (exit code,
    stdout, stderr); ``cli.folder`` is the library folder."""
    folder = tmp_path / "lib"

    def run(*argv):
        code = main(["--library", str(folder), *argv])
        out, err = capsys.readouterr()
        return code, out, err
    run.folder = folder
    return run
