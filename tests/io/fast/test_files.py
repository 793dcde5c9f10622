"""The byte scan of a big log: what reading and counting with bytes methods would say."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlplot.io.fast import files


def reference(data: bytes, start: int, stop: int, forbidden: bytes) -> tuple[bool, int, bool]:
    part = data[start:stop]
    if any(bytes([b]) in part for b in forbidden):
        return False, 0, b"\r" in part
    return True, part.count(b"\n"), b"\r" in part


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.lists(st.sampled_from([b"1,2\n", b"#c\n", b"\r\n", b"\x00", b"x"]),
                                          max_size=80).map(b"".join),
       st.integers(0, 320), st.integers(0, 320), st.sampled_from([b"", b"#", b"\x00#"]),
       st.sampled_from([1, 3, 7, 1 << 20]))
def test_the_scan_says_what_bytes_methods_say(tmp_path_factory, data, start, stop, forbidden, chunk):
    path = tmp_path_factory.mktemp("scan") / "log.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "SCAN_BYTES", chunk)
        got = files.scan(str(path), start, stop, forbidden)
    assert got == reference(data, start, min(stop, len(data)), forbidden)


def test_an_empty_file_or_range_scans_clean(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert files.scan(str(empty), 0, 10, b"#") == (True, 0, False)
    full = tmp_path / "full.csv"
    full.write_bytes(b"a\nb\n")
    assert files.scan(str(full), 3, 3, b"#") == (True, 0, False)
