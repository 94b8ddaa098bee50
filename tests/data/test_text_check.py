"""The byte-level pass over CSV text (``_bytes.check_text``) read in tiny chunks, so that CRLF
pairs, NUL bytes and long lines fall across chunk boundaries."""

from __future__ import annotations

import pytest

from modelyard.data import _bytes
from modelyard.errors import InvalidInput


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(_bytes, "_CHUNK_BYTES", 3)


@pytest.mark.parametrize(("text", "mixed"), [
    (b"a,b\r\n1,2\r\n3,4\r\n", False),
    (b"a,b\n1,2\n3,4\n", False),
    (b"a,b\r\n1,2\n3,4\r\n", True),
    (b"a,b\n1,2\n3,4\r\n", True),
    (b"ab\r\n\n", True),           # the CRLF pair split across the first two chunks, then a bare LF
    (b"a\rb,c\n1,2\n", False),     # a lone CR inside a line ends no line
], ids=["crlf", "lf", "mixed", "crlf last", "pair across chunks", "lone cr"])
def test_line_endings_mix_only_when_crlf_and_bare_lf_both_end_lines(tmp_path, tiny_chunks, text, mixed):
    path = tmp_path / "t.csv"
    path.write_bytes(text)
    assert _bytes.check_text(path, "t.csv", '"').mixed_endings is mixed


def test_a_nul_byte_in_a_later_chunk_is_named_by_offset_and_line(tmp_path, tiny_chunks):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\r\n3,\x004\n")
    with pytest.raises(InvalidInput, match=r"file 't.csv' holds a NUL byte at byte offset 11 \(line 3\)"):
        _bytes.check_text(path, "t.csv", '"')


def test_the_longest_unquoted_line_is_bounded_across_chunks(tmp_path, tiny_chunks):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1," + b"x" * 20 + b"\n2,y\n")
    assert _bytes.check_text(path, "t.csv", '"').longest_record >= 23
