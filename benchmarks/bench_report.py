"""Benchmark the HTML report of a big sweep: page size, and time to interactive in a real browser.

    python benchmarks/bench_report.py --source real          # `rlplot report` on 200 generated logs
    python benchmarks/bench_report.py --source real --runs 20 --rows 300 --repeat 1   # quick
    python benchmarks/bench_report.py                        # synthetic: 200 runs, 3 repeats
    python benchmarks/bench_report.py --runs 40 --repeat 1   # quick
    python benchmarks/bench_report.py --svg rlplot           # rlplot's own full-size SVG as the fallback

``--source real`` writes ``--runs`` JSONL logs of ``--rows`` rows (tests/report/sweeps.py, one
damaged), runs the real command (``python -m rlplot report 'sweep/*/metrics.jsonl' -o
report.html -j N``, a whole process, timed) and, side by side, what a user would otherwise run
for the same sweep: ``rlplot batch`` (a PNG per run, -j N, and its Markdown table); then opens
the page as below.

``--source synthetic`` builds a sweep in memory (tests/report/synthetic.py: two panels per run,
``--rows`` logged rows, ``--points`` drawn points and smoothed-curve points per panel) through
``rlplot.report``, writes the page, opens it from file:// in the OS's headless Chromium
(Playwright, /usr/bin/chromium) and reads the browser's Performance API: the
``rlplot-interactive`` mark (the charts on screen are built and the filter works),
DOMContentLoaded and load. Side by side: the same page with every section open (every chart
built at load), which is what a page without lazy sections would cost, and the time the filter
box takes to hide the non-matching sections. Prints a Markdown table.

Fallback SVGs (``--svg``, synthetic only): ``lean`` a 6 x 2.4 in matplotlib figure per section
with text as SVG text and the points as one 72 dpi image; ``small`` the same with vector points
and glyph outlines; ``rlplot`` the SVG of ``rlplot render`` for one run (12 x 4.8 in, every point,
vector), repeated in every section; ``none``. (The real command draws its own fallbacks.)
"""
from __future__ import annotations

import argparse
import csv
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.report.browser import launch  # noqa: E402
from tests.report.sweeps import write_sweep  # noqa: E402
from tests.report.synthetic import make_report, run_series  # noqa: E402

from rlplot.report import render_html  # noqa: E402
from rlplot.report.assets import script_assets, style_assets  # noqa: E402
from rlplot.report.encode import compact_svg  # noqa: E402

MB = 1024 * 1024
TIMES = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = performance.getEntriesByName('rlplot-interactive')[0];
    return {interactive: mark.startTime, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
            charts: Object.keys(rlplotReport.charts).length};
}"""
BUILD_ALL = """() => {
    const t0 = performance.now();
    JSON.parse(document.getElementById('rl-index').textContent).sections.forEach(s => rlplotReport.build(s.id));
    return performance.now() - t0;
}"""
FILTER = """async (query) => {
    const input = document.getElementById('rl-filter');
    const t0 = performance.now();
    input.value = query;
    input.dispatchEvent(new Event('input'));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
}"""


def rlplot_svg(rows: int, folder: Path) -> str:
    """The SVG ``rlplot render`` draws for one synthetic run."""
    data = run_series(0, rows)
    log = folder / "run.csv"
    with open(log, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(list(data))
        writer.writerows(zip(*(v.tolist() for v in data.values())))
    out = folder / "run.svg"
    subprocess.run([sys.executable, "-m", "rlplot", "render", str(log), "--x", "step", "-o", str(out), "-q"],
                   check=True)
    return out.read_text(encoding="utf-8")


def measure(browser, url: str, repeat: int, build_all: bool, query: str = "seed=17"
            ) -> dict[str, float]:
    """Median Performance API timings (ms) over ``repeat`` fresh page loads, plus the filter time;
    ``build_all``: then build every remaining chart at once and add that time to "interactive"."""
    runs = []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector("html[data-rl-ready]", timeout=60_000)
        timing = page.evaluate(TIMES)
        if build_all:
            timing["interactive"] += page.evaluate(BUILD_ALL)
            timing["charts"] = page.evaluate("Object.keys(rlplotReport.charts).length")
        timing["filter"] = page.evaluate(FILTER, query)
        if errors:
            raise SystemExit(f"page errors: {errors}")
        runs.append(timing)
        context.close()
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def timed(command: list[str], cwd: Path) -> float:
    """Wall time (s) of a whole process."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def real(args) -> None:
    """The real command on a generated sweep, beside `rlplot batch`, then the page in Chromium."""
    from playwright.sync_api import sync_playwright

    jobs = str(args.jobs)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        write_sweep(folder / "sweep", args.runs, rows=args.rows)
        rlplot = [sys.executable, "-m", "rlplot"]
        report_s = timed([*rlplot, "report", "sweep/*/metrics.jsonl", "-o", "report.html", "-q", "-j", jobs],
                         folder)
        batch_s = timed([*rlplot, "batch", "sweep", "--out-dir", "figures", "-q", "-j", jobs,
                         "--report", "summary.md"], folder)
        page = folder / "report.html"
        text = page.read_text(encoding="utf-8")
        size = len(text.encode())
        svg_bytes = sum(len(m) for m in re.findall(r"src='data:image/svg\+xml[^']*'", text))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            timing = measure(browser, page.as_uri(), args.repeat, False, "lr3e-3_seed7")
            browser.close()
    print(f"`rlplot report` of {args.runs} generated logs ({args.rows} rows each, two panels), -j {jobs}; "
          f"page timings: median of {args.repeat} loads\n")
    print(f"- page: {size / MB:.2f} MB ({size / args.runs / 1024:.1f} KB per run), of which fallback "
          f"SVGs {svg_bytes / MB:.2f} MB (URL-encoded)")
    print(f"- `rlplot report`: {report_s:.1f} s; `rlplot batch --report summary.md` (a PNG per run): "
          f"{batch_s:.1f} s\n")
    print("| page | interactive (ms) | DOMContentLoaded (ms) | load (ms) | charts built | filter (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| rlplot report | {timing['interactive']:.0f} | {timing['dom']:.0f} | {timing['load']:.0f} | "
          f"{timing['charts']:.0f} | {timing['filter']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", choices=["synthetic", "real"], default="synthetic")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rows", type=int, default=1000, help="logged rows per run")
    parser.add_argument("--points", type=int, default=200, help="drawn points per run and panel")
    parser.add_argument("--svg", choices=["lean", "small", "rlplot", "none"], default="lean")
    parser.add_argument("--per-section", type=int, default=1,
                        help="runs per section (one chart overlays them; 1: a section per run)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (real)")
    args = parser.parse_args()
    if args.source == "real":
        real(args)
    else:
        synthetic(args)


