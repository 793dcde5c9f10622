"""Damaged event files: cut off, flipped bytes, absurd lengths. Reported, fatal only when strict."""
from __future__ import annotations

import struct
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rlplot.errors import InputError
from rlplot.io.tfevents import NoScalarsError, read_event_run, scan_event_run
from rlplot.io.tfrecord import masked_crc32c

from .tb_fixtures import corrupt_byte, legacy_run, name_file, record_offsets, truncate

WALL = 1.7e9
N = 6


def column(table, name):
    col = table.columns[name]
    return col.values[~col.missing].tolist()


@pytest.fixture
def run_file(tmp_path):
    """A real event file: a header record, then N scalar records of tag 'r' (steps 0..N-1)."""
    return legacy_run(tmp_path / "run", [("r", s, float(s), WALL + s) for s in range(N)])


@pytest.mark.parametrize("into", [1, 8, 12, 13, -5, -1], ids=lambda k: f"cut{k:+d}")
def test_a_truncated_last_record_is_skipped_with_its_file_and_offset(run_file, into):
    offsets = record_offsets(run_file)
    last, end = offsets[-2], offsets[-1]
    truncate(run_file, (last if into > 0 else end) + into)
    table = read_event_run([run_file])
    assert column(table, "r") == [float(s) for s in range(N - 1)]
    (notice,) = table.skipped
    assert notice.file == str(run_file)
    assert str(notice).startswith(f"{run_file}: byte {last}: truncated record")


def test_a_truncated_record_is_an_error_when_strict(run_file):
    truncate(run_file, record_offsets(run_file)[-1] - 3)
    with pytest.raises(InputError, match="truncated record") as error:
        read_event_run([run_file], strict=True)
    assert error.value.file == str(run_file) and "--strict" in error.value.hint


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1))
def test_any_cut_reads_a_prefix_and_reports_a_partial_record(tmp_path_factory, cut):
    path = legacy_run(tmp_path_factory.mktemp("cut"), [("r", s, float(s), WALL + s) for s in range(N)])
    offsets = record_offsets(path)
    size = int(cut * offsets[-1])
    truncate(path, size)
    whole = [o for o in offsets[1:] if o <= size]          # ends of the records that survive
    try:
        table = read_event_run([path])
    except NoScalarsError as error:                         # only the header (or less) survived
        assert len(whole) <= 1
        assert ("truncated" in error.hint) == (size not in offsets)
        return
    assert column(table, "r") == [float(s) for s in range(len(whole) - 1)]
    if size in offsets:
        assert table.skipped == ()
    else:
        (notice,) = table.skipped
        assert f"byte {max(o for o in offsets if o < size)}: truncated record" in str(notice)


@pytest.mark.parametrize("where", ["payload", "payload crc"])
def test_a_checksum_mismatch_skips_that_record_only(run_file, where):
    offsets = record_offsets(run_file)
    third = offsets[3]                 # the record of step 2
    corrupt_byte(run_file, offsets[4] - 1 if where == "payload crc" else third + 14)
    table = read_event_run([run_file])
    assert column(table, "step") == [0, 1, 3, 4, 5]
    (notice,) = table.skipped
    assert str(notice) == f"{run_file}: byte {third}: payload checksum mismatch; the record was skipped"
    with pytest.raises(InputError, match="payload checksum mismatch") as error:
        read_event_run([run_file], strict=True)
    assert "--strict" in error.value.hint
    assert scan_event_run([run_file]).notices == (notice,)


@pytest.mark.parametrize("where", [0, 5, 9], ids=["length", "length-high", "length-crc"])
def test_a_corrupt_header_ends_the_file_with_a_warning(run_file, where):
    offsets = record_offsets(run_file)
    corrupt_byte(run_file, offsets[4] + where)     # the header of the record of step 3
    table = read_event_run([run_file])
    assert column(table, "step") == [0, 1, 2]
    (notice,) = table.skipped
    assert f"byte {offsets[4]}: corrupt record header" in str(notice)
    assert f"remaining {offsets[-1] - offsets[4]} bytes" in str(notice)


