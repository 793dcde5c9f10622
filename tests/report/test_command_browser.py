"""Reports made by the real ``rlplot report`` command, in the OS's headless Chromium: the sample
runs (one run alone, three seeds as a group) and a generated sweep of 200 runs. No console
errors, every chart painted, hover shows a logged point exactly, legend, zoom, filter, and the
static SVGs without JavaScript."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from rlplot.cli import cli

from ..conftest import ROOT
from .browser import js_number
from .sweeps import write_sweep

SAMPLE = ROOT / "sample_runs"
SAMPLE_ARGS = [str(SAMPLE / "seed_like_run.jsonl"), str(SAMPLE / "second_run" / "*.jsonl"),
               "--group-by", "(second_run)"]
SWEEP_RUNS = 200
ALONE, GROUP = "s0-seed-like-run", "s1-second-run"
PAINTED = """(sid) => rlplotReport.charts[sid].plots.map(u => {
    const d = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n / (d.length / 4);
})"""
COLOR = """([sid, panel, hex]) => {
    const u = rlplotReport.charts[sid].plots[panel];
    const d = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height).data;
    const c = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
        if (d[i + 3] > 200 && Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) < 40) n++;
    return n;
}"""


def _report(folder: Path, args: list[str]) -> Path:
    out = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", *args, "-o", str(out), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    return _report(tmp_path_factory.mktemp("sample"), SAMPLE_ARGS)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("sweep200")
    logs = write_sweep(folder / "sweep", SWEEP_RUNS, rows=300)
    return _report(folder, [str(folder / "sweep" / "*" / "metrics.jsonl"), "-j", "2"]), logs


def _open(page, path: Path, first: str):
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-rl-ready]")
    page.wait_for_function(f"!!rlplotReport.charts['{first}']")


def _sections(page) -> list[dict]:
    return page.evaluate("JSON.parse(document.getElementById('rl-index').textContent).sections")


def test_the_sample_report_draws_every_chart_without_errors(page, sample_report):
    _open(page, sample_report, ALONE)
    page.wait_for_function(f"!!rlplotReport.charts['{GROUP}']")
    assert [s["runs"] for s in _sections(page)] == [["seed_like_run"], ["seed1", "seed2", "seed3"]]
    for sid in (ALONE, GROUP):
        assert min(page.evaluate(PAINTED, sid)) > 0.02
    assert page.locator(f"#{GROUP} .rl-run").all_inner_texts() == ["seed1", "seed2", "seed3"]
    assert page.console.errors == []


def test_the_200_run_report_builds_every_chart_without_errors(page, sweep):
    path, _ = sweep
    _open(page, path, page_first_section(path))
    sections = _sections(page)
    assert len(sections) == SWEEP_RUNS and len(page.locator("details.section[open]").all()) == 3
    painted = page.evaluate("""(ids) => ids.map(id => { rlplotReport.build(id); return id; })""",
                            [s["id"] for s in sections])
    assert len(painted) == SWEEP_RUNS
    for sid in painted[::17]:             # every chart is built; a sample is checked for paint
        assert min(page.evaluate(PAINTED, sid)) > 0.01, sid
    assert page.locator("#rl-quality").inner_text().startswith("Data quality: 2 notes")
    assert page.console.errors == []


def page_first_section(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index('id="rl-index">') + len('id="rl-index">')
    return json.loads(text[start:text.index("</script>", start)])["sections"][0]["id"]


def _logged(path: Path, column: str) -> tuple[float, float]:
    """The logged (rl_flops, column) point with the largest value: always drawn (extremes are)."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    rows = [r for r in rows if isinstance(r.get(column), (int, float))]
    best = max(rows, key=lambda r: r[column])
    return float(best["rl_flops"]), float(best[column])


def _hover(page, sid: str, panel: int, x: float, y: float):
    box = page.evaluate("""([sid, panel]) => {
        const r = rlplotReport.charts[sid].plots[panel].over.getBoundingClientRect();
        return {left: r.left, top: r.top};
    }""", [sid, panel])
    pos = page.evaluate("""([sid, panel, x, y]) => {
        const u = rlplotReport.charts[sid].plots[panel];
        return [u.valToPos(x, 'x'), u.valToPos(y, 'y')];
    }""", [sid, panel, x, y])
    page.mouse.move(box["left"] + pos[0], box["top"] + pos[1] - 1)
    tip = page.locator(f"#{sid} .rl-panel").nth(panel).locator(".rl-tip")
    tip.wait_for(state="visible")
    return tip


