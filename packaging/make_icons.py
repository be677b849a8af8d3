"""Render the app icon's SVG source into the PNG sizes, the Windows .ico and the macOS .icns.

    python packaging/make_icons.py

resources/icons/workbench.svg is the design; workbench-small.svg is its simplified form for
32 px and under (no grid, thicker strokes), where the full one turns to mush. Qt's SVG renderer
(PySide6, already a dependency) draws them; Pillow writes the .ico and .icns. The outputs are
committed, so a build needs neither step; run this again after editing an SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # written as png/workbench-N.png
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows picks from
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # macOS, the Retina sizes included
SMALL_UP_TO = 32


def render(size: int) -> bytes:
    """The icon at `size` x `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    source = ICONS / ("workbench-small.svg" if size <= SMALL_UP_TO else "workbench.svg")
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"error: {source}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> int:
    """Write every icon file; prints each with its size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - kept alive
    images = {
        size: Image.open(io.BytesIO(render(size))).convert("RGBA")
        for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES})
    }
    written = []
    (ICONS / "png").mkdir(exist_ok=True)
    for size in PNG_SIZES:
        path = ICONS / "png" / f"workbench-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    ico = ICONS / "workbench.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    written.append(ico)
    icns = ICONS / "workbench.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES[:-1]]
    )
    written.append(icns)
    for path in written:
        print(f"{path.relative_to(ICONS.parents[1])}: {path.stat().st_size / 1024:.1f} kB")
    total = sum(p.stat().st_size for p in ICONS.rglob("*") if p.is_file())
    print(f"resources/icons: {total / 1024:.0f} kB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
