"""Text shown on a figure: titles, axis labels and what a band is. No matplotlib import: the
pipeline resolves titles with it before anything is drawn."""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from ..choices import TIME_AXES
from ..columns import is_flops
from ..config.schema import PanelStyle
from ..runs.time_axis import X_NAMES

FLOPS_LABEL = "RL flops"
LOGGED_BAND_LABEL = "min/max logged by W&B"   # the band of W&B's <metric>__MIN/__MAX columns


def plain_text(text: str) -> str:
    """Text taken from a log (a column or file name) shown as is: a ``$`` would start mathtext."""
    return text.replace("$", r"\$")


def resolve_panel(panel: PanelStyle, column: str, x_label: str) -> PanelStyle:
    """Fill a panel's automatic title and labels from its column and the x label."""
    y_label = panel.y_label or plain_text(column)
    return replace(panel, y_label=y_label, title=panel.title or f"{y_label} vs {x_label}",
                   label=panel.label or y_label)


def x_axis_label(chosen: str | None, x_names: Sequence[str],
                 aliases: Mapping[str, Sequence[str]]) -> str:
    """``chosen`` (figure.x_label), else "RL flops" for a FLOPs x, a time axis' name (Wall time,
    Relative time), else the x columns' names."""
    if chosen:
        return chosen
    names = set(x_names)
    for axis, name in X_NAMES.items():
        if names == {name}:
            return TIME_AXES[axis].title
    if all(is_flops(n, aliases) for n in names):
        return FLOPS_LABEL
    return plain_text(" / ".join(sorted(names)))


def logged_band_footnote(runs: Sequence, grouped: bool) -> str | None:
    """What the shaded logged bands are, for a figure whose legend names runs or groups.

    None without such a band, or for one ungrouped run: its legend has an entry for the band.
    """
    if (len(runs) > 1 or grouped) and any(s.band is not None for run in runs for s in run.series):
        return f"shaded: {LOGGED_BAND_LABEL}"
    return None
