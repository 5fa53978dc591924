"""iolink imported by an interpreter that is not the IOLink host: a clear ImportError that says how to run it."""

import os
import subprocess

import iolink


def test_plain_python3_is_told_how_to_run_iolink():
    package_parent = os.path.dirname(os.path.dirname(iolink.__file__))
    env = dict(os.environ, PYTHONPATH=package_parent)
    result = subprocess.run(["/usr/bin/python3", "-c", "import iolink"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 1
    assert "ImportError" in result.stderr
    assert "iolink python" in result.stderr
    assert "ModuleNotFoundError: No module named 'clr'" not in result.stderr