@pytest.mark.parametrize("claim", [4_000_000_000, 2**63 - 1, 2**64 - 1])
def test_a_length_that_claims_gigabytes_is_refused_without_allocating_it(run_file, claim):
    offsets = record_offsets(run_file)
    last = offsets[-2]
    data = bytearray(run_file.read_bytes())
    # a length field with a valid checksum, so that only its size gives it away
    length = struct.pack("<Q", claim)
    data[last:last + 12] = length + struct.pack("<I", masked_crc32c(length))
    run_file.write_bytes(bytes(data))
    tracemalloc.start()
    table = read_event_run([run_file])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 << 20
    assert column(table, "r") == [float(s) for s in range(N - 1)]
    (notice,) = table.skipped
    assert f"byte {last}: truncated record: its header claims" in str(notice)
    assert ("GB" in str(notice)) or ("bytes" in str(notice))


def test_trailing_zero_bytes_are_reported(run_file):
    with open(run_file, "ab") as handle:
        handle.write(b"\0" * 64)                    # a preallocated, never written tail
    table = read_event_run([run_file])
    assert column(table, "r") == [float(s) for s in range(N)]
    (notice,) = table.skipped
    assert "corrupt record header" in str(notice) and "remaining 64 bytes" in str(notice)


def test_a_record_that_is_not_an_event_is_reported(run_file):
    from tensorboard.summary.writer.record_writer import RecordWriter

    with open(run_file, "ab") as handle:
        RecordWriter(handle).write(b"\xff\xff\xff not a protobuf")   # TensorBoard's framing writer
    table = read_event_run([run_file])
    assert column(table, "r") == [float(s) for s in range(N)]
    (notice,) = table.skipped
    assert "not an Event" in str(notice)


def test_damage_is_reported_in_file_order(run_file, tmp_path):
    # A record that is not an Event, then a checksum mismatch further on: the notices (and the
    # error --strict raises) follow the file, whichever layer finds each.
    from tensorboard.summary.writer.record_writer import RecordWriter

    with open(run_file, "ab") as handle:
        RecordWriter(handle).write(b"\xff\xff\xff not a protobuf")
        RecordWriter(handle).write(b"\xff\xff\xff again")
    later = record_offsets(run_file)[-2]
    corrupt_byte(run_file, later + 12)                 # the payload of the last record
    table = read_event_run([run_file])
    assert [("not an Event" in str(n), "checksum mismatch" in str(n)) for n in table.skipped] == [
        (True, False), (False, True)]
    assert f"byte {later}:" in str(table.skipped[1])
    with pytest.raises(InputError, match="not an Event"):
        read_event_run([run_file], strict=True)
    assert [str(n) for n in scan_event_run([run_file]).notices] == [str(n) for n in table.skipped]


def test_damage_in_one_file_of_a_run_leaves_the_others_whole(tmp_path):
    folder = tmp_path / "PPO_1"
    first = name_file(legacy_run(folder, [("r", s, float(s), WALL + s) for s in range(3)]), 1700000001)
    second = name_file(legacy_run(folder, [("r", s, float(s), WALL + s) for s in range(3, 6)]),
                       1700000002)
    truncate(first, first.stat().st_size - 2)
    table = read_event_run([first, second])
    assert column(table, "step") == [0, 1, 3, 4, 5]
    (notice,) = table.skipped
    assert notice.file == str(first)


def test_an_empty_file_has_no_scalars(tmp_path):
    path = tmp_path / "events.out.tfevents.1700000000.host.1.0"
    path.write_bytes(b"")
    with pytest.raises(NoScalarsError, match="no scalars") as error:
        read_event_run([path])
    assert "empty" in error.value.hint


def test_an_unreadable_file_is_an_input_error(tmp_path):
    missing = tmp_path / "events.out.tfevents.1700000000.host.1.0"
    with pytest.raises(InputError, match="cannot read") as error:
        read_event_run([missing])
    assert error.value.file == str(missing)
