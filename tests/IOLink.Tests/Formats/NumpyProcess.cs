using System.Diagnostics;

namespace IOLink.Tests.Formats;

/// <summary>Runs real NumPy (or zarr-python, Dask) in a child CPython process: the oracle for everything .npy and Zarr.</summary>
internal static class NumpyProcess
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Interpreters = new();

    /// <summary>Runs <paramref name="script"/> and returns its standard output; fails the test with Python's error otherwise.</summary>
    /// <param name="script">The Python code.</param>
    /// <param name="modules">What the interpreter must import (and the Debian packages to install otherwise).</param>
    /// <param name="timeoutSeconds">How long the script may run before it is killed and the test fails.</param>
    public static string Run(string script, string modules = "numpy", int timeoutSeconds = 300)
    {
        var interpreter = Interpreters.GetOrAdd(modules, m => new Lazy<string>(() => Find(m))).Value;
        // The script runs from a file: worker processes that multiprocessing spawns (Dask's) re-read it from there.
        var file = Path.Combine(Path.GetTempPath(), $"iolink-test-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The Python script did not finish in {timeoutSeconds} s and was killed.\n--- script ---\n{script}");
            }

            process.WaitForExit();
        }
        finally
        {
            File.Delete(file);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The NumPy script failed ({process.ExitCode}):\n{error.Result}\n--- script ---\n{script}");
        }

        return output.Result;
    }

    private static string Find(string modules)
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var start = new ProcessStartInfo(candidate, ["-c", "import " + modules]) { RedirectStandardError = true, RedirectStandardOutput = true };
                using var p = Process.Start(start)!;
                p.WaitForExit();
                if (p.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        throw new InvalidOperationException($"No python3 that imports {modules} was found; install the Debian packages (./build.sh test does: python3-numpy, python3-zarr, python3-dask, python3-distributed).");
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iolink-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
