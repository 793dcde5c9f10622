"""The input formats rlplot reads: one registry entry per format, and content-based detection.

Declaring the formats imports nothing heavy (no numpy): each entry names its reader and
its detector as ``"module:attribute"``, imported the first time a file is read, so the
CLI and the config schema can list and validate formats cheaply.
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..registry import Choice, Registry

if TYPE_CHECKING:  # pragma: no cover
    from ..data import Table
    from .lines import SkipLog
    from .sources import Source

_ADAPTERS = "rlplot.io.adapters"


@functools.cache
def _resolve(target: str):
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class InputFormat(Choice):
    """One input format: how to recognise it (``detect``) and how to read it (``target``).

    ``kind`` is the generic content it builds on (csv, jsonl, json); ``plain`` marks the
    generic reader of its kind under another name, which the columnar fast path can read.
    """

    kind: str = "csv"
    detect: str = ""                    # "module:attribute" of detect(head) -> bool; "" = fallback
    suffixes: tuple[str, ...] = ()      # extensions that name this format
    plain: bool = False

    def read(self, source: Source, skips: SkipLog) -> tuple[Table, ...]:
        """Read a whole source into one Table per run it holds."""
        return _resolve(self.target)(source, skips)

    def recognises(self, head) -> bool:
        """Whether the start of a file (an ``io.head.Head``) is in this format (fallbacks: always)."""
        return not self.detect or bool(_resolve(self.detect)(head))


def _adapter(name: str, kind: str, help: str, reader: str, detect: str = "", *,
             suffixes: tuple[str, ...] = (), plain: bool = False) -> InputFormat:
    return InputFormat(name, help, target=f"{_ADAPTERS}:{reader}", kind=kind,
                       detect=f"{_ADAPTERS}:{detect}" if detect else "", suffixes=suffixes,
                       plain=plain)


# Detection tries the entries in this order: specific adapters first, generic ones last.
FORMATS = Registry("input format", (
    _adapter("trainer-state", "json", "Hugging Face Trainer / TRL trainer_state.json (log_history)",
             "read_trainer_state", "detect_trainer_state"),
    _adapter("jsonl-events", "jsonl",
             "JSONL with an event/type key (config and summary records set aside)",
             "read_jsonl_events", "detect_jsonl_events"),
    _adapter("monitor", "csv", "stable-baselines(3) monitor.csv (#{json} line, r,l,t; adds timesteps)",
             "read_monitor", "detect_monitor"),
    _adapter("tensorboard-long", "csv",
             "TensorBoard long export run,tag,step,value (each run a run)",
             "read_tensorboard_long", "detect_tensorboard_long"),
    _adapter("tensorboard", "csv", "TensorBoard scalar CSV download (Wall time,Step,Value)",
             "read_tensorboard", "detect_tensorboard", plain=True),
    _adapter("wandb-panel", "csv",
             "W&B panel export ('<run> - <metric>' with __MIN/__MAX; each run a run)",
             "read_wandb_panel", "detect_wandb_panel"),
    _adapter("wandb", "csv", "W&B run history CSV (wide, _step)", "read_wandb", "detect_wandb",
             plain=True),
    _adapter("sb3", "csv", "stable-baselines3 progress.csv (train and eval rows interleaved)",
             "read_sb3", "detect_sb3", plain=True),
    _adapter("spinningup", "csv", "Spinning Up progress.txt (tab-separated, TotalEnvInteracts)",
             "read_spinningup", "detect_spinningup", plain=True),
    _adapter("baselines", "csv", "OpenAI baselines progress.csv", "read_baselines",
             "detect_baselines", plain=True),
    _adapter("csv", "csv", "delimited text with a header row (',', tab or ';')", "read_generic_csv",
             suffixes=(".csv", ".tsv", ".txt", ".log"), plain=True),
    _adapter("jsonl", "jsonl", "one JSON object per line", "read_generic_jsonl",
             suffixes=(".jsonl", ".ndjson"), plain=True),
    _adapter("json", "json", "a JSON list of records, or {column: [values]}", "read_generic_json",
             suffixes=(".json",)),
))

# Extensions that name a log (".gz" of each is read too).
LOG_SUFFIXES = tuple(s for fmt in FORMATS.choices() for s in fmt.suffixes)


def detect_format(source: Source) -> str:
    """Name the format of a source from its content (the extension only breaks ties)."""
    from .head import Head, kind_of   # numpy: only once a file is actually read

    head = Head(source, kind_of(source))
    for fmt in FORMATS.choices():
        if fmt.kind == head.kind and fmt.recognises(head):
            return fmt.name
    return head.kind
