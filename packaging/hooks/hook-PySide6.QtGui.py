# Stands in for PyInstaller's own hook for this module: the same Qt files, minus the ones
# qt_trim.py lists (plugins and translations Curator does not use).
import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qt_trim import trimmed  # noqa: E402

hiddenimports, binaries, datas = trimmed(add_qt6_dependencies(__file__))
