"""What the CLI prints on stderr (rlplot/cli/output.py): warnings, and only a few skipped lines per file."""
from __future__ import annotations

from rlplot.cli.output import SKIPPED_LINES_WARNED_PER_FILE, echo_notices, error_line, warn
from rlplot.data import Notice


def test_skipped_lines_are_capped_per_file_and_the_rest_counted(capsys):
    limit = SKIPPED_LINES_WARNED_PER_FILE
    notices = ([Notice("skipped line: malformed JSON", "a.jsonl", line) for line in range(1, limit + 4)]
               + [Notice("skipped line: malformed JSON", "b.jsonl", 1)]
               + [Notice(f"dropped points: {i}", "a.jsonl") for i in range(limit + 2)])
    echo_notices(notices)
    lines = capsys.readouterr().err.splitlines()
    assert all(line.startswith("rlplot: warning: ") for line in lines)
    assert sum(line.startswith("rlplot: warning: a.jsonl:") and "malformed" in line for line in lines) \
        == limit
    assert "rlplot: warning: b.jsonl:1: skipped line: malformed JSON" in lines
    assert sum("dropped points" in line for line in lines) == limit + 2    # other kinds: every one
    assert lines[-1] == "rlplot: warning: a.jsonl: … and 3 more skipped lines"


def test_an_error_line_folds_line_breaks():
    assert error_line("x.csv: bad\nthing") == "rlplot: error: x.csv: bad thing"


def test_warn_writes_one_line_to_stderr(capsys):
    warn("careful")
    captured = capsys.readouterr()
    assert captured.err == "rlplot: warning: careful\n" and captured.out == ""
