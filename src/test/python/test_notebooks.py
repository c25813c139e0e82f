"""Every notebook in notebooks/ runs top to bottom on the job output this test session makes (nbclient, a real
IPython kernel), is committed without outputs, and, without an output, stops at its first cell with one sentence."""
import glob
import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import REPO

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))


def execute(path, out, nb=None):
    """The notebook executed in notebooks/ with AUTOGAZE_OUT=out (the kernel inherits this process's environment);
    `nb`, when given, is the notebook object to execute in place (it keeps the outputs if execution raises)."""
    nb = nbformat.read(path, as_version=4) if nb is None else nb
    # SPARSE_MAE_STEPS: the training notebook trains 20 steps here, not its default 300 (this test is about the
    # notebook running top to bottom; test_sparse_mae shows the loss falling)
    settings = {"AUTOGAZE_OUT": out, "SPARSE_MAE_STEPS": "20"}
    old = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": os.path.dirname(path)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                del os.environ[k]
            else:
                os.environ[k] = v
    return nb


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == kind]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_the_notebook_runs_top_to_bottom_on_a_job_output(path, job_output):
    nb = execute(path, job_output)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert outputs(nb, "error") == []
    # the first cell shows the folder it reads, so a run on another output is visible in the notebook itself
    first = code[0].outputs[0]["data"]["text/plain"]
    assert os.path.basename(job_output) in first
    assert code[-1].outputs, "the last cell shows something"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_the_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"{os.path.basename(path)} cell {i} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_without_an_output_the_notebook_stops_with_one_sentence(path, tmp_path):
    missing = str(tmp_path / "no-such-output")
    nb = nbformat.read(path, as_version=4)
    with pytest.raises(CellExecutionError) as e:
        execute(path, missing, nb)
    sentence = (f"No autogaze output at {missing}: run jobs/run-local (it writes target/run-local) or set "
                "AUTOGAZE_OUT to an output folder.")
    assert (e.value.ename, e.value.evalue) == ("MissingOutput", sentence)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for o in code[0].outputs if o.output_type == "error"]
    # what Jupyter shows is that sentence alone: no traceback, no FileNotFoundError; no later cell ran
    assert [o.traceback for o in errors] == [[f"MissingOutput: {sentence}"]]
    assert all(c.execution_count is None for c in code[1:])
