"""Helpers for the tracker tests: stores written once per session by the real clients, and a
from-the-spec writer of the ``.wandb`` framing for synthetic and damaged logs."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

WRITER = Path(__file__).with_name("tracker_writers.py")
REAL_LOGS = [Path(__file__).resolve().parents[3] / "shared" / "real-logs", Path("/work/shared/real-logs")]

_built: dict[str, Path] = {}


def _env(home: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "MLFLOW_ALLOW_FILE_STORE": "true", "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true",
        "WANDB_MODE": "offline", "WANDB_SILENT": "true", "WANDB_DISABLE_CODE": "true",
        "WANDB_DISABLE_GIT": "true", "WANDB_CONFIG_DIR": str(home / "config"),
        "WANDB_CACHE_DIR": str(home / "cache"), "WANDB_DATA_DIR": str(home / "data"),
    })
    return env


def built_store(kind: str, tmp_path_factory) -> Path:
    """The folder the real client filled for ``kind`` (written once per test session; treat as read-only)."""
    if kind not in _built:
        out = tmp_path_factory.mktemp(kind)
        done = subprocess.run([sys.executable, str(WRITER), kind, str(out)], env=_env(out / ".home"),
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"the {kind} writer failed:\n{done.stderr[-3000:]}"
        _built[kind] = out
    return _built[kind]


def copy_tree(src: Path, dst: Path) -> Path:
    """A writable copy of a built store, to damage."""
    shutil.copytree(src, dst, symlinks=True)
    return dst


def real_legacy_wandb_run() -> Path | None:
    """The shared real W&B legacy run folder, when it is beside this checkout."""
    for root in REAL_LOGS:
        folder = root / "wandb_legacy_run"
        if folder.is_dir():
            return folder
    return None


# ---- the .wandb framing, written from LevelDB's log format and W&B's header ------------

BLOCK = 32 * 1024
HEADER = struct.pack("<4sHB", b":W&B", 0xBEE1, 0)


def frame(payloads: list[bytes], header: bytes = HEADER) -> bytes:
    """Frame payloads as W&B writes them: 32 KiB blocks, FULL or FIRST/MIDDLE.../LAST chunks."""
    out = bytearray(header)
    for payload in payloads:
        first, rest = True, payload
        while True:
            room = BLOCK - len(out) % BLOCK
            if room < 7:
                out += b"\x00" * room
                room = BLOCK
            piece, rest = rest[:room - 7], rest[room - 7:]
            kind = (1 if not rest else 2) if first else (4 if not rest else 3)
            crc = zlib.crc32(bytes((kind,)) + piece)
            out += struct.pack("<IHB", crc, len(piece), kind) + piece
            first = False
            if not rest:
                break
    return bytes(out)


def chunks(data: bytes) -> list[tuple[int, int, int]]:
    """``(offset, length, type)`` of every chunk of a well-formed log."""
    found, pos = [], 7
    while pos + 7 <= len(data):
        room = BLOCK - pos % BLOCK
        if room < 7:
            pos += room
            continue
        _, length, kind = struct.unpack_from("<IHB", data, pos)
        if kind == 0:
            break
        found.append((pos, length, kind))
        pos += 7 + length
    return found