def synthetic(args) -> None:
    """The synthetic report, lazy and eager, in Chromium."""
    from playwright.sync_api import sync_playwright

    every = max(1, args.rows // args.points)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        svg = {"small": True, "lean": "lean", "none": False}.get(args.svg)
        if args.svg == "rlplot":
            svg = rlplot_svg(args.rows, folder)
        start = time.perf_counter()
        report = make_report(args.runs, per_section=args.per_section, n=args.rows, every=every,
                             smooth_every=every, svg=svg)
        built = time.perf_counter() - start
        start = time.perf_counter()
        lazy_html = render_html(report)
        rendered = time.perf_counter() - start
        eager_html = render_html(report, expanded=len(report.sections))
        pages = {"lazy": folder / "lazy.html", "eager": folder / "eager.html"}
        pages["lazy"].write_text(lazy_html, encoding="utf-8")
        pages["eager"].write_text(eager_html, encoding="utf-8")
        svg_bytes = sum(len(compact_svg(s.chart.svg)) for s in report.sections if s.chart.svg)
        size = len(lazy_html.encode())
        assets = len(script_assets().encode()) + len(style_assets().encode())
        with sync_playwright() as playwright:
            browser = launch(playwright)
            results = {name: measure(browser, path.as_uri(), args.repeat, name == "eager")
                       for name, path in pages.items()}
            browser.close()

    print(f"{args.runs} runs x 2 panels in {len(report.sections)} sections, {args.rows} rows, "
          f"{args.points} drawn points and curve points per run and panel, fallback SVG: {args.svg}; "
          f"median of {args.repeat} loads\n")
    print(f"- page: {size / MB:.2f} MB: inlined JS+CSS {assets / 1024:.0f} KB, fallback SVGs "
          f"{svg_bytes / MB:.2f} MB (compacted, before URL-encoding), the rest chart data and tables")
    print(f"- Python: synthetic report built in {built:.2f} s, HTML rendered in {rendered:.2f} s\n")
    print("| page | interactive (ms) | DOMContentLoaded (ms) | load (ms) | charts built | filter (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    labels = {"lazy": "rlplot report (first 3 sections open, charts built when on screen)",
              "eager": "every section open and every chart built at load (no lazy building)"}
    for name, r in results.items():
        print(f"| {labels[name]} | {r['interactive']:.0f} | {r['dom']:.0f} | {r['load']:.0f} | "
              f"{r['charts']:.0f} | {r['filter']:.0f} |")


if __name__ == "__main__":
    main()
