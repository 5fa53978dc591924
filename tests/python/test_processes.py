"""
Worker processes: after .NET has started, os.fork() raises at once with what to do (a forked child running .NET code
would crash, and could crash its parent); multiprocessing pools with spawn and forkserver work. Each case runs a
real plain python3 with the package installed as the wheel lays it out.
"""

import textwrap

import pytest

from conftest import run_plain

POOL_SCRIPT = textwrap.dedent("""
    import multiprocessing
    import sys

    import numpy as np

    import iolink


    def column_sum(seed):
        a = np.arange(12, dtype=np.uint16).reshape(3, 4) + seed
        view = iolink.NumpyInterop.from_numpy_array(a, iolink.ImageTypeId.IMAGE)
        back = iolink.NumpyInterop.to_numpy_array(view)
        return int(back.sum()), str(view.shape())


    if __name__ == "__main__":
        method = sys.argv[1]
        with multiprocessing.get_context(method).Pool(2) as pool:
            print(pool.map(column_sum, range(4)))
    """)


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_a_pool_started_with_spawn_or_forkserver_runs_iolink_in_its_workers(installed, tmp_path, method):
    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT)
    result = run_plain(script, installed.parent, method)
    assert result.returncode == 0, result.stderr
    expected = [(66 + 12 * seed, "VectorXu64(4, 3)") for seed in range(4)]
    assert result.stdout.strip() == str(expected)


def test_a_fork_pool_fails_at_once_in_the_parent_with_what_to_do(installed, tmp_path):
    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT)
    result = run_plain(script, installed.parent, "fork")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: os.fork() is not safe in a process where iolink has started .NET")
    assert "multiprocessing.set_start_method('spawn')" in last


def test_os_fork_raises_and_subprocess_still_works(installed):
    result = run_plain(textwrap.dedent("""
        import os, subprocess, sys
        import iolink
        try:
            os.fork()
        except RuntimeError as e:
            print("refused", "spawn" in str(e))
        try:
            os.forkpty()
        except RuntimeError as e:
            print("refused", str(e).startswith("os.forkpty()"))
        print(subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True).stdout.strip())
        print(os.fork.__wrapped__ is not None)
        """), installed.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["refused True", "refused True", "42", "True"]


def test_the_default_start_method_of_linux_is_refused_loudly_not_crashed(installed, tmp_path):
    # Python 3.11 on Linux defaults to fork: a plain Pool() must be the clear error, not a crash or a hang.
    result = run_plain(textwrap.dedent("""
        import multiprocessing
        import iolink
        if __name__ == "__main__":
            try:
                multiprocessing.Pool(2)
            except RuntimeError as e:
                print(str(e).split(":")[0])
        """), installed.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "os.fork() is not safe in a process where iolink has started .NET"
