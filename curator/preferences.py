"""The person's preferences that the core needs too: how to reach the web, link-check
politeness, where bundles go. One JSON file in the user's config folder, shared by the
app's Settings dialog and the command line, so both obey the same proxy and certificate
choices. (Window sizes and column widths are the app's own, kept by Qt.)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from curator import APP_NAME
from curator.base.atomic import write_text_atomic
from curator.base.errors import CuratorError
from curator.clipping.fetch import FetchSettings

CONFIG_ENV = "CURATOR_CONFIG_DIR"
_PROXY_URL = re.compile(r"^(?:https?|socks5h?)://[^\s/:@]+(?::[^\s/@]*@[^\s/:@]+)?(?::\d{1,5})?/?$",
                        re.I)
_CONTACT = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
        if key == "proxy_url" and parsed and not _PROXY_URL.match(parsed):
            raise CuratorError("The proxy address looks like http://proxy.example.org:8080 "
                               "(ask your IT service desk for it).")
        if key == "contact" and parsed and not _CONTACT.match(parsed):
            raise CuratorError("The contact is an email address, such as "
                               "da.lead@council.example, so sites can reach you.")
        setattr(self, key, parsed)

    def check(self) -> None:
        """Raise a CuratorError when the preferences do not make sense together."""
        if self.proxy == "manual" and not self.proxy_url:
            raise CuratorError("Type the proxy's address, or choose the system's proxy "
                               "settings (ask your IT service desk if unsure).")

    def update(self, values: dict) -> Preferences:
        """A copy with *values* set (each checked as :meth:`set` does), checked as a whole."""
        new = Preferences(**asdict(self))
        for key, value in values.items():
            new.set(key, value)
        new.check()
        return new


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
