"""Two people on two laptops, played in one process: each has their own library and their
own config folder (where their signing key lives), and they share one team folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.cli import main

EXPERT = "Asha Patel"
LEAD = "Ben Lead"


class Person:
    """One person's laptop: ``person(*argv)`` runs ``curator --library L --as NAME *argv``
    with their config folder, returning (exit code, stdout, stderr)."""

    def __init__(self, name: str, root: Path, monkeypatch, capsys):
        self.name = name
        self.library = root / "library"
        self.config = root / "config"
        self._mp, self._capsys = monkeypatch, capsys

    def use(self) -> None:
        self._mp.setenv("CURATOR_CONFIG_DIR", str(self.config))

    def __call__(self, *argv: str, as_name: str | None = None):
        self.use()
        self._capsys.readouterr()
        code = main(["--library", str(self.library), "--as", as_name or self.name, *argv])
        out, err = self._capsys.readouterr()
        return code, out, err

    def json(self, *argv: str):
        code, out, err = self(*argv, "--json")
        assert code == 0, err
        return json.loads(out)

    def ok(self, *argv: str, as_name: str | None = None) -> str:
        code, out, err = self(*argv, as_name=as_name)
        assert code == 0, f"curator {' '.join(argv)} -> {code}\n{out}\n{err}"
        return out


@pytest.fixture
def team(tmp_path, monkeypatch, capsys):
    """(expert, lead, team folder): both joined, admitted by the lead (who keeps the
    register), the lead named lead of DA (four eyes on), both libraries adopted."""
    folder = tmp_path / "team"
    folder.mkdir()
    expert = Person(EXPERT, tmp_path / "asha", monkeypatch, capsys)
    lead = Person(LEAD, tmp_path / "ben", monkeypatch, capsys)
    for person in (expert, lead):
        person.ok("team", "set", str(folder))
        person.ok("team", "join")
    for request in sorted((folder / "requests").iterdir()):
        lead.ok("team", "admit", str(request))
    lead.ok("themes", "edit", "DA", "--four-eyes")
    lead.ok("team", "lead", "DA", LEAD)
    for person in (expert, lead):
        person.ok("team", "adopt")
    return expert, lead, folder


def clip(person: Person, url: str, title: str, theme: str = "DA") -> str:
    rid = person.ok("clip", url, "--no-fetch", "--theme", theme, "--note",
                    "Why it matters for practice").strip()
    person.ok("edit", rid, "--title", title)
    return rid


def status_of(person: Person, rid: str) -> str:
    return person.json("show", rid)["status"]
