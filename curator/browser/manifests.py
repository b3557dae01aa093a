"""Native messaging host manifests: telling each browser how to start ``curator native-host``.

A browser starts a native host only when a manifest names it, lists the extensions
allowed to talk to it, and sits where that browser looks (a folder on Linux and macOS, a
registry key naming the file on Windows). ``curator browser install`` writes them for the
person's own account; docs/browser.md says what a council's IT writes instead.

The manifest's ``path`` is a small launcher written beside it, because a browser passes
no arguments of ours: the launcher runs this Curator with ``native-host``.

A browser started with a profile folder of its own (``--user-data-dir``, as IT's kiosk
set-ups and the end-to-end test do) reads the manifest from that folder's
``NativeMessagingHosts`` on Linux: ``folder`` writes it there instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from curator.base.atomic import write_text_atomic

HOST_NAME = "curator.clip"
FIREFOX_ID = "clip@curator"
DESCRIPTION = "Curator: clip pages from the browser"
#: The public half of the key that fixes the extension's id on Edge and Chrome (its
#: "key" in extension/manifest.json; see :func:`extension_id`).
EXTENSION_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoSp8DmRu7uqwtyRVwiyaAHRRnTHgwjgezmitozHH"
    "i8Ij66y8V5CZtZ3ZiRZsC4nhniPaZ3WLzMZI2Q0N/eLiilxl9DVS9kPEApyo/YvMW+hlAlUodrfhbxr7RzY3"
    "PkZvqbVphFaKtBTBOCgEq9u4hDiheJvwcR8hwxHExNGBIuIbA4kS1qj3otddqlgJzizP18HBBnYO3/TDmgWU"
    "VaZaFWoUQp0nDr9QeWv3O4B8t5Em5RCTaggG+xFAzAdjwPP19eML1648ZuaJEbp90fDYmJZEY4yFJnlEqOQO"
    "tt8sxLAi5DkM/zc4mdAN1inAB0PEd3N0nHwbZB799kCELyOyTQIDAQAB")

BROWSERS = ("chrome", "chromium", "edge", "firefox")
_NAMES = {"chrome": "Google Chrome", "chromium": "Chromium", "edge": "Microsoft Edge",
          "firefox": "Firefox"}
#: Where each browser looks, under the home folder.
_LINUX = {"chrome": ".config/google-chrome/NativeMessagingHosts",
          "chromium": ".config/chromium/NativeMessagingHosts",
          "edge": ".config/microsoft-edge/NativeMessagingHosts",
          "firefox": ".mozilla/native-messaging-hosts"}
_MAC = {"chrome": "Library/Application Support/Google/Chrome/NativeMessagingHosts",
        "chromium": "Library/Application Support/Chromium/NativeMessagingHosts",
        "edge": "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
        "firefox": "Library/Application Support/Mozilla/NativeMessagingHosts"}
#: Windows: the registry key (under HKEY_CURRENT_USER, or HKEY_LOCAL_MACHINE for all).
REGISTRY = {"chrome": r"Software\Google\Chrome\NativeMessagingHosts",
            "chromium": r"Software\Chromium\NativeMessagingHosts",
            "edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
            "firefox": r"Software\Mozilla\NativeMessagingHosts"}


def extension_id(key: str = EXTENSION_KEY) -> str:
    """The Edge and Chrome extension id that *key* gives: the first 32 hex digits of the
    key's SHA-256, written with the letters a to p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def manifest(browser: str, launcher: Path, extra_ids: tuple[str, ...] = ()) -> dict:
    """The host manifest *browser* reads."""
    out = {"name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher),
           "type": "stdio"}
    if browser == "firefox":
        out["allowed_extensions"] = [FIREFOX_ID, *extra_ids]
    else:
        out["allowed_origins"] = [f"chrome-extension://{i}/"
                                  for i in (extension_id(), *extra_ids)]
    return out


def launcher_text(platform: str, command: list[str]) -> str:
    """A launcher that runs *command* with ``native-host``. What the browser adds (the
    extension's origin, a window handle) is not passed on: the host does not need it."""
    if platform == "win32":
        quoted = " ".join(f'"{c}"' for c in command)
        return f"@echo off\r\n{quoted} native-host\r\n"
    quoted = " ".join("'" + c.replace("'", "'\\''") + "'" for c in command)
    return f"#!/bin/sh\nexec {quoted} native-host\n"


def curator_command(library: str | None = None) -> list[str]:
    """How this Curator is started: the packaged program, or Python with the module."""
    base = [sys.executable] if getattr(sys, "frozen", False) else \
        [sys.executable, "-m", "curator"]
    return base + (["--library", str(Path(library).resolve())] if library else [])


@dataclass
class Installed:
    browser: str
    manifest: Path
    registry_key: str | None = None

    @property
    def name(self) -> str:
        return _NAMES[self.browser]


def manifest_folder(browser: str, platform: str, home: Path, own: Path) -> Path:
    """Where *browser*'s manifest goes (on Windows: Curator's own folder, *own*)."""
    if platform == "win32":
        return own / "native-hosts" / browser
    table = _MAC if platform == "darwin" else _LINUX
    return home / table[browser]


def install(browsers=BROWSERS, *, own: Path, home: Path | None = None,
            platform: str | None = None, library: str | None = None,
            command: list[str] | None = None, extra_ids: tuple[str, ...] = (),
            registry=None, folder: Path | None = None) -> list[Installed]:
    """Write the launcher (in *own*, Curator's settings folder) and a manifest for each
    browser; on Windows also the registry key naming it (*registry*: a function taking
    (key, value), for tests and for the installer). With *folder*, the one browser's
    manifest goes there instead of where the browser looks by default (each browser's
    manifest has the same name, so one folder holds one browser's). Returns what was
    written."""
    browsers = list(browsers)
    if folder is not None and len(browsers) != 1:
        raise ValueError("a folder of its own holds the manifest of one browser")
    platform = platform or sys.platform
    home = home or Path.home()
    command = command or curator_command(library)
    launcher = own / "browser" / ("curator-native-host.bat" if platform == "win32"
                                  else "curator-native-host")
    write_text_atomic(launcher, launcher_text(platform, command))
    if platform != "win32":
        os.chmod(launcher, 0o755)
    done = []
    for browser in browsers:
        if browser not in BROWSERS:
            raise ValueError(browser)
        where = Path(folder) if folder is not None else \
            manifest_folder(browser, platform, home, own)
        path = where / f"{HOST_NAME}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(manifest(browser, launcher, extra_ids), indent=2))
        key = None
        if platform == "win32":
            key = REGISTRY[browser] + "\\" + HOST_NAME
            (registry or _write_registry)(key, str(path))
        done.append(Installed(browser, path, key))
    return done


def _write_registry(key: str, value: str) -> None:  # pragma: no cover - Windows only
    import winreg
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
        winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)
