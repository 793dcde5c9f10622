"""Batch rendering: many logs -> one figure each (or one per group of runs), in parallel,
incrementally, shardable.

The pieces, in the order ``rlplot batch`` uses them:

* ``discover`` turns files, folders and globs into a sorted list of logs and the
  folder they are named relative to;
* ``plan`` maps every log (with ``--group-by``: every group of logs, see ``group_paths``)
  to its output paths (``--name`` templates that can never leave the output folder) and
  refuses collisions before any work;
* ``Manifest`` remembers, per output, the hashes of the input bytes (a group: of all its
  members) and of the effective config plus the rlplot version, so unchanged runs are skipped; it is
  always replaced atomically, so a kill -9 never leaves it half written;
* ``EXECUTORS`` run jobs serially, in a process pool (matplotlib imported once per
  worker) or on a Dask cluster; ``run_job`` never raises, so one bad log fails only
  its own figure;
* ``Report`` counts rendered / up to date / failed, owns the exit code and writes
  the Markdown and JSON reports.

Nothing here prints: progress reaches the caller through the outcomes it iterates.
"""
from __future__ import annotations

import fnmatch
import gc
import glob
import hashlib
import json
import os
import re
import string
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Sequence

from ._version import __version__
from .atomic import write_text_atomic
from .errors import InputError, OutputError, RlplotError

MANIFEST_NAME = ".rlplot-manifest.json"
MANIFEST_FORMAT = 1
FIGURE_FORMATS = ("png", "svg", "pdf")
DEFAULT_NAME = "{relpath}"
MANIFEST_FLUSH_SECONDS = 0.2
MAX_WARNINGS_KEPT = 20         # per run, in the manifest and reports (the count is exact)   # at most this much finished work is re-rendered after a kill -9
GLOB_CHARS = re.compile(r"[*?\[]")

RENDERED, UP_TO_DATE, FAILED, NOT_RUN = "rendered", "up to date", "failed", "not run"

# matplotlib's rcParams are process-global, so two threads of one Dask worker must not
# draw at the same time; processes are what gives the speed-up anyway.
_RENDER_LOCK = threading.Lock()


# ---------------------------------------------------------------------------- discovery

def log_suffixes() -> tuple[str, ...]:
    """Every known log extension, plain and gzipped (``.jsonl``, ``.jsonl.gz``, ...)."""
    from .io import LOG_SUFFIXES

    return tuple(LOG_SUFFIXES) + tuple(s + ".gz" for s in LOG_SUFFIXES)


def _matches(name: str, patterns: Sequence[str] | None) -> bool:
    if patterns:
        return any(fnmatch.fnmatch(name, p) for p in patterns)
    return name.lower().endswith(log_suffixes())


def _walk(folder: str, patterns, exclude: str | None) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        # Hidden folders (.git, .ipynb_checkpoints) and the output folder hold no runs.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and
                         (exclude is None or os.path.realpath(os.path.join(root, d)) != exclude))
        found.extend(os.path.join(root, f) for f in sorted(files)
                     if not f.startswith(".") and _matches(f, patterns))
    return found


