"""How numbers read in the report's tables (the HTML page and the Markdown summary alike)."""
from __future__ import annotations

import math
import numbers

MISSING = "–"  # an en dash: a cell with no value (None, NaN)


def cell_text(value: object) -> str:
    """A table cell as text: integers as they are, other numbers to 6 significant digits."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        return MISSING if math.isnan(number) else format(number, ".6g")
    return str(value)


def human_size(size: int) -> str:
    """Bytes as a short size: ``512 B``, ``3.4 KiB``, ``12.0 MiB``."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} TiB"
