import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "src", "main", "python"))

# The sample videos' ids and splits in the session's job output (a manifest, so that the output is partitioned).
SAMPLE_SPLITS = {"shapes_224x224_vp9.webm": ("shapes_224", "train"),
                 "shapes_320x240_h264.mp4": ("shapes_320", "train"),
                 "shapes_640x360_h264.mp4": ("shapes_640", "val")}


def _run(cmd, log):
    # AUTOGAZE_JAVA_OPTS: C1 only, unless the caller set options; this run of 9 small clips takes seconds, and C2's
    # compiles cost it more than they save (about 8 s against 10.5 s on two cores)
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    env.setdefault("AUTOGAZE_JAVA_OPTS", "-XX:TieredStopAtLevel=1")
    p = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    with open(log, "a", encoding="utf-8") as f:
        f.write("$ " + " ".join(cmd) + "\n" + p.stdout)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout[-4000:]}")


@pytest.fixture(scope="session")
def job_output(tmp_path_factory):
    """OUT of a real run this test session makes with jobs/autogaze: the three sample videos through a manifest
    (splits train/val), patch-diff, --emit-patches, Spark local mode (~25 s). AUTOGAZE_TEST_OUT=DIR reuses an
    output made so."""
    given = os.environ.get("AUTOGAZE_TEST_OUT")
    if given:
        return given
    root = tmp_path_factory.mktemp("job-output")
    videos, out, log = root / "videos", root / "out", root / "commands.log"
    _run([os.path.join(REPO, "jobs", "autogaze"), "make-samples", "--out", str(videos)], log)
    manifest = root / "manifest.csv"
    lines = ["path,video_id,split"] + [f"{videos / name},{vid},{split}" for name, (vid, split) in SAMPLE_SPLITS.items()]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run([os.path.join(REPO, "jobs", "autogaze"), "run", "--master", "local[2]", "--input", str(manifest),
          "--out", str(out), "--gaze-source", "patch-diff", "--emit-patches"], log)
    return str(out)
