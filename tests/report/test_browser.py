"""The report page in a real browser (the OS's headless Chromium, driven by Playwright, from file://):
no console errors, charts drawn, hover, legend, zoom shared by panels, filter, JS-off fallback."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from rlplot.report import Chart, Curve, Panel, Report, Section, write_html

from .browser import js_number
from .synthetic import make_report, section_for

ODD_X, ODD_Y = 201000.0, 0.8765432101234568  # an isolated point with a long exact value
NASTY = ['<script>window.__pwned = 1</script>', 'x"><img src=x onerror="window.__pwned = 2">']
SID_PAIR, SID_BAND, SID_NASTY = "s0-pair", "s1-banded", "s2-script-window-pwned-1-script"


def _pair_section() -> Section:
    section = section_for("pair", ["alpha", "beta"], [1, 2])
    first, second = section.chart.panels
    alpha = first.curves[0]
    ys = alpha.y.copy()
    index = int(np.searchsorted(alpha.x, ODD_X))
    assert alpha.x[index] == ODD_X
    ys[index] = ODD_Y
    odd = Curve(run="alpha", x=alpha.x, y=ys, smooth_x=alpha.smooth_x, smooth_y=alpha.smooth_y)
    panels = (Panel(first.title, first.y_label, (odd, first.curves[1])), second)
    return Section("pair", Chart("step", panels, section.chart.svg), section.summary, section.notes)


def _nasty_section() -> Section:
    section = section_for(NASTY[0], NASTY, [5, 6])
    panels = tuple(Panel(f"{p.title} </script><script>window.__pwned = 3</script>",
                         "<b>y</b>", p.curves) for p in section.chart.panels)
    return Section(section.title, Chart("</script>x", panels, section.chart.svg), section.summary)


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    """A report of 8 sections (the first 3 open): a pair, a banded run, hostile names, 5 more runs."""
    more = make_report(5).sections
    report = Report(title="Browser test", command="rlplot report runs/ -o report.html",
                    data_date="2024-05-01", counts=(("runs", 10),),
                    sections=(_pair_section(), section_for("banded", ["gamma"], [3], band=True),
                              _nasty_section(), *more))
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_html(report, path, expanded=3)
    return path.as_uri()


def _open(page, url):
    page.goto(url)
    page.wait_for_selector("html[data-rl-ready]")
    page.wait_for_function(f"!!rlplotReport.charts['{SID_PAIR}']")


def _count_color(page, sid, panel, hex_color, tolerance=40):
    """Canvas pixels of one panel within ``tolerance`` (sum of |channel difference|) of a colour."""
    return page.evaluate("""([sid, panel, hex, tol]) => {
        const u = rlplotReport.charts[sid].plots[panel];
        const d = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height).data;
        const c = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
            if (d[i + 3] > 200 && Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) < tol) n++;
        return n;
    }""", [sid, panel, hex_color, tolerance])


def _plot_box(page, sid, panel):
    return page.evaluate("""([sid, panel]) => {
        const r = rlplotReport.charts[sid].plots[panel].over.getBoundingClientRect();
        return {left: r.left, top: r.top, width: r.width, height: r.height};
    }""", [sid, panel])


def test_every_chart_draws_without_console_errors(page, report_url):
    _open(page, report_url)
    page.click("#rl-expand")
    sections = page.evaluate("JSON.parse(document.getElementById('rl-index').textContent).sections")
    assert len(sections) == 8
    for section in sections:
        page.locator(f"#{section['id']} figure.chart").scroll_into_view_if_needed()
        page.wait_for_function(f"!!rlplotReport.charts['{section['id']}']")
    for section in sections:
        canvases = page.locator(f"#{section['id']} figure.chart canvas")
        assert canvases.count() == 2  # one per panel
        for panel in range(2):
            painted = page.evaluate("""([sid, panel]) => {
                const u = rlplotReport.charts[sid].plots[panel];
                const d = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++;
                return n / (d.length / 4);
            }""", [section["id"], panel])
            assert painted > 0.02, (section["id"], panel, painted)
    assert page.console.errors == []


def test_hover_shows_the_exact_logged_point_and_the_smoothed_value(page, report_url):
    _open(page, report_url)
    box = _plot_box(page, SID_PAIR, 0)
    pos = page.evaluate("""([sid, x, y]) => {
        const u = rlplotReport.charts[sid].plots[0];
        return [u.valToPos(x, 'x'), u.valToPos(y, 'y')];
    }""", [SID_PAIR, ODD_X, ODD_Y])
    page.mouse.move(box["left"] + pos[0] + 2, box["top"] + pos[1] - 2)
    tip = page.locator(f"#{SID_PAIR} .rl-panel").nth(0).locator(".rl-tip")
    tip.wait_for(state="visible")
    assert tip.locator(".rl-tip-run").inner_text().strip() == "alpha"
    assert tip.locator(".rl-tip-x").inner_text() == f"step = {js_number(ODD_X)}"
    assert tip.locator(".rl-tip-y").inner_text() == "Training Accuracy = 0.8765432101234568"
    smoothed = float(tip.locator(".rl-tip-smooth").inner_text().split("= ")[1])
    expected = _pair_section().chart.panels[0].curves[0]
    at = float(expected.smooth_y[np.searchsorted(expected.smooth_x, ODD_X)])
    assert smoothed == pytest.approx(at, rel=1e-5)
    page.mouse.move(box["left"] + 2, box["top"] + 2)  # an empty corner: no tip
    assert tip.is_hidden()
    assert page.console.errors == []


def test_legend_click_hides_and_shows_a_run_in_every_panel(page, report_url):
    _open(page, report_url)
    orange = "#ff7f0e"  # beta, the second run of the pair
    before = [_count_color(page, SID_PAIR, p, orange) for p in (0, 1)]
    assert min(before) > 200
    button = page.locator(f"#{SID_PAIR} .rl-run", has_text="beta")
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert page.evaluate(f"rlplotReport.shown('{SID_PAIR}', 'beta')") is False
    assert [_count_color(page, SID_PAIR, p, orange) for p in (0, 1)] == [0, 0]
    assert _count_color(page, SID_PAIR, 0, "#1f77b4") > 200  # alpha still drawn
    button.click()
    assert [_count_color(page, SID_PAIR, p, orange) for p in (0, 1)] == before
    assert page.console.errors == []


def test_drag_zooms_every_panel_and_double_click_resets(page, report_url):
    _open(page, report_url)
    full = page.evaluate(f"rlplotReport.xRanges('{SID_PAIR}')")
    assert full[0] == full[1]
    box = _plot_box(page, SID_PAIR, 1)  # drag in the right-hand panel
    y = box["top"] + box["height"] / 2
    page.mouse.move(box["left"] + 0.3 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["left"] + 0.6 * box["width"], y, steps=8)
    page.mouse.up()
    zoomed = page.evaluate(f"rlplotReport.xRanges('{SID_PAIR}')")
    assert zoomed[0] == zoomed[1]  # the panels share the zoom
    (lo, hi), (full_lo, full_hi) = zoomed[1], full[1]
    assert full_lo < lo < hi < full_hi
    assert (hi - lo) == pytest.approx(0.3 * (full_hi - full_lo), rel=0.05)
    page.mouse.dblclick(box["left"] + box["width"] / 2, y)
    assert page.evaluate(f"rlplotReport.xRanges('{SID_PAIR}')") == full
    assert page.console.errors == []


def test_filter_box_hides_runs_that_do_not_match(page, report_url):
    _open(page, report_url)
    page.fill("#rl-filter", "BETA")
    assert page.locator(f"#{SID_PAIR}").is_visible()
    assert page.locator(f"#{SID_BAND}").is_hidden()
    assert page.locator("details.section:visible").count() == 1
    assert page.locator("#rl-filter-count").inner_text() == "1 of 10 runs"
    assert page.evaluate(f"rlplotReport.shown('{SID_PAIR}', 'alpha')") is False
    assert page.locator(f"#{SID_PAIR} .rl-run", has_text="alpha").is_hidden()
    assert _count_color(page, SID_PAIR, 0, "#1f77b4") == 0
    page.fill("#rl-filter", "seed=2 sweep")  # every word must match
    assert page.locator("details.section:visible").count() == 1
    page.fill("#rl-filter", "")
    assert page.locator("details.section:visible").count() == 8
    assert page.evaluate(f"rlplotReport.shown('{SID_PAIR}', 'alpha')") is True
    assert page.evaluate(f"rlplotReport.shown('{SID_BAND}', 'gamma')") is True  # hidden, then back
    assert _count_color(page, SID_BAND, 0, "#d62728") > 100  # its red smoothed line is drawn again
    assert page.console.errors == []


def test_names_from_logs_are_shown_never_run(page, report_url):
    _open(page, report_url)
    page.locator(f"#{SID_NASTY} figure.chart").scroll_into_view_if_needed()
    page.wait_for_function(f"!!rlplotReport.charts['{SID_NASTY}']")
    assert page.evaluate("window.__pwned") is None
    legend = page.locator(f"#{SID_NASTY} .rl-run .name").all_inner_texts()
    assert legend == NASTY
    assert page.locator(f"#{SID_NASTY} summary h2").inner_text() == NASTY[0]
    assert page.locator(f"#{SID_NASTY} img").count() == 1  # only the static chart, no injected <img>
    assert page.console.errors == []


def _not_blank(png: bytes) -> float:
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return float((image < 200).mean())


def test_without_javascript_the_static_svgs_show(browser, report_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(report_url)
    static = page.locator("details.section[open] img.static")
    assert static.count() == 3
    for i in range(3):
        image = static.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        assert image.bounding_box()["width"] > 300
        assert _not_blank(image.screenshot()) > 0.01
    assert page.locator("canvas").count() == 0
    assert page.locator("#rl-toolbar").is_hidden()
    context.close()


LOADED = "[...document.querySelectorAll('img.static')].map(i => i.complete && i.naturalWidth > 0)"


def test_print_view_shows_the_static_svgs_loaded_only_for_printing(page, report_url):
    _open(page, report_url)
    assert page.evaluate(LOADED) == [False] * 8  # hidden behind the live charts: never loaded
    page.pdf()  # printing opens every section and loads every static figure
    assert page.evaluate(LOADED) == [True] * 8
    assert page.locator("details.section[open]").count() == 8
    page.emulate_media(media="print")
    assert page.locator(f"#{SID_PAIR} img.static").is_visible()
    assert page.locator(f"#{SID_PAIR} .live").is_hidden()
    assert page.locator("#rl-toolbar").is_hidden()


def test_screenshot_of_the_report_is_not_blank(page, report_url, tmp_path):
    _open(page, report_url)
    png = page.screenshot(path=str(tmp_path / "report.png"))
    assert _not_blank(png) > 0.03


def test_odd_data_draws_without_errors(page, tmp_path):
    """No points, one point, gaps in the curve and band, a panel with no runs, one x value only."""
    nan = float("nan")
    curves = (Curve("empty", [], [], [1, 2], [0.5, 0.6]),
              Curve("one", [5], [0.25], [], []),
              Curve("gappy", [1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4], [0.1, nan, 0.3, 0.4],
                    band_low=[0.0, 0.1, nan, 0.3], band_high=[0.2, 0.3, nan, 0.5]))
    flat = Curve("flat", [7, 7], [1.0, 1.0], [7], [1.0])
    report = Report("odd", "c", "d", sections=(
        Section("odd", Chart("x", (Panel("p", "y", curves), Panel("none", "y", ())))),
        Section("flat", Chart("x", (Panel("p", "y", (flat,)),))),
    ))
    path = tmp_path / "odd.html"
    write_html(report, path)
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-rl-ready]")
    page.wait_for_function("Object.keys(rlplotReport.charts).length == 2")
    (low, high), = page.evaluate("rlplotReport.xRanges('s0-odd')")  # a panel with no runs: no plot
    assert low < 1 and high > 5
    assert page.locator("#s0-odd .rl-empty").inner_text() == "none: no data"
    low, high = page.evaluate("rlplotReport.xRanges('s1-flat')")[0]
    assert low < 7 < high
    box = _plot_box(page, "s0-odd", 0)
    pos = page.evaluate("(() => { const u = rlplotReport.charts['s0-odd'].plots[0];"
                        " return [u.valToPos(5, 'x'), u.valToPos(0.25, 'y')]; })()")
    page.mouse.move(box["left"] + pos[0], box["top"] + pos[1])
    tip = page.locator("#s0-odd .rl-panel").nth(0).locator(".rl-tip")
    tip.wait_for(state="visible")
    assert tip.locator(".rl-tip-run").inner_text().strip() == "one"
    assert tip.locator(".rl-tip-smooth").inner_text() == "smoothed = \u2013"  # no curve: no value
    assert page.console.errors == []
