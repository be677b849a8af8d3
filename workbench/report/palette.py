"""The colours of every plot, in the window and in the reports: one palette, readable on white.

Qt-free, so the HTML/PDF report figures (matplotlib) and the window's live plots (pyqtgraph)
draw a comparison's runs in the same colours, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

# Okabe and Ito's colour-blind-safe hues, in their order, without the yellow; the orange and
# the sky blue darkened until every line stands out from the white background by at least
# 3:1 (WCAG's contrast for graphics). tab10's olive (188, 189, 34) was 2:1, hard to see.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (0, 114, 178),  # blue
    (213, 94, 0),  # vermillion
    (0, 158, 115),  # bluish green
    (204, 121, 167),  # reddish purple
    (0, 0, 0),  # black: the fifth, so the five optimizers of a race all differ clearly
    (51, 153, 204),  # sky blue, darkened
    (180, 110, 0),  # orange, darkened (and so nearer the vermillion: late in the list)
    (110, 110, 110),  # grey
)


def palette_hex(index: int) -> str:
    """The `index`-th palette colour as "#rrggbb"; the colours repeat past the palette."""
    red, green, blue = PALETTE[index % len(PALETTE)]
    return f"#{red:02x}{green:02x}{blue:02x}"


def contrast_on_white(colour: Sequence[int]) -> float:
    """WCAG's contrast ratio of an RGB colour against white (1 to 21)."""

    def channel(value: int) -> float:
        fraction = value / 255
        return fraction / 12.92 if fraction <= 0.03928 else ((fraction + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour[:3])
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)
