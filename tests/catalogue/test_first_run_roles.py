"""Setting up a library from the welcome screen under the rule that only a lead appoints one."""

from __future__ import annotations

import pytest

from curator.base.errors import CuratorError
from curator.firstrun import set_up_library
from curator.library import Library
from curator.storage.recovery import SESSION_MARKER


def test_a_newcomer_to_the_demo_may_look_after_a_theme_its_sample_lead_leads(tmp_path):
    lib = set_up_library(tmp_path / "demo", "Jo Grant", ["DA", "NEG"], demo=True)
    try:
        assert lib.actor.name == "Jo Grant"
        assert "Jo Grant" in lib.theme("DA").leads and "Jo Grant" in lib.theme("NEG").leads
    finally:
        lib.close()


def test_a_refused_theme_leaves_the_library_closed_and_unchanged(tmp_path):
    folder = tmp_path / "lib"
    lib = set_up_library(folder, "Sam Patel", ["DA"])
    lib.add_expert("Priya Shah")
    lib.close()
    with pytest.raises(CuratorError):
        set_up_library(folder, "Priya Shah", ["DA"])  # Sam leads DA; Priya may not appoint
    assert not (folder / SESSION_MARKER).exists()  # closed: its session marked as ended
    with Library.open(folder) as again:
        assert again.theme("DA").leads == ["Sam Patel"]
