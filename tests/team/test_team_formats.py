"""The team files match their published JSON Schemas, and the documented check of a
release (only Python and cryptography) agrees with `curator verify`."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from importlib import resources as package_files
from pathlib import Path

from jsonschema import Draft202012Validator

from curator.team import keys, sealed
from tests.team.conftest import EXPERT, clip

ROOT = Path(__file__).resolve().parents[2]


def _schema(name: str) -> Draft202012Validator:
    text = (package_files.files("curator.team") / "schema" / name).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _released(team, tmp_path):
    expert, lead, folder = team
    keep = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    back = clip(expert, "https://example.org/coercive-control", "Coercive control explained")
    for rid in (keep, back):
        expert.ok("submit", rid)
    lead.ok("team", "sync")
    lead.ok("approve", keep)
    lead.ok("send-back", back, "--reason", "Needs a summary")
    expert.ok("team", "sync")
    return lead.json("team", "release", "--theme", "DA", "--to", str(tmp_path / "out"))


def test_every_file_in_the_team_folder_matches_its_schema(team, tmp_path):
    expert, lead, folder = team
    made = _released(team, tmp_path)
    files = _schema("team-file.schema.json")
    seen = set()
    for path in [*folder.rglob("*.json"), Path(made["signature"])]:
        data = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "team.json":
            errors = list(_schema("team-register.schema.json").iter_errors(data))
        else:
            errors = list(files.iter_errors(data))
            seen.add(data["body"]["kind"])
        assert errors == [], (path.name, [e.message for e in errors])
    assert seen == {"join", "submission", "decision", "release"}


def _documented_script() -> str:
    text = (ROOT / "docs" / "team-folder.md").read_text(encoding="utf-8")
    heading = text.index("### The same check with only Python and `cryptography`")
    return re.search(r"```python\n(.*?)```", text[heading:], re.S).group(1)


def test_the_documented_check_accepts_a_good_release_and_refuses_a_changed_one(team, tmp_path):
    expert, lead, folder = team
    made = _released(team, tmp_path)
    script = tmp_path / "verify_release.py"
    script.write_text(_documented_script(), encoding="utf-8")
    register = str(folder / "team.json")
    good = subprocess.run([sys.executable, str(script), made["path"], register],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Signed by Ben Lead" in good.stdout and good.stdout.strip().endswith("Good")

    # A resource changed after approval and the release signed again (by someone in the
    # register): the check still finds the change, through the lead's signed decision.
    bundle = Path(made["path"])
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(changed, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "resources.json":
                data = data.replace(b"Safety planning with mothers", b"Safety planning (edited)")
            out.writestr(info, data)
    release = json.loads(Path(made["signature"]).read_text())
    body = release["body"]
    body["bundle"]["sha256"] = hashlib.sha256(changed.read_bytes()).hexdigest()
    expert.use()
    Path(str(changed) + ".signature.json").write_text(sealed.seal(keys.load(), {
        **body, "from": {"name": EXPERT, "key": keys.load().public}}))
    bad = subprocess.run([sys.executable, str(script), str(changed), register],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "CHANGED AFTER APPROVAL: Safety planning (edited)" in bad.stdout
    # Curator's own check stops earlier: the bundle's manifest no longer matches its files.
    code, out, err = lead("verify", str(changed), "--register", register)
    assert code == 1 and "Do not publish" in out and "resources.json" in out, out + err
