"""The README's report screenshot is of the page its command makes (tests/report/screenshots.py)."""
from __future__ import annotations

import html
import re
import shlex

from ..conftest import ROOT
from .screenshots import COMMAND, make_report

SHOWN = "rlplot " + shlex.join([*COMMAND, "-o", "report.html"])


def test_the_readme_and_the_docs_show_the_command_that_makes_the_screenshot():
    for doc in ("README.md", "docs/report.md"):
        blocks = re.findall(r"```bash\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S)
        assert SHOWN in [b.strip() for b in blocks], doc
    assert "](docs/report-screenshot.png)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_screenshot_page_is_made_by_that_command(tmp_path):
    page = make_report(tmp_path).read_text(encoding="utf-8")
    assert f"<code>{html.escape(SHOWN)}</code>" in page
    assert page.count('<details class="section"') == 2 and "accuracy crosses 60%" in page
