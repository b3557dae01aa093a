"""The person's preferences that the core needs too: how to reach the web, link-check
politeness, where bundles go. One JSON file in the user's config folder, shared by the
app's Settings dialog and the command line, so both obey the same proxy and certificate
choices. (Window sizes and column widths are the app's own, kept by Qt.)
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from curator import APP_NAME
from curator.atomic import write_text_atomic
from curator.errors import CuratorError
from curator.fetch import FetchSettings

CONFIG_ENV = "CURATOR_CONFIG_DIR"
PROXY_CHOICES = ("system", "none", "manual")


@dataclass
class Preferences:
    proxy: str = "system"
    proxy_url: str = ""
    use_system_certificates: bool = False
    contact: str = ""
    default_review_months: int = 12
    linkcheck_per_host: int = 2
    linkcheck_spacing: float = 0.25
    export_folder: str = ""

    def fetch_settings(self) -> FetchSettings:
        return FetchSettings(proxy=self.proxy, proxy_url=self.proxy_url,
                             use_system_certificates=self.use_system_certificates,
                             contact=self.contact)

    def set(self, key: str, value: str) -> None:
        """Set one preference from text (as typed at the command line), checking it."""
        kinds = {f.name: f.type for f in fields(self)}
        if key not in kinds:
            raise CuratorError(f"'{key}' is not a setting. Settings: {', '.join(kinds)}.")
        current = getattr(self, key)
        try:
            if isinstance(current, bool):
                parsed = str(value).strip().lower() in ("1", "yes", "true", "on")
            elif isinstance(current, int):
                parsed = int(value)
            elif isinstance(current, float):
                parsed = float(value)
            else:
                parsed = str(value).strip()
        except ValueError:
            raise CuratorError(f"'{value}' is not a valid value for {key}.") from None
        if key == "proxy" and parsed not in PROXY_CHOICES:
            raise CuratorError("The proxy is 'system', 'none' or 'manual'.")
        if key == "linkcheck_per_host" and not 1 <= parsed <= 8:
            raise CuratorError("Link checks may use 1 to 8 connections per site.")
        if key == "linkcheck_spacing" and not 0 <= parsed <= 30:
            raise CuratorError("The spacing between checks of one site is 0 to 30 seconds.")
        if key == "default_review_months" and not 1 <= parsed <= 120:
            raise CuratorError("The review interval is between 1 and 120 months.")
        setattr(self, key, parsed)


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def load() -> Preferences:
    path = config_dir() / "preferences.json"
    prefs = Preferences()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return prefs
    for f in fields(prefs):
        if f.name in data:
            try:
                prefs.set(f.name, data[f.name])
            except CuratorError:
                continue  # a bad value in the file falls back to the default
    return prefs


def save(prefs: Preferences) -> Path:
    path = config_dir() / "preferences.json"
    write_text_atomic(path, json.dumps(asdict(prefs), indent=2))
    return path
