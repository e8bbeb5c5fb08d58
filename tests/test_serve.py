"""serve: a live preview that builds again, once, when a watched file changes.

The tests follow the preview's own report of what it does (one line per build, and "waiting for
changes" once nothing is pending), so they wait for events, never for a fixed time.
"""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.fakeweb import free_port

ROOT = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "fixtures" / "render" / "small"
IDLE = "serve: waiting for changes"
NO_PAGE_CHANGED = "serve: no page changed"
BUILT = re.compile(r"^serve: build (\d+) done in [\d.]+ s$")

pytestmark = pytest.mark.build


class Preview:
    """A running `dl4mic-hub serve` and the lines it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, project: Path) -> None:
        self.proc, self.url, self.project = proc, url, project
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until_idle(self, timeout: float = 120) -> list[str]:
        """The lines printed until the preview next reports that nothing is pending."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"never idle; printed: {got}") from None
            if line is None:
                raise AssertionError(f"serve stopped; printed: {got}")
            self.seen.append(line)
            if line == IDLE:
                return got
            got.append(line)

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        rest = []
        while (line := self.lines.get(timeout=10)) is not None:
            rest.append(line)
        return "\n".join([*self.seen, *rest])


def builds(lines: list[str]) -> int:
    return sum(1 for line in lines if BUILT.match(line))


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Preview]]:
    started: list[Preview] = []

    def start(*options: str) -> Preview:
        shutil.copyfile(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
        shutil.copytree(SMALL, tmp_path / "catalogue")
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "dl4mic_hub.cli", "serve", "--dev-addr", f"127.0.0.1:{port}",
             "--lang", "en", *options],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        started.append(Preview(proc, f"http://127.0.0.1:{port}/en/", tmp_path))
        return started[-1]

    yield start
    for preview in started:
        if preview.proc.poll() is None:
            preview.proc.kill()
            preview.proc.wait()
        preview.reader.join(timeout=30)


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_one_edit_gives_one_build_and_a_broken_file_keeps_the_last_pages(
        serve: Callable[..., Preview], generator: str) -> None:
    preview = serve("--generator", generator)
    start = preview.until_idle()
    assert builds(start) == 1, start
    assert any(line.startswith("en: ") for line in start), "the generator's lines are shown"
    page = preview.page("resources/alpha-tool/")
    assert "Alpha Screen" in page and "A segmentation tool" in page
    assert "/__dl4mic-hub/reload.js" in page  # open pages reload after a build

    entry = preview.project / "catalogue" / "resources" / "alpha-tool.yml"
    entry.write_text(entry.read_text().replace("Alpha Screen", "Alpha Screen Two"),
                     encoding="utf-8")
    after_edit = preview.until_idle()
    assert builds(after_edit) == 1, after_edit
    assert "Alpha Screen Two" in preview.page("resources/alpha-tool/")

    # A broken file: the errors are printed, nothing is built, the last good pages stay.
    entry.write_text(entry.read_text().replace("kind: tool", "kind: [tool"), encoding="utf-8")
    after_break = preview.until_idle()
    assert builds(after_break) == 0, after_break
    assert any(re.match(r"\S*alpha-tool\.yml:\d+:\d+: error: ", line) for line in after_break)
    assert "serve: the catalogue has errors: showing the last good pages" in after_break
    assert "Alpha Screen Two" in preview.page("resources/alpha-tool/")
    output = preview.stop()
    assert "Traceback" not in output


def test_overrides_rebuild_without_a_render_and_the_address_is_checked_first(
        serve: Callable[..., Preview]) -> None:
    preview = serve()
    preview.until_idle()
    root = preview.url.removesuffix("en/")
    with urllib.request.urlopen(root, timeout=10) as response:
        assert response.url == preview.url  # the root sends to the language served
    with pytest.raises(urllib.error.HTTPError):
        preview.page("no-such-page/")
    # Structured data name the served address, as the canonical links do.
    entry = f"{preview.url}resources/alpha-tool/"
    page = preview.page("resources/alpha-tool/")
    assert f'<link rel="canonical" href="{entry}">' in page and f'"@id":"{entry}"' in page

    css = preview.project / "overrides" / "assets" / "stylesheets" / "dl4mic.css"
    css.write_text(css.read_text() + "\n.dl4mic-test-marker { color: red; }\n", encoding="utf-8")
    lines = preview.until_idle()
    assert builds(lines) == 1, lines
    # A render ends with one of these two lines, whether pages changed or not.
    rendered = [line for line in lines if "generated page(s) changed" in line
                or line == NO_PAGE_CHANGED]
    assert rendered == [], "the catalogue was rendered"
    assert "dl4mic-test-marker" in preview.page("assets/stylesheets/dl4mic.css")
    # A file that changes nothing in the pages (an editor's backup, say) builds nothing.
    (preview.project / "catalogue" / "notes.txt").write_text("draft\n", encoding="utf-8")
    lines = preview.until_idle()
    assert builds(lines) == 0 and NO_PAGE_CHANGED in lines, lines

    # A second preview on the same address stops at once, before building anything.
    port = preview.url.split(":")[2].split("/")[0]
    second = subprocess.run(
        [sys.executable, "-m", "dl4mic_hub.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=preview.project, capture_output=True, text=True, timeout=120, check=False,
    )
    assert second.returncode == 2, second.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in second.stderr
    assert f"(hint: choose another port, e.g. --dev-addr 127.0.0.1:{int(port) + 1})" \
        in second.stderr
    assert "Traceback" not in second.stderr and "building" not in second.stderr
    assert "Traceback" not in preview.stop()


def test_an_address_this_machine_does_not_have_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # --dev-addr 8.8.8.8:80 was told to choose another port
    from dl4mic_hub.cli import main

    shutil.copytree(SMALL, tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path)
    code = main(["serve", "--catalogue", "catalogue", "--config", str(ROOT / "mkdocs.yml"),
                 "--dev-addr", "192.0.2.1:8765"])  # TEST-NET-1: never an address of ours
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("--dev-addr:1:1: error: cannot serve on 192.0.2.1:8765: ")
    assert "(hint: use an address of this machine, e.g. --dev-addr 127.0.0.1:8765)" in err
    assert not (tmp_path / "build").exists()  # nothing built
