"""``rlplot batch``: one figure per run of a sweep, in parallel, incrementally, shardable."""
from __future__ import annotations

import json
import os
import sys

import click

from . import options as opt
from .command import Command
from .exits import ExitCode
from .output import error_line, warn
from .render import render_overrides

# Warnings printed per rendered run (one plain line per run, not with a progress bar).
WARNINGS_SHOWN_PER_RUN = 5


class Progress:
    """Status on stderr: a progress bar on a terminal, one plain line per run otherwise."""

    def __init__(self, quiet: bool, tty: bool | None = None) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.done = 0
        self.total = 0
        self._bar = None

    def start(self, started) -> None:
        """Called once the plan is known."""
        self.total = started.total
        if self.tty and not self.quiet and started.total:
            self._bar = click.progressbar(length=started.total, label="rendering", file=sys.stderr,
                                          show_pos=True, show_eta=True)
            self._bar.__enter__()

    def update(self, outcome) -> None:
        """Report one finished run."""
        from ..batch import FAILED, RENDERED

        self.done += 1
        if outcome.status == FAILED:
            if self._bar is None and not self.quiet:
                click.echo(f"[{self.done}/{self.total}] failed {outcome.label}", err=True)
            self._message(error_line(outcome.error))
        elif self._bar is None and not self.quiet:
            where = f"[{self.done}/{self.total}] {outcome.status} {outcome.label}"
            if outcome.status == RENDERED:
                where += " -> " + ", ".join(outcome.written)
            click.echo(where, err=True)
            notes = outcome.notes if outcome.status == RENDERED else None
            for text in (notes.warnings if notes else ())[:WARNINGS_SHOWN_PER_RUN]:
                warn(text)
            more = ((notes.warning_count or 0) if notes else 0) - WARNINGS_SHOWN_PER_RUN
            if more > 0:
                warn(f"{outcome.label}: … and {more} more warnings")
        if self._bar is not None:
            self._bar.update(1)

    def _message(self, text: str) -> None:
        if self._bar is not None:
            # Put the message on its own line above the bar, which redraws on the next update.
            click.echo("\r\033[K" + text, err=True)
        else:
            click.echo(text, err=True)

    def clear_line(self) -> None:
        """Clear the bar's line before something is printed on the same terminal."""
        if self._bar is not None:
            click.echo("\r\033[K", nl=False, err=True)

    def finish(self) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.command(cls=Command, needs=("out_dir",))
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@opt.out_dir
@opt.formats
@opt.config_options
@opt.input_format
@opt.jobs
@click.option("--name", "template", metavar="TEMPLATE",
              help="Output name under --out-dir, from {stem} {name} {ext} {parent} {relparent} "
                   "{relpath} (of a group's first run) and {group}; never outside --out-dir. "
                   "[default: {relpath}; with --group-by: {group}]")
@opt.group_by
@opt.where
@opt.aggregate
@opt.band
@click.option("--pattern", "patterns", multiple=True, metavar="GLOB",
              help="File names to take from folders (repeatable; default: every log extension).")