def _glob_base(pattern: str) -> str:
    """The folder part of a glob before its first wildcard (``runs/*/m.jsonl`` -> ``runs``)."""
    parts = []
    for part in Path(pattern).parts:
        if GLOB_CHARS.search(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else "."


@dataclass(frozen=True)
class Discovered:
    """The logs found (sorted, no duplicates) and the folder their outputs are named relative to."""

    paths: tuple[str, ...]
    root: str


def discover(inputs: Sequence[str], patterns: Sequence[str] | None = None,
             exclude: str | None = None) -> Discovered:
    """Expand files, folders (recursively, filtered by ``patterns``) and globs into logs."""
    if not inputs:
        raise InputError("no inputs given", hint="rlplot batch runs/ --out-dir figures")
    exclude = os.path.realpath(exclude) if exclude else None
    found: list[str] = []
    bases: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            found.extend(_walk(item, patterns, exclude))
            bases.append(item)
        elif os.path.isfile(item):
            found.append(item)
            bases.append(os.path.dirname(item) or ".")
        elif GLOB_CHARS.search(item):
            hits = sorted(glob.glob(item, recursive=True))
            for hit in hits:
                if os.path.isdir(hit):
                    found.extend(_walk(hit, patterns, exclude))
                elif os.path.isfile(hit):
                    found.append(hit)
            if not hits:
                raise InputError("the pattern matches nothing", file=item, hint="check the glob")
            bases.append(_glob_base(item))
        else:
            raise InputError("no such file or folder", file=item, hint="check the path")
    unique: dict[str, str] = {}
    for path in found:
        if exclude is None or not os.path.realpath(path).startswith(exclude + os.sep):
            unique.setdefault(os.path.realpath(path), path)
    if not unique:
        shown = ", ".join(patterns) if patterns else "*" + ", *".join(log_suffixes())
        raise InputError("no logs found", file=" ".join(inputs), hint=f"looked for {shown}")
    root = os.path.commonpath([os.path.abspath(b) for b in bases])
    paths = sorted(unique.values(), key=lambda p: relative_to_root(p, root))
    return Discovered(paths=tuple(paths), root=root)


def relative_to_root(path: str, root: str) -> str:
    """``path`` relative to ``root`` as a POSIX string (the key runs are sorted and sharded by)."""
    return PurePosixPath(Path(os.path.relpath(os.path.abspath(path), root))).as_posix()


# ---------------------------------------------------------------------------- naming

def strip_log_suffix(name: str) -> str:
    """A file name without its log extensions (``metrics.jsonl.gz`` -> ``metrics``)."""
    lowered = name.lower()
    for suffix in sorted(log_suffixes(), key=len, reverse=True):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def name_fields(path: str, root: str) -> dict[str, str]:
    """The fields a ``--name`` template may use for one log."""
    rel = PurePosixPath(relative_to_root(path, root))
    stem = strip_log_suffix(rel.name)
    relparent = rel.parent.as_posix()
    parent_dir = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return {
        "stem": stem,                                    # metrics
        "name": rel.name,                                # metrics.jsonl
        "ext": rel.name[len(stem):].lstrip("."),         # jsonl
        "parent": parent_dir,                            # lr1e-3_seed1
        "relparent": relparent,                          # sweep/lr1e-3_seed1 ('.' at the root)
        "relpath": (rel.parent / stem).as_posix(),       # sweep/lr1e-3_seed1/metrics
    }


NAME_FIELDS = ("stem", "name", "ext", "parent", "relparent", "relpath")   # the keys above
GROUP_FIELD = "group"          # one more field with --group-by: the group's safe name
GROUP_NAME = "{group}"         # the default --name with --group-by
MAX_GROUP_NAME = 100

# A group name comes from a regex over paths, so it may hold anything: keep file-name-safe
# characters only (no '/', so a group is never a folder).
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")


def safe_name(text: str) -> str:
    """A group name as a safe file name: other characters become '_', no leading '.' or '-'."""
    name = _UNSAFE.sub("_", text).lstrip(".-").rstrip(".")
    if len(name) > MAX_GROUP_NAME:   # keep long names apart by a hash of the full text
        name = name[:MAX_GROUP_NAME - 9] + "_" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return name or "_"


def check_template(template: str, grouped: bool = False) -> None:
    """Refuse a ``--name`` template with unknown or malformed fields, before anything is read."""
    known = NAME_FIELDS + (GROUP_FIELD,) if grouped else NAME_FIELDS
    try:
        used = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise OutputError(f"bad --name template '{template}': {exc}",
                          hint="use {field} with fields " + ", ".join(known)) from None
    for item in used:
        if item == GROUP_FIELD and not grouped:
            raise OutputError("the field '{group}' in --name needs --group-by",
                              hint="e.g. --group-by 'lr([^_]+)_seed' --name '{group}'")
        if item not in known:
            raise OutputError(f"unknown field '{{{item}}}' in --name",
                              hint="fields: " + ", ".join("{%s}" % f for f in known))
    if not used:
        raise OutputError(f"--name '{template}' has no field, so every run would get the same name",
                          hint="e.g. --name '{group}'" if grouped else "e.g. --name '{parent}_{stem}'")


def output_base(template: str, path: str, root: str, group: str | None = None) -> str:
    """The output path (relative to the output folder, no extension) of one log or group
    (``path`` is then its first member; ``{group}`` is the group's safe name).

    Raises OutputError when the name is empty, absolute or climbs out with ``..``.
    """
    fields = name_fields(path, root)
    if group is not None:
        fields[GROUP_FIELD] = safe_name(group)
    name = template.format(**fields).replace("\\", "/")
    for fmt in FIGURE_FORMATS:
        if name.lower().endswith("." + fmt):
            name = name[: -len(fmt) - 1]
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts or not parts:
        raise OutputError(f"--name gives '{name}', which is outside the output folder",
                          file=path, hint="a name must be a relative path without '..'")
    return "/".join(parts)


@dataclass(frozen=True)
class Job:
    """One figure to render: its log (a group: its first member), its key (output path
    relative to the out dir, no extension) and the output files, one per format.

    A group job (``--group-by``) also has the group's name and every member log, sorted by
    path relative to the inputs' folder; they are drawn into one figure.
    """

    source: str
    relpath: str
    key: str
    outputs: tuple[str, ...]
    group: str | None = None
    members: tuple[str, ...] = ()
    member_relpaths: tuple[str, ...] = ()
    matched: bool = True   # False: a path --group-by does not match, a group of its own

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every log this figure is drawn from."""
        return self.members or (self.source,)

    @property
    def shard_key(self) -> str:
        """What the shard is hashed from: the group name, so a group never splits across shards
        and adding a seed never moves it; else the run's relative path."""
        return f"group:{self.group}" if self.group is not None else self.relpath

    @property
    def where(self) -> str:
        """How messages name this job: the log, or ``group 'NAME'``."""
        return f"group '{self.group}'" if self.group is not None else self.source

    @property
    def label(self) -> str:
        """The job as progress lines and reports show it (a group with its member count)."""
        if self.group is None:
            return self.source
        count = len(self.inputs)
        return f"{self.where} ({count} run{'s' if count != 1 else ''})"


def group_paths(discovered: Discovered, pattern: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Split the logs into groups by ``--group-by``: ``(name, matched, members)`` in path order.

    The name is ``rlplot.aggregate.group_key`` of each path as found (as ``rlplot render``
    does); a path the regex does not match is a group of its own, named by its relative path.
    """
    from .aggregate import group_key   # numpy: only when grouping

    groups: dict[tuple[str, bool], list[str]] = {}
    for path in discovered.paths:
        key = group_key(path, pattern)
        if key is None:
            groups[(name_fields(path, discovered.root)["relpath"], False)] = [path]
        else:
            groups.setdefault((key, True), []).append(path)
    return [(name, matched, tuple(members)) for (name, matched), members in groups.items()]


def plan(discovered: Discovered, out_dir: str, *, formats: Sequence[str] = ("png",),
         template: str | None = None, group_by: str | None = None) -> list[Job]:
    """Map every log (or, with ``group_by``, every group of logs) to its outputs; refuse
    collisions and outputs that escape or overwrite inputs, before any work."""
    grouped = group_by is not None
    template = template or (GROUP_NAME if grouped else DEFAULT_NAME)
    check_template(template, grouped)
    formats = parse_formats(formats)
    out_real = os.path.realpath(out_dir)
    root = discovered.root
    units = group_paths(discovered, group_by) if grouped else \
        [(None, True, (path,)) for path in discovered.paths]
    jobs, seen = [], {}
    inputs = {os.path.realpath(p) for p in discovered.paths}
    for group, matched, members in units:
        path = members[0]
        key = output_base(template, path, root, group)
        outputs = tuple(os.path.join(out_dir, *key.split("/")) + "." + fmt for fmt in formats)
        for out in outputs:
            real = os.path.realpath(out)
            if not real.startswith(out_real + os.sep):   # a symlinked sub-folder pointing away
                raise OutputError("output would be written outside --out-dir", file=out,
                                  hint="a symbolic link in the output folder points elsewhere")
            if real in inputs:
                raise OutputError("output would overwrite an input", file=out,
                                  hint="choose another --out-dir or --name")
        folded = key.casefold()   # runs differing only in case collide on macOS and Windows
        what = f"group '{group}'" if grouped else path
        if folded in seen:
            if grouped:
                raise OutputError(f"two groups map to the same output '{key}': {seen[folded]} "
                                  f"and {what}", hint="group names keep only letters, digits and "
                                  "._=+- (the rest become '_'); change the --group-by regex or "
                                  "--name")
            raise OutputError(f"two runs map to the same output '{key}': {seen[folded]} and {path}",
                              hint="use a --name template with {relpath} or {parent}")
        seen[folded] = what
        jobs.append(Job(source=path, relpath=relative_to_root(path, root), key=key,
                        outputs=outputs, group=group, matched=matched,
                        members=members if grouped else (),
                        member_relpaths=tuple(relative_to_root(p, root) for p in members)
                        if grouped else ()))
    return jobs


def parse_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    """``"png,svg"`` or ``["png", "svg"]`` -> ``("png", "svg")``, validated, duplicates dropped."""
    items = formats.split(",") if isinstance(formats, str) else \
        [p for f in formats for p in f.split(",")]
    result = []
    for item in items:
        fmt = item.strip().lower().lstrip(".")
        if fmt not in FIGURE_FORMATS:
            raise OutputError(f"unknown output format '{item.strip()}'",
                              hint="use " + ", ".join(FIGURE_FORMATS))
        if fmt not in result:
            result.append(fmt)
    if not result:
        raise OutputError("no output format given", hint="e.g. --format png,pdf")
    return tuple(result)


# ---------------------------------------------------------------------------- sharding

def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; shards are numbered from 1."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise OutputError(f"bad --shard '{text}'", hint="use i/n with 1 <= i <= n, e.g. 2/4")
    return int(match[1]), int(match[2])


def shard_of(relpath: str, count: int) -> int:
    """The shard (1..count) of a run: a stable hash of its relative path, the same on every machine."""
    digest = hashlib.sha256(relpath.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """The jobs of shard ``index`` of ``count``; the shards partition ``jobs`` exactly."""
    return [job for job in jobs if shard_of(job.shard_key, count) == index]


# ---------------------------------------------------------------------------- hashing

def file_sha256(path: str) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def job_sha256(job: Job) -> str:
    """SHA-256 of a job's input: the log's bytes; for a group, of every member's relative path
    and bytes hash, sorted (so adding, removing or changing one seed changes it).

    Raises OSError (with ``filename`` set) when a log cannot be read."""
    if job.group is None:
        return file_sha256(job.source)
    digest = hashlib.sha256()
    for rel, path in sorted(zip(job.member_relpaths, job.members)):
        digest.update(json.dumps([rel, file_sha256(path)]).encode("utf-8") + b"\n")
    return digest.hexdigest()


def config_sha256(config, strict: bool = False) -> str:
    """SHA-256 of the effective config as canonical JSON (plus the reading mode)."""
    from .config import to_mapping

    payload = {"config": to_mapping(config), "strict": strict}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- manifest

class Manifest:
    """Per output (relative to the out dir): input hash, config hash, rlplot version, run summary."""

    def __init__(self, out_dir: str, entries: dict | None = None) -> None:
        self.out_dir = out_dir
        self.path = os.path.join(out_dir, MANIFEST_NAME)
        self.entries: dict[str, dict] = dict(entries or {})
        self._changed: dict[str, dict | None] = {}
        self._last_flush = 0.0
        self._gap = MANIFEST_FLUSH_SECONDS

    @classmethod
    def load(cls, out_dir: str) -> "Manifest":
        """Read the manifest of ``out_dir``; a missing or unreadable one is empty (so all re-render)."""
        return cls(out_dir, _read_entries(os.path.join(out_dir, MANIFEST_NAME)))

    def key(self, output: str) -> str:
        """An output's manifest key: its path relative to the out dir, POSIX style."""
        return PurePosixPath(Path(os.path.relpath(output, self.out_dir))).as_posix()

    def up_to_date(self, output: str, input_hash: str, config_hash: str) -> bool:
        """True when ``output`` exists and was made from these very input bytes, config and version."""
        entry = self.entries.get(self.key(output))
        return bool(entry and entry.get("input_sha256") == input_hash
                    and entry.get("config_sha256") == config_hash
                    and entry.get("rlplot") == __version__ and os.path.isfile(output))

    def record(self, output: str, entry: dict) -> None:
        """Remember a freshly written output (written to disk on the next ``flush``)."""
        key = self.key(output)
        self.entries[key] = entry
        self._changed[key] = entry

    def flush(self, force: bool = True) -> None:
        """Write the manifest atomically; without ``force`` at most every MANIFEST_FLUSH_SECONDS."""
        if not self._changed or (not force and time.monotonic() - self._last_flush < self._gap):
            return
        started = time.monotonic()
        # Re-read what is on disk so that entries written meanwhile by another shard survive.
        # Only this process's own records go on top: entries loaded at the start may be older
        # than what another shard has written since.
        merged = _read_entries(self.path)
        merged.update(self._changed)
        self.entries = merged
        document = {"format": MANIFEST_FORMAT, "rlplot": __version__,
                    "outputs": dict(sorted(merged.items()))}
        write_text_atomic(self.path, json.dumps(document, indent=1, sort_keys=True) + "\n")
        self._changed.clear()
        self._last_flush = time.monotonic()
        # A huge manifest (tens of thousands of outputs) is written less often, so that
        # writing it never takes more than ~10 % of the time.
        self._gap = max(MANIFEST_FLUSH_SECONDS, 10 * (self._last_flush - started))


def _read_entries(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        return {}
    outputs = document.get("outputs")
    return {k: v for k, v in outputs.items() if isinstance(v, dict)} if isinstance(outputs, dict) \
        else {}


def remove_leftovers(jobs: Sequence[Job], out_dir: str) -> int:
    """Delete temporary ``.part`` files that a killed run left next to our outputs; return how many."""
    names = {os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".")
             for job in jobs for out in job.outputs}
    names.add(os.path.join(out_dir, "." + MANIFEST_NAME + "."))
    removed = 0
    for prefix in names:
        for temp in glob.glob(glob.escape(prefix) + "*.part"):
            try:
                os.unlink(temp)
                removed += 1
            except OSError:
                pass
    return removed


# ---------------------------------------------------------------------------- running one job

@dataclass(frozen=True)
class Task:
    """What a worker needs for one job: the job, the outputs to write and the config."""

    job: Job
    outputs: tuple[str, ...]
    config: object
    strict: bool = False


@dataclass(frozen=True)
class Outcome:
    """The result of one job (plain data, so it crosses process and machine boundaries)."""

    source: str
    key: str
    status: str
    written: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    error: str | None = None
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0
    worker: int = 0
    group: str | None = None           # a group job: its name and member logs
    members: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The log, or ``group 'NAME' (N runs)``, as progress lines and reports show it."""
        if self.group is None:
            return self.source
        return f"group '{self.group}' ({len(self.members)} run{'s' * (len(self.members) != 1)})"


def outcome_of(job: Job, status: str, **fields) -> Outcome:
    """An Outcome for ``job``, carrying its group and members."""
    return Outcome(job.source, job.key, status, outputs=job.outputs, group=job.group,
                   members=job.members, **fields)


def warm_up() -> str:
    """Import matplotlib and the drawing code once per worker process, not once per figure.

    Returns this worker's rlplot version, so that a client can refuse mismatched workers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure  # noqa: F401

    from .figure import chart, save  # noqa: F401
    from . import pipeline  # noqa: F401
    try:   # the default smoothing's kernel, loaded the way the pipeline loads it (without
        # statsmodels' package __init__, which pulls in pandas and scipy: ~0.3 s per worker)
        from .smoothing import statsmodels_lowess_kernel
        statsmodels_lowess_kernel()
    except ImportError:
        pass
    return __version__


def _pool_worker_init() -> None:
    import signal

    # A terminal's Ctrl-C reaches the whole process group. Only the parent acts on it (it
    # cancels what has not started and waits for the figures in progress): a
    # KeyboardInterrupt inside a worker could strike while it holds the result queue's lock,
    # and then the parent waits for that worker forever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
    # The imported modules live as long as the worker: keep them out of every later garbage
    # collection, which otherwise re-scans them every few figures (a ~10 % pause each time).
    # Only here: in the caller's own process (-j 1, a notebook) the heap is not ours to freeze.
    gc.collect()
    gc.freeze()


def _last(y) -> float | None:
    value = float(y[-1]) if len(y) else float("nan")
    return value if value == value else None


def run_summary(prepared, notices=None) -> dict:
    """Rows, warnings and the final smoothed value of each panel of a rendered run.

    Several runs (a group): rows and warnings are summed, the final value is the aggregate's
    (or, overlaid, the mean of the runs' final smoothed values) and ``runs`` counts them.
    ``notices``: every warning of the render (default: the prepared data's)."""
    runs = prepared.runs
    notices = list(prepared.notices if notices is None else notices)
    finals = []
    for index, panel in enumerate(prepared.panels):
        if prepared.aggregated and prepared.groups:
            values = [_last(g.curves[index].y) for g in prepared.groups]
        else:
            values = [_last(smoothed[index].y) for smoothed in prepared.smoothed]
        values = [v for v in values if v is not None]
        finals.append({"panel": panel.title or panel.metric,
                       "final": sum(values) / len(values) if values else None})
    summary = {"rows": sum(max((len(s) for s in run.series), default=0) for run in runs),
               "warning_count": len(notices),
               "warnings": [str(n) for n in notices[:MAX_WARNINGS_KEPT]], "final": finals}
    if prepared.groups:
        summary["runs"] = len(runs)
    return summary


def run_job(task: Task) -> Outcome:
    """Render one job; every error becomes a failed Outcome so that it fails only its own figure."""
    from .pipeline import render

    job = task.job
    started = time.perf_counter()
    try:
        labels = _labels_for(job, task.config)
        with _RENDER_LOCK:
            result = render(list(job.inputs), list(task.outputs), task.config,
                            strict=task.strict, labels=labels)
        summary = run_summary(result.prepared, result.notices)   # drawing warnings too
        del result   # free the figure now; a worker renders many
        return outcome_of(job, RENDERED, written=tuple(task.outputs), summary=summary,
                          seconds=time.perf_counter() - started, worker=os.getpid())
    except RlplotError as exc:
        error = str(exc.located(job.where))   # a member's own error names that member's file
    except MemoryError:
        error = f"{job.where}: out of memory"
    except Exception as exc:  # an rlplot bug must not stop the other runs
        error = f"{job.where}: internal error: {type(exc).__name__}: {exc}"
    return outcome_of(job, FAILED, error=error, seconds=time.perf_counter() - started,
                      worker=os.getpid())


def _labels_for(job: Job, config) -> list[str] | None:
    # A lone run that --group-by does not match is labelled by the pipeline with its file
    # stem ("metrics" for every run of a sweep); its group name (its relative path) says more,
    # unless runs.labels names it.
    if job.group is None or job.matched:
        return None
    from .pipeline import run_label

    mapping = config.runs.labels
    return None if job.source in mapping or run_label(job.source) in mapping else [job.group]


# ---------------------------------------------------------------------------- executors

class SerialExecutor:
    """Run jobs one after another in this process (``-j 1``)."""

    def __init__(self, workers: int = 1, **_) -> None:
        self.workers = 1

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield each task's outcome as it finishes (nothing to render: no matplotlib import)."""
        for number, task in enumerate(tasks):
            if number == 0:
                warm_up()
            yield run_job(task)

    def close(self) -> None:
        """Nothing to release."""


class ProcessExecutor:
    """A pool of worker processes, each importing matplotlib once; a bounded number of jobs in flight.

    If a worker process dies (a crash, the OOM killer), every job that was in flight is
    retried alone in a fresh pool, so only the job that really kills a worker fails.
    """

    def __init__(self, workers: int | None = None, func: Callable[[Task], Outcome] | None = None,
                 **_) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.func = func or run_job
        self._pool = None

    def _start(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: the parent may hold threads (a progress bar, a test runner, Dask) that fork
        # would copy mid-lock; each worker pays the imports once, in warm_up.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=_pool_worker_init)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield outcomes as jobs finish."""
        from collections import deque
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        tasks = list(tasks)
        if len(tasks) <= 1:   # starting a worker would cost more than the one figure
            if tasks:
                warm_up()
            yield from (self.func(task) for task in tasks)
            return
        pending = iter(tasks)
        unsent: deque = deque()        # refused by a pool that broke meanwhile: never started
        suspects: deque = deque()      # jobs in flight when a worker died, to retry one by one
        in_flight: dict = {}           # future -> (task, submitted alone?)
        self._pool = self._start(min(self.workers, len(tasks)))
        try:
            while True:
                # A worker can die between two waits; the pool then refuses new jobs at once.
                broken = False
                if suspects:
                    if not in_flight:
                        task = suspects.popleft()
                        try:
                            in_flight[self._pool.submit(self.func, task)] = (task, True)
                        except BrokenProcessPool:
                            suspects.appendleft(task)
                            broken = True
                else:
                    while len(in_flight) < 2 * self.workers:
                        task = unsent.popleft() if unsent else next(pending, None)
                        if task is None:
                            break
                        try:
                            in_flight[self._pool.submit(self.func, task)] = (task, False)
                        except BrokenProcessPool:
                            unsent.appendleft(task)
                            broken = True
                            break
                died = broken and not in_flight
                if in_flight:
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        task, alone = in_flight.pop(future)
                        try:
                            outcome = future.result()
                        except BrokenProcessPool:
                            died = True
                            if alone:
                                yield _died(task)
                            else:
                                suspects.append(task)
                            continue
                        yield outcome
                elif not died:
                    return
                if died:
                    # Every other job in flight dies with the pool: retry them alone.
                    suspects.extend(task for task, alone in in_flight.values())
                    in_flight.clear()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._start(min(self.workers, len(tasks)))
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers; jobs not started yet are cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Send jobs to a Dask distributed scheduler; workers write to the shared output folder."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 client=None, **_) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise RlplotError("--executor dask needs the dask extra",
                              hint="pip install 'rlplot[dask]'") from None
        if client is None and not scheduler:
            raise RlplotError("--executor dask needs --scheduler ADDRESS",
                              hint="e.g. --scheduler tcp://scheduler-host:8786")
        self.scheduler = scheduler
        self._client = client
        self._own_client = client is None
        self.workers = workers

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield outcomes as the cluster finishes jobs (a bounded number in flight)."""
        from distributed import Client, as_completed

        if self._client is None:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise RlplotError(f"cannot reach the Dask scheduler: {exc}", file=self.scheduler,
                                  hint="start one with 'dask scheduler', or check the address") \
                    from None
        client = self._client
        try:
            versions = client.run(warm_up)
        except Exception as exc:   # rlplot missing or broken in the workers' environment
            raise RlplotError(f"the Dask workers cannot run rlplot: {type(exc).__name__}: {exc}",
                              file=self.scheduler,
                              hint="install the same rlplot in every worker's environment") from None
        wrong = sorted({v for v in versions.values() if v != __version__})
        if wrong:
            raise RlplotError(f"Dask workers run rlplot {', '.join(wrong)}, this is {__version__}",
                              file=self.scheduler, hint="install the same version everywhere")
        limit = max(2 * sum(client.nthreads().values()), 2)
        pending = iter(tasks)
        futures = as_completed()
        owners: dict = {}   # future key -> (future, task)
        try:
            for _ in range(limit):
                task = next(pending, None)
                if task is None:
                    break
                future = client.submit(run_job, task, pure=False)
                owners[future.key] = (future, task)
                futures.add(future)
            for future in futures:
                _, task = owners.pop(future.key)
                try:
                    outcome = future.result()
                except Exception as exc:   # the worker died or the task was lost
                    outcome = outcome_of(task.job, FAILED,
                                         error=f"{task.job.where}: Dask task failed: "
                                               f"{type(exc).__name__}: {exc}")
                yield _check_visible(outcome)
                task = next(pending, None)
                if task is not None:
                    nxt = client.submit(run_job, task, pure=False)
                    owners[nxt.key] = (nxt, task)
                    futures.add(nxt)
        finally:
            for future, _ in owners.values():
                future.cancel()
            self.close()

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._client is not None and self._own_client:
            self._client.close()
            self._client = None


def _died(task: Task) -> Outcome:
    return outcome_of(task.job, FAILED,
                      error=f"{task.job.where}: the worker process died while rendering this "
                            "run (out of memory, or a crash in a library)")


def _check_visible(outcome: Outcome) -> Outcome:
    # The client writes the manifest: it must only record files it can see itself.
    missing = [p for p in outcome.written if not os.path.isfile(p)]
    if outcome.status != RENDERED or not missing:
        return outcome
    return replace(outcome, status=FAILED, written=(),
                   error=f"{missing[0]}: written by a Dask worker but not visible here "
                         "(--out-dir must be a folder shared by the client and every worker)")


EXECUTORS: dict[str, Callable[..., object]] = {
    "process": ProcessExecutor,
    "dask": DaskExecutor,
}


def make_executor(name: str = "process", workers: int | None = None, **options):
    """An executor by name; ``process`` with one worker runs in this process."""
    if name not in EXECUTORS:
        raise RlplotError(f"unknown executor '{name}'", hint="choose " + ", ".join(EXECUTORS))
    if name == "process" and (workers or os.cpu_count() or 1) == 1:
        return SerialExecutor()
    return EXECUTORS[name](workers=workers, **options)


# ---------------------------------------------------------------------------- the report

@dataclass
class Report:
    """Every job's outcome in run order; counts them and decides the exit code."""

    outcomes: list[Outcome] = field(default_factory=list)
    total: int = 0
    shard: tuple[int, int] | None = None
    removed_leftovers: int = 0

    def add(self, outcome: Outcome) -> None:
        """Add one finished job."""
        self.outcomes.append(outcome)

    def count(self, status: str) -> int:
        """How many jobs ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rendered(self) -> int:
        """Jobs rendered in this run."""
        return self.count(RENDERED)

    @property
    def up_to_date(self) -> int:
        """Jobs skipped because the manifest shows their outputs are current."""
        return self.count(UP_TO_DATE)

    @property
    def failed(self) -> int:
        """Jobs that failed."""
        return self.count(FAILED)

    @property
    def not_run(self) -> int:
        """Jobs never started (``--fail-fast`` stopped first)."""
        return self.total - len(self.outcomes)

    @property
    def exit_code(self) -> int:
        """1 if anything failed, else 0."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """``182 rendered, 17 up to date, 1 failed`` (plus ``, 3 not run`` after --fail-fast)."""
        text = f"{self.rendered} rendered, {self.up_to_date} up to date, {self.failed} failed"
        return text + (f", {self.not_run} not run" if self.not_run else "")

    def rows(self) -> list[Outcome]:
        """Outcomes sorted by output key (a stable order for reports)."""
        return sorted(self.outcomes, key=lambda o: o.key)

    def to_json(self) -> dict:
        """The report as plain JSON data."""
        return {"rlplot": __version__, "summary": self.summary(),
                "counts": {"rendered": self.rendered, "up_to_date": self.up_to_date,
                           "failed": self.failed, "not_run": self.not_run},
                "shard": list(self.shard) if self.shard else None,
                "runs": [{"run": o.source if o.group is None else o.group, "key": o.key,
                          "status": o.status, "group": o.group,
                          "members": list(o.members or (o.source,)),
                          "member_count": len(o.members or (o.source,)),
                          "outputs": list(o.outputs), "error": o.error,
                          "rows": o.summary.get("rows"),
                          "warning_count": o.summary.get("warning_count"),
                          "warnings": o.summary.get("warnings", []),
                          "final": o.summary.get("final", [])} for o in self.rows()]}

    def to_markdown(self, relative_to: str = ".") -> str:
        """A Markdown table (run, status, rows, warnings, outputs, final value per panel);
        with groups, the first columns are the group and its number of runs."""
        panels: list[str] = []
        for outcome in self.outcomes:
            for item in outcome.summary.get("final", []):
                if item["panel"] not in panels:
                    panels.append(item["panel"])
        grouped = any(o.group is not None for o in self.outcomes)
        first = ["group", "runs"] if grouped else ["run"]
        head = first + ["status", "rows", "warnings", "outputs"] + [f"final {p}" for p in panels]
        link_column = head.index("outputs")
        lines = [f"**rlplot batch**: {self.summary()}", "",
                 "| " + " | ".join(_md(h) for h in head) + " |",
                 "|" + "|".join("---" for _ in head) + "|"]
        for o in self.rows():
            finals = {item["panel"]: item["final"] for item in o.summary.get("final", [])}
            links = ", ".join(f"[{os.path.basename(p)}]({_link(p, relative_to)})"
                              for p in o.outputs) if o.status != FAILED else ""
            status = o.status if o.status != FAILED else f"failed: {o.error}"
            who = [o.group, len(o.members)] if grouped else [o.source]
            cells = who + [status, o.summary.get("rows", ""), o.summary.get("warning_count", ""),
                           links] + [_number(finals.get(p)) for p in panels]
            lines.append("| " + " | ".join(_md(c) if i != link_column else str(c)
                                            for i, c in enumerate(cells)) + " |")
        return "\n".join(lines) + "\n"


def _md(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _link(path: str, relative_to: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(relative_to or "."))
    return PurePosixPath(Path(rel)).as_posix().replace(" ", "%20").replace(")", "%29")


def _number(value) -> str:
    return "" if value is None else f"{value:.4g}"


# ---------------------------------------------------------------------------- the whole batch

@dataclass(frozen=True)
class Started:
    """What ``run_batch`` tells its caller before the first job: how many runs are planned."""

    total: int
    up_to_date: int


def run_batch(jobs: Sequence[Job], out_dir: str, config, *, executor=None, force: bool = False,
              fail_fast: bool = False, strict: bool = False,
              shard: tuple[int, int] | None = None,
              on_start: Callable[[Started], None] | None = None) -> Iterator[Outcome]:
    """Render ``jobs`` (skipping those the manifest shows current), yielding each Outcome.

    Up-to-date runs come first. The manifest is updated as outputs land and is always
    replaced atomically; closing the generator early (``--fail-fast``) still writes it.
    """
    if any(job.group is not None for job in jobs) and not config.runs.group_by:
        # The pipeline groups a job's runs by config.runs.group_by: without it a group's
        # figure would be an unlabelled overlay.
        raise RlplotError("group jobs need runs.group_by in the config",
                          hint="plan(..., group_by=config.runs.group_by)")
    executor = executor or make_executor()
    manifest = Manifest.load(out_dir)
    config_hash = config_sha256(config, strict)
    tasks, hashes, current = [], {}, []
    for job in jobs:
        try:
            hashes[job.key] = job_sha256(job)
        except OSError as exc:
            current.append(outcome_of(job, FAILED, error=str(InputError(
                f"cannot read: {exc.strerror or exc}", file=exc.filename or job.source))))
            continue
        stale = tuple(o for o in job.outputs
                      if force or not manifest.up_to_date(o, hashes[job.key], config_hash))
        if stale:
            tasks.append(Task(job, stale, config, strict))
        else:
            entry = manifest.entries.get(manifest.key(job.outputs[0]), {})
            current.append(outcome_of(job, UP_TO_DATE, summary=entry.get("summary", {})))
    if on_start:
        on_start(Started(total=len(jobs), up_to_date=sum(o.status == UP_TO_DATE for o in current)))
    yield from current
    if fail_fast and any(o.status == FAILED for o in current):
        return
    stream = executor.run(tasks)
    try:
        for outcome in stream:
            if outcome.status == RENDERED:
                source = ({"input": outcome.source} if outcome.group is None else
                          {"group": outcome.group, "inputs": list(outcome.members)})
                for out in outcome.written:
                    manifest.record(out, {**source, "input_sha256": hashes[outcome.key],
                                          "config_sha256": config_hash, "rlplot": __version__,
                                          "summary": outcome.summary})
                manifest.flush(force=False)
            yield outcome
            if fail_fast and outcome.status == FAILED:
                break
    finally:
        stream.close()
        manifest.flush()
