"""Files the user keeps are replaced whole or not at all; unchanged pages are not rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dl4mic_hub.files import write_atomically, write_if_changed


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "new \udc80")  # fails half-way through writing
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json"]


def test_an_atomic_write_creates_folders_and_writes_unix_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "report.md"
    write_atomically(path, "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"


def test_an_unchanged_page_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "page.md"
    assert write_if_changed(path, "text") is True
    os.utime(path, (1, 1))
    assert write_if_changed(path, "text") is False
    assert path.stat().st_mtime == 1  # a watching generator sees no change
    assert write_if_changed(path, "other") is True
    assert path.read_text(encoding="utf-8") == "other"
