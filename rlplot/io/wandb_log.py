"""The records of a W&B ``.wandb`` transaction log: run, config, history and exit.

The framing is read by ``leveldb_log``; each record is a protobuf
``wandb.proto.wandb_internal_pb2.Record``. Those classes come from the optional ``wandb``
package, imported here on first use only, so no other path pays for it (see
``benchmarks/bench_trackers.py`` for what it costs). Without it, reading a ``.wandb`` file
is one InputError that names the extra to install.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..data import Notice
from ..errors import InputError
from .config_values import TRACKER_KEYS, ConfigValue, flatten_config
from .leveldb_log import read_framed_log

EXTRA_HINT = "pip install 'rlplot[wandb]'"


@dataclass(frozen=True)
class WandbLog:
    """What one ``.wandb`` file says about its run; ``history`` holds one nested record per ``log`` call."""

    path: str
    run_id: str = ""
    name: str = ""
    project: str = ""
    group: str = ""
    config: Mapping[str, ConfigValue] = field(default_factory=dict)
    status: str = ""
    history: tuple[dict, ...] = ()
    notices: tuple[Notice, ...] = ()


def record_class(path: str) -> tuple[type, type]:
    """W&B's protobuf ``Record`` class and protobuf's DecodeError; one InputError when wandb is missing."""
    try:
        from google.protobuf.message import DecodeError
        from wandb.proto import wandb_internal_pb2
    except ImportError:
        raise InputError("reading a .wandb file needs the wandb package", file=path,
                         hint=EXTRA_HINT) from None
    except Exception as exc:  # noqa: BLE001 - a broken install (protobuf mismatch, ...) is still one line
        raise InputError(f"the installed wandb package cannot be loaded ({type(exc).__name__}: {exc})",
                         file=path, hint=f"reinstall it: {EXTRA_HINT}") from None
    return wandb_internal_pb2.Record, DecodeError


def _item_value(item):
    # Current clients send JSON text; the typed fields are the newer alternative.
    if item.value_json:
        return json.loads(item.value_json)
    try:
        kind = item.WhichOneof("value")
    except ValueError:         # a wandb release whose HistoryItem has no typed values
        return None
    if kind is None or kind == "none":
        return None
    value = getattr(item, kind)
    return json.loads(value) if kind == "json" else value


def _item_values(items) -> list:
    """The values of a record's items; one JSON parse for the whole record when they are all JSON."""
    texts = [item.value_json for item in items]
    if all(texts):
        try:
            return json.loads("[" + ",".join(texts) + "]")
        except ValueError:
            pass     # a bad value: parse one by one, so the error is about that value
    return [_item_value(item) for item in items]


def _path(item) -> list[str]:
    return list(item.nested_key) or [item.key]


def _put(tree: dict, path: list[str], value) -> None:
    for part in path[:-1]:
        child = tree.get(part)
        if not isinstance(child, dict):
            child = tree[part] = {}
        tree = child
    tree[path[-1]] = value


def _remove(tree: dict, path: list[str]) -> None:
    for part in path[:-1]:
        tree = tree.get(part)
        if not isinstance(tree, dict):
            return
    tree.pop(path[-1], None)


@dataclass
class _Decoder:
    """Folds the records of one log into run facts, a config tree and history rows."""

    keep_history: bool
    facts: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)

    def update_config(self, record) -> None:
        """Apply a ConfigRecord's updates and removals to the config tree."""
        for item in record.update:
            _put(self.config, _path(item), json.loads(item.value_json) if item.value_json else None)
        for item in record.remove:
            _remove(self.config, _path(item))

    def on_run(self, msg) -> None:
        """The run record: id, display name, project, group and the initial config."""
        run = msg.run
        self.facts.update(run_id=run.run_id, name=run.display_name, project=run.project,
                          group=run.run_group)
        self.update_config(run.config)

    def on_config(self, msg) -> None:
        """A later ``run.config.update``."""
        self.update_config(msg.config)

    def on_history(self, msg) -> None:
        """One ``log`` call: a nested row of its items."""
        if self.keep_history:
            items = msg.history.item
            row: dict = {}
            for item, value in zip(items, _item_values(items)):
                nested = item.nested_key
                if len(nested) == 1:      # the common case, without building a path
                    row[nested[0]] = value
                else:
                    _put(row, _path(item), value)
            self.history.append(row)

    def on_exit(self, msg) -> None:
        """The run finished: its exit code says how."""
        self.facts["status"] = "finished" if msg.exit.exit_code == 0 else f"failed ({msg.exit.exit_code})"


HANDLERS: dict[str, Callable[[_Decoder, object], None]] = {
    "run": _Decoder.on_run, "config": _Decoder.on_config,
    "history": _Decoder.on_history, "exit": _Decoder.on_exit,
}


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def read_wandb_log(path: str, *, history: bool = True, strict: bool = False) -> WandbLog:
    """Decode a ``.wandb`` file; ``history=False`` skips the (costly) history values.

    Damaged framing or an undecodable record is a notice (an InputError under ``strict``).
    """
    data = _read_bytes(path)
    framed = read_framed_log(data, path, strict=strict)  # checks the header before wandb is imported
    record_type, decode_error = record_class(path)
    decoder = _Decoder(history)
    notices = list(framed.notices)
    for record in framed.records:
        message = record_type()
        try:
            message.ParseFromString(record.payload)
            handler = HANDLERS.get(message.WhichOneof("record_type"))
            if handler is not None:
                handler(decoder, message)
        except (decode_error, ValueError) as exc:     # a damaged message, or bad JSON in a value
            what = f"a record that does not decode ({type(exc).__name__}) at byte {record.offset}"
            if strict:
                raise InputError(what, file=path, hint="--strict is on; drop it to skip such records") from None
            notices.append(Notice(f"skipped {what}", file=path))
    tree = {k: v for k, v in decoder.config.items() if k not in TRACKER_KEYS}
    facts = decoder.facts
    return WandbLog(path=path, run_id=facts.get("run_id", ""), name=facts.get("name", ""),
                    project=facts.get("project", ""), group=facts.get("group", ""),
                    config=flatten_config(tree), status=facts.get("status", "running"),
                    history=tuple(decoder.history), notices=tuple(notices))
