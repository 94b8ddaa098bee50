"""Code snapshots: reproducible, honouring .gitignore and .amlignore, safe to unpack."""

import io
import tarfile
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput
from modelyard._snapshot import digest, files_to_pack, pack, unpack


def test_ignore_files_are_honoured_and_the_archive_is_reproducible(tmp_path: Path):
    code = tmp_path / "code"
    (code / "data").mkdir(parents=True)
    (code / "__pycache__").mkdir()
    (code / "train.py").write_text("print(1)")
    (code / "data" / "big.csv").write_text("x")
    (code / "notes.tmp").write_text("x")
    (code / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"x")
    (code / ".gitignore").write_text("*.tmp\n")
    (code / ".amlignore").write_text("data/\n")
    assert sorted(name for name, _ in files_to_pack(code)) == [".amlignore", ".gitignore", "train.py"]
    assert digest(pack(code)) == digest(pack(code))
    unpack_to = tmp_path / "out"
    archive = tmp_path / "code.tar.gz"
    archive.write_bytes(pack(code))
    unpack(archive, unpack_to)
    assert (unpack_to / "train.py").read_text() == "print(1)"


def test_an_archive_escaping_its_folder_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    evil = tmp_path / "evil.tar.gz"
    evil.write_bytes(buffer.getvalue())
    with pytest.raises(InvalidInput, match="inside the snapshot"):
        unpack(evil, tmp_path / "target")
    assert not (tmp_path / "escape.txt").exists()