@pytest.mark.parametrize("which", ["sample", "sweep"])
def test_hover_shows_a_logged_point_exactly(page, sample_report, sweep, which):
    if which == "sample":
        path, sid, run, log = sample_report, ALONE, "seed_like_run", SAMPLE / "seed_like_run.jsonl"
        panel, column, label = 1, "avg_parallelism", "Average Parallelism"
    else:
        path, logs = sweep
        sid, run, log = page_first_section(path), "lr1e-3_seed0", logs[2]
        panel, column, label = 0, "accuracy", "Training Accuracy"
    _open(page, path, sid)
    x, y = _logged(log, column)
    tip = _hover(page, sid, panel, x, y)
    assert tip.locator(".rl-tip-run").inner_text().strip() == run
    assert tip.locator(".rl-tip-x").inner_text() == f"RL flops = {js_number(x)}"
    expected = f"{label} = {js_number(y)}"
    if column == "accuracy":    # a percent panel (0-1 values here) also reads the value in percent
        expected += f" ({js_number(float(f'{y * 100:.4g}'))}%)"
    assert tip.locator(".rl-tip-y").inner_text() == expected
    assert tip.locator(".rl-tip-smooth").inner_text().startswith("smoothed = ")
    assert page.console.errors == []


def test_a_legend_click_hides_a_seed_of_the_group_in_both_panels(page, sample_report):
    _open(page, sample_report, ALONE)
    page.wait_for_function(f"!!rlplotReport.charts['{GROUP}']")
    colour = page.evaluate(f"rlplotReport.charts['{GROUP}'].data.panels[0].curves[1].pc")
    before = [page.evaluate(COLOR, [GROUP, p, colour]) for p in (0, 1)]
    assert min(before) > 20
    seed2 = page.locator(f"#{GROUP} .rl-run", has_text="seed2")
    seed2.click()
    assert page.evaluate(f"rlplotReport.shown('{GROUP}', 'seed2')") is False
    assert [page.evaluate(COLOR, [GROUP, p, colour]) for p in (0, 1)] == [0, 0]
    seed2.click()
    assert [page.evaluate(COLOR, [GROUP, p, colour]) for p in (0, 1)] == before
    assert page.console.errors == []


def test_a_drag_zooms_both_panels_and_a_double_click_resets(page, sample_report):
    _open(page, sample_report, ALONE)
    full = page.evaluate(f"rlplotReport.xRanges('{ALONE}')")
    box = page.evaluate(f"""(() => {{ const r = rlplotReport.charts['{ALONE}'].plots[0].over
        .getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }})()""")
    left, top, width, height = box
    page.mouse.move(left + 0.2 * width, top + height / 2)
    page.mouse.down()
    page.mouse.move(left + 0.5 * width, top + height / 2, steps=6)
    page.mouse.up()
    zoomed = page.evaluate(f"rlplotReport.xRanges('{ALONE}')")
    assert zoomed[0] == zoomed[1] and full[0][0] < zoomed[0][0] < zoomed[0][1] < full[0][1]
    page.mouse.dblclick(left + width / 2, top + height / 2)
    assert page.evaluate(f"rlplotReport.xRanges('{ALONE}')") == full
    assert page.console.errors == []


def test_the_filter_finds_one_run_among_200(page, sweep):
    path, _ = sweep
    _open(page, path, page_first_section(path))
    page.fill("#rl-filter", "LR3E-3_SEED17")
    assert page.locator("details.section:visible").count() == 1
    assert page.locator("#rl-filter-count").inner_text() == f"1 of {SWEEP_RUNS} runs"
    assert page.locator("details.section:visible summary h2").inner_text() == "lr3e-3_seed17"
    page.fill("#rl-filter", "seed1")       # seed1, seed10..seed19, seed100..: words, not exact names
    assert page.locator("details.section:visible").count() == 4 * (1 + 10 + 0)
    page.fill("#rl-filter", "")
    assert page.locator("details.section:visible").count() == SWEEP_RUNS
    assert page.console.errors == []


def _not_blank(png: bytes) -> float:
    return float((np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 200).mean())


@pytest.mark.parametrize("which", ["sample", "sweep"])
def test_without_javascript_the_static_svgs_show(browser, sample_report, sweep, which):
    path = sample_report if which == "sample" else sweep[0]
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    static = page.locator("details.section[open] img.static")
    assert static.count() == (2 if which == "sample" else 3)
    for i in range(static.count()):
        image = static.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.bounding_box()["width"] > 300
        assert _not_blank(image.screenshot()) > 0.02
    assert page.locator("canvas").count() == 0
    context.close()


def test_a_screenshot_of_the_sample_report_is_not_blank(page, sample_report, tmp_path):
    _open(page, sample_report, ALONE)
    shot = page.screenshot(path=str(tmp_path / "sample-report.png"), full_page=True)
    assert _not_blank(shot) > 0.03


@pytest.mark.parametrize("value", [9.792887e20, 1e21, 2e6, 1234567.0, -2.5e7, 999999.0, 12800.0,
                                   0.30000000000000004, -3.0, 1.5e-9, 1e-5, 0.0, 4.2e-6, 123.456])
def test_the_tests_write_numbers_as_the_page_does(page, value):
    written = page.evaluate("(v) => Math.abs(v) >= 1e6 ? v.toExponential() : String(v)", value)
    assert js_number(value) == written
