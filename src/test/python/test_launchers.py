"""The scripts a newcomer runs first: --help shows the usage comment and nothing of the script's code; the launcher's
output has no JVM incubator note and no terminal escape codes; a run that fails validation says one line and makes
no output folder."""
import os
import subprocess

import pytest

from conftest import REPO


def run(*args):
    p = subprocess.run([os.path.join(REPO, "jobs", args[0]), *args[1:]], cwd=REPO, capture_output=True, text=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize("script,first", [("run-local", "The README's main command"),
                                          ("submit", "spark-submit the shaded application jar")])
def test_help_prints_the_usage_comment_only(script, first):
    code, out, err = run(script, "--help")
    assert code == 0, err
    assert out.splitlines()[0].startswith(first), out
    assert "set -euo pipefail" not in out and "root=" not in out, out
    assert not any(line.startswith("#") for line in out.splitlines()), out


def test_the_launcher_prints_neither_the_incubator_note_nor_escape_codes():
    code, out, err = run("autogaze", "--help")
    assert code == 0, err
    assert out.startswith("Usage: autogaze"), out
    assert "incubator" not in err and "\x1b[" not in out + err, err


def test_a_run_that_fails_validation_says_one_line_and_makes_no_output_folder(tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run("autogaze", "run", "--input", str(tmp_path / "no-videos"), "--out", str(out))
    assert code == 2
    assert err.splitlines() == [f"autogaze run: --input {tmp_path / 'no-videos'}: File {tmp_path / 'no-videos'} "
                                "does not exist"], err
    assert stdout == ""
    assert not out.exists()
