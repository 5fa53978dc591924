namespace IOLink.Cli.Tests;

/// <summary>`demo` and `python`: the walkthrough and the Python host, with and without the libraries they need.</summary>
public sealed partial class CliTests
{
    [Fact]
    public async Task Demo_WithAMissingLibrary_SaysWhatIsWrong_NotThatNumpyIsMissing()
    {
        var missing = Path.Combine(_dir, "no-libpython.so");
        var (code, output, error) = await Host(null, new Dictionary<string, string> { ["PYTHONNET_PYDLL"] = missing }, "demo");
        Assert.Equal(0, code);
        Assert.Contains($"skipped: PYTHONNET_PYDLL names '{missing}', which does not exist", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no CPython with NumPy", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_WithAMissingLibrary_SaysWhatIsMissing()
    {
        // Python starts once per process, so this runs the tool as a child process with a bad PYTHONNET_PYDLL.
        var missing = Path.Combine(_dir, "no-libpython.so");
        var (code, stdout, error) = await Host(null, new Dictionary<string, string> { ["PYTHONNET_PYDLL"] = missing }, "python", "-c", "print(1)");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains($"PYTHONNET_PYDLL names '{missing}', which does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonHost_PassesArgumentsAndTheExitCodeThrough()
    {
        System.IO.File.WriteAllText(File("script.py"), "import sys, iolink\nprint(sys.argv[1:], iolink.VectorXu64(2, 3))\nsys.exit(3)\n");
        var (code, output, _) = await Host(null, "python", File("script.py"), "a", "--b");
        Assert.Equal(3, code);
        Assert.Equal("['a', '--b'] VectorXu64(2, 3)\n", output);

        System.IO.File.WriteAllText(File("mod.py"), "import sys\nprint('module', sys.argv[1:])\n");
        (code, output, _) = await Host(null, "python", "-m", "mod", "x");
        Assert.Equal(0, code);
        Assert.Equal("module ['x']\n", output);

        (code, output, _) = await Host("import sys; print('stdin', sys.argv[1:]); sys.exit(2**40)", "python", "-", "y");
        Assert.Equal(0, code);
        Assert.Equal("stdin ['y']\n", output);

        // A script piped in with nothing to run is read as python3 reads it: no banner, no prompts.
        (code, output, var error) = await Host("print(1 + 1)\nprint('done')\n", "python");
        Assert.Equal(0, code);
        Assert.Equal("2\ndone\n", output);
        Assert.DoesNotContain(">>>", output + error, StringComparison.Ordinal);

        // The help ends its last line, as every help text does.
        (code, output, _) = await Host(null, "python", "--help");
        Assert.Equal(0, code);
        Assert.EndsWith("printed as Python prints it.\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonHost_PrintsTracebacksAsPythonDoes()
    {
        var (code, output, error) = await Host(null, "python", "-c", "def f():\n    1/0\nf()");
        Assert.Equal(1, code);
        Assert.Empty(output);
        var lines = error.TrimEnd().Split('\n');
        Assert.Equal("Traceback (most recent call last):", lines[0]);
        Assert.Equal("  File \"<string>\", line 3, in <module>", lines[1]);
        Assert.Equal("ZeroDivisionError: division by zero", lines[^1]);
        Assert.DoesNotContain("_host.py", error, StringComparison.Ordinal);

        (code, _, error) = await Host(null, "python", "--frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_PrintsTheWalkthrough()
    {
        var (code, output, _) = Run("demo");
        Assert.Equal(0, code);
        Assert.Contains("VectorXu64(12, 4, 6)", output, StringComparison.Ordinal);
        Assert.Contains("ct.zarr: array shape (32, 128, 128), chunks (16, 64, 64), 8 chunks, zstd (level 1)", output, StringComparison.Ordinal);
        Assert.Contains("a 64x64 tile of slice 20: 1 chunk decoded, element (7, 5) = 1817", output, StringComparison.Ordinal);
        // CI installs zarr-python and Dask, so the Dask step runs rather than being skipped.
        Assert.Contains("dask.array.from_zarr(ct.zarr): shape (32, 128, 128), chunks (16, 64, 64), mean 1810.5", output, StringComparison.Ordinal);
    }
}
