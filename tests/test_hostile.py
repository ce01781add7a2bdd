"""Heavy and hostile inputs (issue 24): memory bounded per source whatever a file inflates to,
exit codes a scheduler can act on, nothing dropped silently.

Memory ceilings are measured, not assumed: the case runs in a fresh Python that reports its own
peak resident size (tests/hostile_inputs.py: peak_mb_of). Inputs are generated here.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.__main__ import EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_OK, main
from tests.conftest import ROOT, make_repo_copy
from tests.hostile_inputs import peak_mb_of, text_pdf, write_docx, yaml_alias_bomb
from tests.test_bad_inputs import TINY, copy_project, tree_hashes


@pytest.fixture()
def project(tiny_built: Path, tmp_path: Path) -> Path:
    return copy_project(tiny_built, tmp_path / "p", cache=True)


@pytest.fixture()
def fresh(tmp_path: Path) -> Path:
    """The tiny project's inputs, never built (for `check`, which reads every source)."""
    shutil.copytree(TINY / "inputs", tmp_path / "inputs")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


CHECK = "import sys\nfrom pipeline.__main__ import main\nsys.exit(main(['check', '--root', {root!r}]))"


# --------------------------------------------------------------------------- memory per source


def test_a_long_text_pdf_is_read_page_by_page_in_bounded_memory(tmp_path: Path) -> None:
    """pdfplumber caches every character of each page it has read (about 8 MB a page): 60 pages
    cost over 450 MB before the reader closed each page. Closed, the peak stays flat."""
    path = tmp_path / "report.pdf"
    path.write_bytes(text_pdf(60))
    code = ("from pathlib import Path\nfrom pipeline.readers import read\n"
            f"r = read(Path({str(path)!r}), Path({str(path)!r}).read_bytes())\n"
            "print(len(r.text), 'Item 6035:' in r.text, 'Item 105:' in r.text)")
    peak, _seconds, result = peak_mb_of(code, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == ["True", "True"]      # first and last page both read
    assert peak < 200, f"peak {peak:.0f} MB reading a 60-page PDF"


def test_a_docx_that_inflates_past_the_limit_is_refused_before_inflating(fresh: Path) -> None:
    """A 0.7 MB .docx whose XML unzips to 200 MB: refused from the zip's directory, in a
    second or two and well under 300 MB, naming the file and the fix."""
    docx = write_docx(fresh / "inputs/sources/inflates.docx", inflated_mb=200)
    assert docx.stat().st_size < 1024 * 1024
    peak, seconds, result = peak_mb_of(CHECK.format(root=str(fresh)), cwd=fresh)
    assert result.returncode == EXIT_INPUT, result.stderr
    assert "inputs/sources/inflates.docx: unzips to 200." in result.stderr
    assert "over the 20 MB limit (max_source_mb)" in result.stderr
    assert "fix: split it into smaller files" in result.stderr
    assert "Traceback" not in result.stderr
    assert seconds < 10 and peak < 300, (seconds, peak)


@pytest.mark.parametrize(("kind", "said"), [
    ("node", "its XML is too large (Resource limit exceeded: Text node too long"),
    ("malformed", "its XML is broken (Opening and ending tag mismatch"),
])
def test_a_docx_with_broken_or_oversized_xml_is_bad_input(fresh: Path, capsys: pytest.CaptureFixture[str],
                                                         kind: str, said: str) -> None:
    path = fresh / "inputs/sources/memo.docx"
    if kind == "node":
        write_docx(path, node_mb=11)           # under max_source_mb, over libxml2's 10 MB per node
    else:
        write_docx(path, body=b"<w:p><w:r><w:t>unclosed</w:r></w:p>")
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_INPUT
    assert f"memo.docx: cannot be read as a Word .docx document: {said}" in text
    assert "Traceback" not in text and "bug" not in text


def test_a_yaml_alias_bomb_is_refused_by_its_expanded_size(fresh: Path) -> None:
    """1 MB of text referred to 3,000 times: 3 GB once expanded; refused from the parsed nodes,
    before anything is constructed."""
    (fresh / "inputs/sources/harbour-talks.yaml").write_text(yaml_alias_bomb(1, 3000))
    peak, _seconds, result = peak_mb_of(CHECK.format(root=str(fresh)), cwd=fresh)
    assert result.returncode == EXIT_INPUT, result.stderr
    assert ("inputs/sources/harbour-talks.yaml:3: more than 5 MB of text once YAML aliases (*name) "
            "are expanded") in result.stderr
    assert peak < 300, peak


def test_aliases_of_short_values_still_load(tmp_path: Path) -> None:
    from pipeline.inputs import read_yaml

    path = tmp_path / "aliases.yaml"
    path.write_text("base: &b {name: Harbour Talks, note: " + "x" * 1000 + "}\n"
                    + "".join(f"copy{i}: *b\n" for i in range(1000)))      # 1 MB expanded: fine
    data, _lines = read_yaml(path)
    assert data["copy999"]["name"] == "Harbour Talks" and len(data) == 1001


# --------------------------------------------------------------------------- nothing silent


def test_a_broken_pdf_page_is_named_in_a_warning(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fresh / "inputs/sources/report.pdf").write_bytes(text_pdf(4, lines=6, broken=(3,)))
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_OK, text
    assert ("inputs/sources/report.pdf: page 3 could not be read (a corrupt content stream?): "
            "text missing") in text


def test_an_encrypted_pdf_is_called_password_protected(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(text_pdf(1, lines=3))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    (fresh / "inputs/sources/locked.pdf").write_bytes(buf.getvalue())
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_INPUT
    assert "locked.pdf: the PDF is password-protected" in text
    assert "without one" in text


def test_hidden_files_are_skipped_and_named(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fresh / "inputs/sources/.notes.txt").write_text("Hidden notes\n\nNot a source.\n")
    (fresh / "inputs/sources/.DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_OK, text
    assert ("inputs/sources: skipped 2 hidden files (names starting with '.' are never sources): "
            ".DS_Store, .notes.txt") in text


# --------------------------------------------------------------------------- file names


def test_a_255_character_file_name_builds_under_a_derived_id(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its sidecar's name would be too long to exist (ENAMETOOLONG); its id is shortened so
    output/sources/<id>.txt and review/<id>.yaml fit too."""
    name = "a" * 251 + ".txt"
    assert len(name) == 255
    (fresh / "inputs/sources" / name).write_text("Long name\n\nThe harbour talks went on.\n")
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_OK, text
    assert f"{name}: builds as source '{'a' * 60}'" in text


def test_bidi_characters_of_a_file_name_are_escaped_wherever_it_is_shown() -> None:
    from pipeline.errors import display_path, safe_name

    assert safe_name("report\u202etxt.exe") == "report\\u202etxt.exe"
    assert "\u2067" not in display_path("inputs/sources/a\u2067b.txt")


# --------------------------------------------------------------------------- exit codes


def test_a_full_disk_exits_74_naming_the_path_and_leaves_nothing(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import pipeline.publish as pub

    (project / "inputs/sources/harbour-talks.txt").write_text(
        (project / "inputs/sources/harbour-talks.txt").read_text() + "\nOne more line.\n")
    before = tree_hashes(project / "output")
    real = pub._write

    def full(path: Path, data: bytes) -> None:
        if path.name == "passages.csv":
            path.write_bytes(data[:10])           # part written, then the disk fills
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(pub, "_write", full)
    code, text = run(capsys, "build", "--root", str(project))
    assert code == EXIT_ENVIRONMENT == 74
    assert "error: the environment failed (not the inputs, not a bug); output/ was not changed." in text
    assert "No space left on device" in text and "passages.csv" in text
    assert "fix: free some space on the disk" in text
    assert "bug" not in text.replace("not a bug", "") and "Traceback" not in text
    assert tree_hashes(project / "output") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


def test_any_environment_oserror_is_74_and_others_stay_bugs() -> None:
    from pipeline.errors import EnvironmentFault

    fault = EnvironmentFault.of(OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300))
    assert fault is not None and "shorten the name" in str(fault)
    assert EnvironmentFault.of(OSError(errno.EACCES, "Permission denied", "/srv/out")) is not None
    assert EnvironmentFault.of(FileNotFoundError(errno.ENOENT, "No such file", "x")) is None
    assert EnvironmentFault.of(ValueError("x")) is None


def test_a_read_only_output_is_refused_with_74_and_left_alone(project: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "output"
    (project / "inputs/sources/harbour-talks.txt").write_text(
        (project / "inputs/sources/harbour-talks.txt").read_text() + "\nOne more line.\n")
    before = tree_hashes(out)
    mode = out.stat().st_mode
    out.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        code, text = run(capsys, "build", "--root", str(project))
    finally:
        out.chmod(mode)
    assert code == EXIT_ENVIRONMENT
    assert "output: output folder is read-only; it was left as it is" in text
    assert "chmod u+w output" in text
    assert tree_hashes(out) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


# --------------------------------------------------------------------------- make and cron

needs_make = pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists() or shutil.which("make") is None,
                                reason="needs the .venv that `make` sets up")


@needs_make
def test_make_keeps_the_manifest_when_interrupted_and_prints_the_pipelines_code(tmp_path: Path) -> None:
    """make deletes a target whose recipe it interrupted: a kill just after output/ was swapped
    in used to remove the new manifest. A stand-in pipeline writes the manifest, then waits."""
    repo = make_repo_copy(tmp_path)
    fake = tmp_path / "fake-briefing"
    fake.write_text("#!/bin/sh\necho '{\"build_id\": \"new\"}' > output/manifest.json\nsleep 30\n")
    fake.chmod(0o755)
    proc = subprocess.Popen(["make", f"BRIEFING={fake}"], cwd=repo, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.time() + 60
    while not (repo / "output/manifest.json").exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)          # as a terminal's Ctrl-C or a job's timeout would
    out, _ = proc.communicate(timeout=30)
    assert "Deleting file" not in out
    assert (repo / "output/manifest.json").read_text().strip() == '{"build_id": "new"}'

    fake.write_text("#!/bin/sh\nexit 75\n")
    result = subprocess.run(["make", "build", f"BRIEFING={fake}"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 2
    assert "make: briefing build exited 75" in result.stderr


SYSDEPS = ROOT / "scripts" / "system-deps.sh"


def _libraries_present() -> bool:
    ldconfig = shutil.which("ldconfig") or "/usr/sbin/ldconfig"
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return all(lib in listing for lib in ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0"))


@pytest.mark.skipif(not _libraries_present(), reason="needs the system libraries installed")
def test_system_check_under_crons_path_runs_no_apt(tmp_path: Path) -> None:
    """`env -i PATH=/usr/bin:/bin`: no ldconfig on PATH (it is in /usr/sbin). An apt-get that
    records its calls comes first on PATH: it must not be called."""
    fakebin = tmp_path / "bin"
    fakebin.mkdir()
    calls = tmp_path / "apt-calls"
    (fakebin / "apt-get").write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\nexit 1\n")
    (fakebin / "apt-get").chmod(0o755)
    result = subprocess.run(["env", "-i", f"PATH={fakebin}:/usr/bin:/bin", "bash", str(SYSDEPS)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not calls.exists(), calls.read_text()
    assert "missing" not in result.stderr


def _hold_lock(lock: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c",
                               "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\n"
                               "fcntl.lockf(f, fcntl.LOCK_EX)\nprint('held', flush=True)\n"
                               f"time.sleep({seconds})", str(lock)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.stdout.close()
    return holder


def test_system_check_waits_for_the_apt_lock(tmp_path: Path) -> None:
    """Another apt or dpkg (an unattended upgrade) holds its lock: the check waits, saying so,
    instead of failing; past the limit it stops with what to do."""
    lock = tmp_path / "lock-frontend"
    lock.touch()
    env = {**os.environ, "BRIEFING_DPKG_LOCKS": str(lock), "BRIEFING_APT_WAIT": "60"}
    holder = _hold_lock(lock, 3)
    t0 = time.perf_counter()
    result = subprocess.run(["bash", str(SYSDEPS), "--wait-for-apt"], env=env, capture_output=True,
                            text=True, timeout=60)
    holder.wait()
    assert result.returncode == 0 and time.perf_counter() - t0 >= 1
    assert "waiting for another apt or dpkg to finish" in result.stderr

    holder = _hold_lock(lock, 8)
    result = subprocess.run(["bash", str(SYSDEPS), "--wait-for-apt"], capture_output=True, text=True,
                            env={**env, "BRIEFING_APT_WAIT": "2"}, timeout=60)
    holder.kill()
    holder.wait()
    assert result.returncode == 1
    assert "still holds its lock after 2 s" in result.stderr


def test_loading_the_renderer_runs_no_compiler() -> None:
    """WeasyPrint's library names went through ctypes.util.find_library, which runs ldconfig and
    gcc (ten gcc runs per build, and temporary files left when a build stopped it)."""
    code = ("import subprocess\ncalls = []\nreal = subprocess.Popen.__init__\n"
            "def spy(self, *a, **k):\n    calls.append(a[0])\n    return real(self, *a, **k)\n"
            "subprocess.Popen.__init__ = spy\nimport pipeline.render.host\nimport pipeline.publish as p\n"
            "from pathlib import Path\np._exchange(Path('/nonexistent-a'), Path('/nonexistent-b'))\n"
            "print(calls)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- smaller items


def test_a_one_letter_quote_lists_each_paragraph_once_and_only_a_few() -> None:
    import pandas as pd

    from pipeline.review.quotes import NormalisedText, QuoteNotFound

    paragraphs = [f"Para {i} has a and a and a in it." for i in range(1, 31)]
    text = "\n\n".join(paragraphs)
    starts, pos = [], 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + 2
    passages = pd.DataFrame({"passage_id": [f"s:p{i:03d}" for i in range(1, 31)], "char_start": starts,
                             "char_end": [s + len(p) for s, p in zip(starts, paragraphs, strict=True)],
                             "text": paragraphs})
    with pytest.raises(QuoteNotFound) as err:
        NormalisedText(text, passages).locate("a")
    assert str(err.value) == "the quote occurs 240 times (paragraphs 1, 2, 3, 4, 5, 6, 7, 8 and 22 more)"


def test_markdown_script_and_style_bodies_are_not_text() -> None:
    from pipeline.readers.markdown import blocks_of

    blocks = blocks_of("# Talks\n\n<script>\nsteal(document.cookie)\n</script>\n\n"
                       "Before <script>evil()</script> after.\n\n<style>p { color: red }</style>\n\n"
                       "<div>kept <b>words</b></div>\n")
    text = " ".join(t for _k, t in blocks)
    assert "steal" not in text and "evil" not in text and "color" not in text
    assert "Before" in text and "after." in text and "kept" in text and "words" in text


PARAS = "".join(f"<p>Paragraph {i}: the delegation said talks on the framework would resume after the "
                "ceasefire line was mapped and agreed by both sides.</p>" for i in range(1, 7))
LATER = "".join(f"<p>Later paragraph {i}: monitors agreed a schedule for the exchange of prisoners and "
                "the opening of the corridor.</p>" for i in range(1, 7))


@pytest.mark.parametrize(("middle", "lost"), [
    ('<embed src="clip.swf" type="application/x-shockwave-flash">', ""),
    ("<div>" * 300 + "<p>Deep paragraph that matters to the reader.</p>" + "</div>" * 300, ""),
    ("<div>" * 2100 + "<p>Deep paragraph that matters to the reader.</p>" + "</div>" * 2100,
     "nested deeper than 2048 levels"),
])
def test_html_text_after_an_embed_or_deep_nesting_is_kept(tmp_path: Path, middle: str, lost: str) -> None:
    """An unclosed <embed> swallowed every paragraph after it; nesting past libxml2's 256 levels
    dropped the rest of the page. Both are kept now; past 2048 levels the loss is a warning."""
    from pipeline.readers import read

    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>Talks resume | Gazette</title></head><body><article>"
                    f"<h1>Talks resume</h1>{PARAS}{middle}{LATER}</article></body></html>")
    reading = read(path, path.read_bytes())
    assert "Paragraph 1:" in reading.text
    if lost:        # past libxml2's hard limit the rest cannot be read: said, not silent
        assert any(lost in w for w in reading.lost)
    else:
        assert reading.lost == () and "Later paragraph 6" in reading.text
        assert "Deep" not in middle or "Deep paragraph that matters" in reading.text


def test_utf16_is_named_with_how_to_resave(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fresh / "inputs/sources/notes.txt").write_bytes("Notes\n\nThe talks went on.\n".encode("utf-16"))
    (fresh / "inputs/sources/notes-le.txt").write_bytes("Notes\n\nThe talks went on.\n".encode("utf-16-le"))
    code, text = run(capsys, "check", "--root", str(fresh))
    assert code == EXIT_INPUT
    assert "notes.txt: the file is UTF-16 text (what Windows calls 'Unicode'), not UTF-8" in text
    assert "notes-le.txt: the file is UTF-16 (little-endian) text" in text
    assert "Encoding: UTF-8" in text and "NUL" not in text


def test_a_utf8_byte_order_mark_stays_out_of_the_title(fresh: Path) -> None:
    from pipeline.inputs import load_inputs

    (fresh / "inputs/sources/marked.txt").write_bytes(b"\xef\xbb\xbfMarked title\r\n\r\nThe talks went on.\r\n")
    inputs = load_inputs(fresh / "inputs")
    source = next(s for s in inputs.sources if s.id == "marked")
    assert source.text.startswith("Marked title\n")


def test_scratch_folders_of_killed_builds_are_swept(tmp_path: Path) -> None:
    from pipeline.render.stage import sweep_scratch

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                   # a pid that was a build and is gone
    stale = tmp_path / f"briefing-render-{dead.pid}-abc"
    (stale / "briefing-part-x").mkdir(parents=True)
    (stale / "briefing-part-x" / "font.ttf").write_bytes(b"x")
    alive = tmp_path / f"briefing-render-{os.getpid()}-def"     # a running build's: kept
    alive.mkdir()
    other = tmp_path / "briefing-render-unrelated"
    other.mkdir()
    sweep_scratch(tmp_path)
    assert not stale.exists() and alive.exists() and other.exists()


def test_a_full_disk_in_the_render_host_is_an_environment_fault() -> None:
    from pipeline.errors import EnvironmentFault
    from pipeline.render.stage import environment_fault

    text = ("Traceback (most recent call last):\n  File \"worker.py\", line 80, in render_part\n"
            "OSError: [Errno 28] No space left on device: '/tmp/briefing-render-1-x/f.ttf'\n")
    fault = EnvironmentFault.of(environment_fault(text))
    assert fault is not None and "/tmp/briefing-render-1-x/f.ttf: No space left on device" in str(fault)
    assert environment_fault("Traceback ...\nKeyError: 'x'\n") is None
    assert environment_fault("OSError: [Errno 2] No such file or directory: 'x'\n") is None