@opt.force
@click.option("--fail-fast", is_flag=True, help="Stop at the first failed run.")
@opt.strict
@opt.quiet
@click.option("--report", "report_md", metavar="FILE", help="Write a Markdown summary table.")
@click.option("--report-json", metavar="FILE", help="Write the same summary as JSON.")
@click.option("--shard", metavar="I/N", help="Render only shard I of N (1-based; stable across machines).")
@opt.executor
@opt.scheduler
@opt.legacy_out_dir
@opt.legacy_formats
@opt.debug
def batch(inputs, out_dir, formats, configs, sets, input_format, jobs, template, group_by,
          where, aggregate, band, patterns, force, fail_fast, strict, quiet, report_md, report_json,
          shard, executor, scheduler):
    """Render one figure per run found in INPUT... (files, folders, globs, stores) into --out-dir.

    A run is a log, a folder of event files (SB3's PPO_1/), an MLflow store's run or a W&B
    run folder, found as `rlplot render` finds them. Outputs mirror each run's path relative
    to the inputs' common folder, so sweep/lr1e-3_seed1/metrics.jsonl becomes
    DIR/lr1e-3_seed1/metrics.png and tb/PPO_1/ becomes DIR/PPO_1.png; an MLflow run is
    DIR/<store>/<experiment>/<run name>.png. --where keeps the runs meeting it. With
    --group-by, the runs of each group are drawn into one figure, DIR/<group>.png
    (overlaid, or combined with --aggregate). Unchanged runs are skipped (see --force).
    Status goes to stderr; stdout lists the files written. Exit code 1 if any run failed.

    \b
    rlplot batch sweep/ --out-dir figures -j 2 --formats png,pdf --report summary.md
    rlplot batch 'runs/*/metrics.jsonl' --out-dir out --name '{parent}' --shard 2/4
    rlplot batch sweep/ --out-dir out --group-by 'lr([^_]+)_seed' --aggregate mean --band ci
    rlplot batch mlruns/ --out-dir figs --where experiment=cartpole
    """
    from ..batch import discover, make_executor, parse_shard, plan, run_batch, select_shard, \
        worker_config
    from ..errors import OutputError

    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise OutputError("--out-dir is a file, not a folder", file=out_dir)
    shard_spec = parse_shard(shard) if shard else None
    config = _config(configs, sets, render_overrides(
        group_by=group_by, where=where, aggregate=aggregate, band=band,
        input_format=input_format, formats=formats), aggregate)
    found = discover(inputs, patterns or None, exclude=out_dir, config=config)
    all_jobs = plan(found, out_dir, formats=config.output.formats, template=template,
                    group_by=config.runs.group_by or None)
    config = worker_config(config)   # --where chose the runs: each job renders its own
    _check_report_paths([report_md, report_json], found, all_jobs)
    todo = select_shard(all_jobs, *shard_spec) if shard_spec else all_jobs
    options = {"scheduler": scheduler} if executor == "dask" else {}
    pool = make_executor(executor, jobs, **options)
    report = _start_report(todo, out_dir, shard_spec, found, quiet)
    progress = Progress(quiet)
    try:
        for outcome in run_batch(todo, out_dir, config, executor=pool, force=force,
                                 fail_fast=fail_fast, strict=strict,
                                 on_start=progress.start):
            report.add(outcome)
            if outcome.written and sys.stdout.isatty():
                progress.clear_line()   # the bar and the listed paths share one terminal
            for path in outcome.written:
                click.echo(path)
            progress.update(outcome)
    finally:
        progress.finish()
    _write_reports(report, report_md, report_json)
    if not quiet:
        click.echo(report.summary(), err=True)
    return ExitCode.ERROR if report.failed else ExitCode.OK


def _config(configs, sets, overrides, aggregate: str | None):
    """The effective config; --aggregate (``aggregate``) without --group-by is refused."""
    from ..config import load_config
    from ..errors import ConfigError

    config = load_config(configs, sets, overrides).config
    if aggregate is not None and aggregate != "none" and not config.runs.group_by:
        # Without groups every figure holds one run: there would be nothing to combine.
        raise ConfigError("--aggregate combines the runs of each group: it needs --group-by",
                          hint="e.g. --group-by 'lr([^_]+)_seed' --aggregate mean")
    return config


def _start_report(todo, out_dir: str, shard_spec, found, quiet: bool):
    """The report of this batch, after removing what killed runs left; says what finding the
    runs skipped (a store that cannot be listed, deleted runs) and what was removed."""
    from ..batch import Report, remove_leftovers

    report = Report(total=len(todo), shard=shard_spec,
                    removed_leftovers=remove_leftovers(todo, out_dir),
                    notices=[str(n) for n in found.notices])
    for text in report.notices if not quiet else ():   # said (and in the reports), never dropped
        warn(text)
    if report.removed_leftovers and not quiet:
        click.echo(f"rlplot: removed {report.removed_leftovers} temporary files left by an "
                   "interrupted run", err=True)
    return report


def _check_report_paths(reports, found, jobs) -> None:
    """Refuse a report path that is an input log, a figure output, or the other report."""
    from ..errors import OutputError

    taken = {os.path.realpath(f): "an input log" for run in found.runs for f in run.files}
    taken.update({os.path.realpath(o): "a figure output" for job in jobs for o in job.outputs})
    for path in filter(None, reports):
        real = os.path.realpath(path)
        if real in taken:
            raise OutputError(f"the report would overwrite {taken[real]}", file=path,
                              hint="write the report somewhere else")
        taken[real] = "the other report"


def _write_reports(report, report_md: str | None, report_json: str | None) -> None:
    from ..atomic import write_text_atomic

    for path, text in ((report_md, lambda: report.to_markdown(os.path.dirname(report_md or "."))),
                       (report_json, lambda: json.dumps(report.to_json(), indent=2) + "\n")):
        if path:
            write_text_atomic(path, text())  # an unwritable path is an OutputError line
