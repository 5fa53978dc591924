"""
The notebook in examples/notebook runs headless, clean, in a real Jupyter kernel: Debian's nbconvert executes it
with an ipykernel started from this interpreter (the venv that has the package installed, see build.sh test).
"""

import json
import pathlib
import subprocess
import sys

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parents[2] / "examples" / "notebook").glob("*.ipynb"))


@pytest.fixture
def kernel(tmp_path):
    """A kernel spec for this interpreter, found only through JUPYTER_PATH (nothing installed for the user)."""
    spec = tmp_path / "jupyter" / "kernels" / "iolink-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "iolink test", "language": "python"}))
    return tmp_path / "jupyter"


def test_there_is_a_notebook():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_the_notebook_runs_clean(notebook, kernel, tmp_path):
    env = {"JUPYTER_PATH": str(kernel), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    result = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.kernel_name=iolink-test", "--ExecutePreprocessor.timeout=300",
                             "--output-dir", str(tmp_path), str(notebook)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    executed = json.loads((tmp_path / notebook.name).read_text())
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code)
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert "VectorXu64(128, 96, 48) UINT16 VOLUME" in text
    assert "(28, 36, 48) True" in text
