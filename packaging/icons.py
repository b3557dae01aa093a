"""Curator's icon in the formats Windows and macOS want, drawn from the one SVG.

The SVG in packaging/linux/ is the only source. Windows wants an .ico and macOS an
.icns; both can hold PNG images, which Qt (already a dependency) draws from the SVG, so
no image tools are needed. The spec calls ``make_icon`` at build time.
"""

from __future__ import annotations

import struct
from pathlib import Path

SVG = Path(__file__).resolve().parent / "linux" / "io.github.curator_app.Curator.svg"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# .icns entry types that may hold PNG data, and the pixel size each holds.
ICNS_TYPES = ((b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256),
              (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024))


def png(size: int, svg: Path = SVG) -> bytes:
    """The icon drawn at size x size pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG that Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode the icon as PNG")
    return bytes(buffer.data())


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, blobs = b"", b""
    offset = len(header) + 16 * len(images)
    for size, data in sorted(images.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an .ico directory
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(images: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = images[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icon(kind: str, folder: Path) -> Path:
    """Write curator.ico or curator.icns into folder and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "ico":
        path, data = folder / "curator.ico", ico({s: png(s) for s in ICO_SIZES})
    elif kind == "icns":
        sizes = {size for _, size in ICNS_TYPES}
        path, data = folder / "curator.icns", icns({s: png(s) for s in sizes})
    else:
        raise ValueError(f"unknown icon kind {kind!r}")
    path.write_bytes(data)
    return path
