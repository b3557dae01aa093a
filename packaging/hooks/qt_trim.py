"""Which of the Qt files PyInstaller's hooks would collect Curator leaves out.

Used by the hooks in this folder, which stand in for PyInstaller's own QtCore, QtGui and
QtNetwork hooks: they collect the same files minus these, before PyInstaller looks for the
libraries those files need (so a dropped plugin's libraries are not collected either).
The spec applies the same test to everything once more.
"""

from __future__ import annotations

import re

# Matched against a file's path inside the bundle, with "/" separators, on every platform.
DROP = [re.compile(p) for p in (
    r"/translations/",                    # Curator is in English and loads no QTranslator
    r"/qml/",
    # Platforms for kiosks and embedded screens; a laptop uses xcb or wayland, windows,
    # or cocoa (offscreen stays: it is how the built app is tested).
    r"/plugins/platforms/.*(eglfs|linuxfb|vnc|minimalegl|minimal\b|vkkhrdisplay|direct2d)",
    r"/plugins/(egldeviceintegrations|generic|networkinformation|tls|qmltooling|sqldrivers)/",
    r"/plugins/(printsupport|designer|multimedia|position|sensors|webview|qmllint)/",
    r"/plugins/wayland-graphics-integration-server/",
    r"/plugins/wayland-graphics-integration-client/.*-server\.",  # for Qt-made compositors
    r"/plugins/wayland-shell-integration/.*(ivi-shell|fullscreen-shell|qt-shell)",
    r"/plugins/platforminputcontexts/.*virtualkeyboard",
    r"/plugins/imageformats/.*(pdf|tiff|webp|tga|wbmp|icns)",
    # The GTK theme plugin would bring a copy of the build machine's GTK 3 (some 20 MB)
    # to meet the laptop's own GTK modules; Qt's own dialogs and style do instead.
    r"/plugins/platformthemes/.*gtk",
)]


def keep(entry) -> bool:
    """Keep this (destination, source, ...) entry of a PyInstaller file list?"""
    dest = "/" + str(entry[0]).replace("\\", "/")
    return not any(p.search(dest) for p in DROP)


def trimmed(collected):
    """A Qt hook's (hiddenimports, binaries, datas), minus the files Curator leaves out.

    Hook lists hold (source, destination folder) pairs, so the test is on the folder
    joined with the file name.
    """
    hiddenimports, binaries, datas = collected

    def wanted(pair) -> bool:
        source, folder = pair[0], pair[1]
        name = str(source).replace("\\", "/").rsplit("/", 1)[-1]
        return keep((f"{folder}/{name}",))

    return hiddenimports, [b for b in binaries if wanted(b)], [d for d in datas if wanted(d)]
