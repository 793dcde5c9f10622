"""Screenshots of an HTML report for the docs: with JavaScript (hovering a point) and without.

    python scripts/report_screenshots.py [--out docs]

Writes docs/report-screenshot.png and docs/report-screenshot-nojs.png from a synthetic sweep
(tests/report/synthetic.py) in the OS's headless Chromium (scripts/install-browser.sh).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.report.browser import launch  # noqa: E402
from tests.report.synthetic import make_report, section_for  # noqa: E402

from rlplot.report import QualityNote, Report, write_html  # noqa: E402

HOVER = """() => {
    const u = rlplotReport.charts['s0-lr-3e-4'].plots[0], c = rlplotReport.charts['s0-lr-3e-4'].data.panels[0].curves[1];
    const i = Math.floor(c.x.length * 0.7), r = u.over.getBoundingClientRect();
    return [r.left + u.valToPos(c.x[i], 'x'), r.top + u.valToPos(c.y[i], 'y')];
}"""


def demo_report() -> Report:
    """Three seeds of one learning rate with bands, then single runs, with a data-quality note."""
    notes = (QualityNote("2 malformed lines skipped", file="runs/lr=3e-4/seed=1.jsonl", line=812),
             QualityNote("restart at step 120000: 40 earlier points replaced", file="runs/lr=3e-4/seed=2.jsonl"))
    group = section_for("lr=3e-4", ["lr=3e-4/seed=0", "lr=3e-4/seed=1", "lr=3e-4/seed=2"], [0, 1, 2],
                        n=600, every=3, svg="lean", notes=notes, band=True)
    rest = make_report(6, n=400, svg="lean").sections
    base = make_report(1)
    return Report(title="Sweep: learning rate x seed", command="rlplot report 'runs/*/*.jsonl' -o report.html",
                  data_date="2024-05-01T12:00:00Z", sections=(group, *rest),
                  counts=(("runs", 9), ("files", 9), ("points", 4200)), config_text=base.config_text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "report.html"
        write_html(demo_report(), page_path, expanded=3)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for js, name in ((True, "report-screenshot.png"), (False, "report-screenshot-nojs.png")):
                context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(page_path.as_uri())
                if js:
                    page.wait_for_selector("html[data-rl-ready]")
                    page.mouse.move(*page.evaluate(HOVER))
                    page.locator(".rl-tip:visible").wait_for()
                else:
                    page.locator("img.static").first.scroll_into_view_if_needed()
                page.screenshot(path=str(args.out / name))
                print(args.out / name)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
