"""The ``.wandb`` framing: LevelDB log blocks and chunks, W&B's header and checksum, damage."""
from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from rlplot.errors import InputError
from rlplot.io.leveldb_log import BLOCK, chunk_checksum, read_framed_log

from .tracker_fixtures import HEADER, built_store, chunks, frame

payload_lists = st.lists(st.integers(0, 70_000).map(lambda n: bytes((n % 251,)) * n), max_size=8)


def _crc32c(data: bytes) -> int:
    # Bitwise CRC-32C (Castagnoli), only to show W&B does not use LevelDB's checksum.
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _masked(crc: int) -> int:
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


@pytest.fixture(scope="session")
def real_logs(tmp_path_factory) -> list[bytes]:
    root = built_store("wandb", tmp_path_factory) / "wandb"
    return [path.read_bytes() for path in sorted(root.glob("offline-run-*/*.wandb"))]


def test_real_files_use_plain_crc32_of_type_and_payload(real_logs):
    data = real_logs[0]
    checked = 0
    for offset, length, kind in chunks(data):
        stored = struct.unpack_from("<I", data, offset)[0]
        payload = data[offset + 7:offset + 7 + length]
        assert stored == zlib.crc32(bytes((kind,)) + payload) == chunk_checksum(kind, payload)
        if length > 16 and checked < 3:     # and not LevelDB's masked CRC-32C
            assert stored != _masked(_crc32c(bytes((kind,)) + payload))
            checked += 1
    assert checked == 3


def test_real_files_span_blocks_and_split_long_records(real_logs):
    for data in real_logs:
        kinds = [kind for _, _, kind in chunks(data)]
        assert len(data) > 3 * BLOCK and {2, 3, 4} <= set(kinds)
        log = read_framed_log(data, "run.wandb")
        assert log.notices == () and log.version == 0
        assert len(log.records) == kinds.count(1) + kinds.count(2)
        assert max(len(r.payload) for r in log.records) > 2 * BLOCK      # the 80 kB text record


@settings(max_examples=60, deadline=None)
@given(payload_lists)
def test_framed_records_come_back_whole_and_in_order(payloads):
    log = read_framed_log(frame(payloads), "x.wandb")
    assert [r.payload for r in log.records] == payloads and log.notices == ()


def _record_spans(payloads: list[bytes]) -> list[tuple[int, int]]:
    """(offset of first chunk, end of last chunk) of each framed record."""
    spans, start = [], 0
    for offset, length, kind in chunks(frame(payloads)):
        if kind in (1, 2):
            start = offset
        if kind in (1, 4):
            spans.append((start, offset + 7 + length))
    return spans


@settings(max_examples=80, deadline=None)
@given(payload_lists.filter(bool), st.floats(0, 1))
def test_a_cut_off_log_keeps_every_complete_record(payloads, where):
    data = frame(payloads)
    cut = 7 + int(where * (len(data) - 7))
    log = read_framed_log(data[:cut], "x.wandb")
    spans = _record_spans(payloads)
    complete = [p for p, (_, end) in zip(payloads, spans) if end <= cut]
    assert [r.payload for r in log.records] == complete
    inside = [start for start, end in spans if start < cut < end]
    if inside:
        (notice,) = log.notices
        assert f"inside a record at byte {inside[0]}" in notice.what
    else:
        assert log.notices == ()


def _small_records(n: int = 300) -> list[bytes]:
    return [f"record {i:04d} ".encode() * 20 for i in range(n)]    # 220 bytes each: ~2 blocks


def test_a_bad_checksum_loses_the_rest_of_its_block_only():
    payloads = _small_records()
    data = bytearray(frame(payloads))
    spans = _record_spans(payloads)
    victim = 10
    data[spans[victim][0] + 20] ^= 0xFF                       # one flipped payload byte
    log = read_framed_log(bytes(data), "x.wandb")
    kept = [r.payload for r in log.records]
    in_first_block = [i for i, (start, _) in enumerate(spans) if start < BLOCK]
    assert kept[:victim] == payloads[:victim]
    assert kept[victim:] == [payloads[i] for i, (start, _) in enumerate(spans) if start >= BLOCK]
    assert len(in_first_block) > victim + 1
    (notice,) = log.notices
    assert f"a checksum mismatch at byte {spans[victim][0]}" in notice.what
    with pytest.raises(InputError, match=f"checksum mismatch at byte {spans[victim][0]}") as caught:
        read_framed_log(bytes(data), "x.wandb", strict=True)
    assert caught.value.file == "x.wandb" and "--strict" in caught.value.hint


def test_a_record_split_over_a_damaged_block_is_dropped_without_a_second_warning():
    payloads = [b"a" * 100, b"b" * 40_000, b"c" * 100]        # b spans blocks 0 and 1
    data = bytearray(frame(payloads))
    data[7 + 7 + 100 + 7 + 50] ^= 0x01                      # inside b's FIRST chunk
    log = read_framed_log(bytes(data), "x.wandb")
    assert [r.payload for r in log.records] == [b"a" * 100, b"c" * 100]
    assert len(log.notices) == 1


def test_unknown_chunk_types_and_stray_continuations_are_damage():
    good = frame([b"one", b"two"])
    payload = b"odd"
    odd = struct.pack("<IHB", zlib.crc32(bytes((9,)) + payload), len(payload), 9) + payload
    log = read_framed_log(good + odd + frame([b"three"], header=b""), "x.wandb")
    assert [r.payload for r in log.records] == [b"one", b"two", b"three"]
    assert "unknown chunk type 9" in log.notices[0].what
    stray = struct.pack("<IHB", zlib.crc32(bytes((4,)) + payload), len(payload), 4) + payload
    log = read_framed_log(good + stray, "x.wandb")
    assert "continuation chunk without a first chunk" in log.notices[0].what


def test_zero_padding_at_the_end_is_not_damage():
    log = read_framed_log(frame([b"one"]) + b"\x00" * 100, "x.wandb")
    assert [r.payload for r in log.records] == [b"one"] and log.notices == ()


@pytest.mark.parametrize("data, message", [
    (b"", "the log is empty"),
    (b"PK\x03\x04 not a log at all", "not a W&B transaction log"),
    (struct.pack("<4sHB", b":W&B", 0x1234, 0), "magic 0x1234"),
    (struct.pack("<4sHB", b":W&B", 0xBEE1, 7), "unsupported .wandb version 7"),
])
def test_a_file_that_is_not_a_wandb_log_is_one_error(data, message):
    with pytest.raises(InputError, match=message) as caught:
        read_framed_log(data, "x.wandb")
    assert caught.value.file == "x.wandb"


def test_header_is_seven_bytes_in_the_first_block():
    assert HEADER == b":W&B\xe1\xbe\x00"
    data = frame([b"z" * (BLOCK - 14)])          # exactly fills block 0 after the header
    assert [kind for _, _, kind in chunks(data)] == [1] and len(data) == BLOCK
