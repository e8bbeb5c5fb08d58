"""Files the user keeps are replaced whole or not at all; unchanged pages are not rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dl4mic_hub.files import unwritable_reason, write_atomically, write_if_changed


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


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_atomic_write_keeps_permissions_as_a_plain_write_would(tmp_path: Path) -> None:
    # Reports, caches, histories and drafts came out 0600 (the temporary file's), whatever the
    # umask, and a shared 0664 report lost its group's access when written again.
    for umask in (0o022, 0o077):  # the umask at the time of writing, as for open()
        before = os.umask(umask)
        try:
            new = tmp_path / f"report-{umask:o}.json"
            write_atomically(new, "{}")
        finally:
            os.umask(before)
        assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    shared = tmp_path / "shared.json"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    # a group other than ours the file may have: root may give any; others, one of theirs
    group = 100 if os.geteuid() == 0 else next(
        (g for g in os.getgroups() if g != os.getegid()), None)
    if group is not None:
        os.chown(shared, -1, group)
    write_atomically(shared, "new")
    assert shared.stat().st_mode & 0o777 == 0o664
    if group is not None:  # the group that shares it keeps it
        assert shared.stat().st_gid == group


def test_an_unchanged_page_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "page.md"
    assert write_if_changed(path, "text") is True
    os.utime(path, (1, 1))
    assert write_if_changed(path, "text") is False
    assert path.stat().st_mtime == 1  # a watching generator sees no change
    assert write_if_changed(path, "other") is True
    assert path.read_text(encoding="utf-8") == "other"


@pytest.mark.parametrize(
    ("path", "folder", "reason"),
    [
        ("new/report.json", False, None),
        ("notes.txt", False, None),  # an existing file is replaced: that is what was asked
        ("notes.txt/report.json", False, "notes.txt is a file, not a folder"),
        ("notes.txt/a/b/report.json", False, "notes.txt is a file, not a folder"),
        ("folder", False, "it is a folder, not a file"),
        ("folder", True, None),
        ("notes.txt", True, "it is a file, not a folder"),
        ("notes.txt/site", True, "notes.txt is a file, not a folder"),
        ("list.txt", False, "it is also list.txt, which this command reads"),
        ("./folder/../list.txt", False, "it is also list.txt, which this command reads"),
    ],
)
def test_a_path_that_cannot_take_the_output_is_found_before_any_work(
    path: str, folder: bool, reason: str | None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("mine", encoding="utf-8")
    Path("list.txt").write_text("https://example.org/", encoding="utf-8")
    Path("folder").mkdir()
    assert unwritable_reason(Path(path), folder=folder, inputs=[None, Path("list.txt")]) == reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "list.txt", "notes.txt"]


@pytest.mark.parametrize("name", [
    "r" * 250 + ".md",  # its temporary file's name once exceeded the limit
    "\N{GRINNING FACE}" * 62 + ".md",  # 251 bytes in letters of four: the file system takes it
], ids=["ascii", "four-byte-letters"])
def test_a_long_name_the_file_system_takes_can_be_written(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_atomically(path, "report")
    assert path.read_text(encoding="utf-8") == "report"


def test_a_probe_finds_what_the_system_refuses_before_any_work(tmp_path: Path) -> None:
    proc = Path("/proc")  # a file system that creates no file, whoever runs the tests
    if not proc.is_dir():
        pytest.skip("no /proc here")
    reason = unwritable_reason(proc / "report.md")
    assert reason is not None and reason.startswith("the system refuses to create a file in")
    assert unwritable_reason(tmp_path / "new" / "report.md") is None
    assert list(tmp_path.iterdir()) == []  # the probe left nothing
