"""Screenshots of a report made by the real command from the sample runs, for the README and
docs/report.md: with JavaScript (hovering a point of the three-seed group) and without.

    python -m tests.report.screenshots [--out docs]

Runs, in a folder holding a copy of sample_runs/ (so the page shows the command as a user types it):

    rlplot report 'sample_runs/second_run/*.jsonl' sample_runs/seed_like_run.jsonl \\
        --group-by '(second_run)' -t accuracy=60% -o report.html

then takes docs/report-screenshot.png and docs/report-screenshot-nojs.png in the OS's headless
Chromium (scripts/install-browser.sh).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ["report", "sample_runs/second_run/*.jsonl", "sample_runs/seed_like_run.jsonl",
           "--group-by", "(second_run)", "-t", "accuracy=60%"]
GROUP = "s0-second-run"
HOVER = """(sid) => {
    const u = rlplotReport.charts[sid].plots[1], c = rlplotReport.charts[sid].data.panels[1].curves[1];
    const i = c.y.indexOf(Math.max(...c.y)), r = u.over.getBoundingClientRect();
    return [r.left + u.valToPos(c.x[i], 'x'), r.top + u.valToPos(c.y[i], 'y') - 1];
}"""


def make_report(folder: Path) -> Path:
    """The report, by the real command (a whole process) in ``folder``, beside a copy of the sample runs."""
    shutil.copytree(ROOT / "sample_runs", folder / "sample_runs")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "rlplot", *COMMAND, "-o", "report.html"], cwd=folder,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return folder / "report.html"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.report.browser import launch

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        page_path = make_report(Path(folder))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for js, name in ((True, "report-screenshot.png"), (False, "report-screenshot-nojs.png")):
                context = browser.new_context(java_script_enabled=js,
                                              viewport={"width": 1280, "height": 1000})
                page = context.new_page()
                page.goto(page_path.as_uri())
                if js:
                    page.wait_for_selector("html[data-rl-ready]")
                    page.wait_for_function(f"!!rlplotReport.charts['{GROUP}']")
                    page.mouse.move(*page.evaluate(HOVER, GROUP))
                    page.locator(".rl-tip:visible").wait_for()
                page.screenshot(path=str(args.out / name))
                print(args.out / name)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
