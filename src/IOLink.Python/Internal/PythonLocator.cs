using System.Diagnostics;
using System.Text.Json;

namespace IOLink.Python.Internal;

/// <summary>
/// Finds a CPython 3.8+ that can import NumPy by asking each candidate interpreter about itself (sysconfig), so
/// that nothing about this machine's layout is written into the library.
/// </summary>
internal static class PythonLocator
{
    public const string InstallHint = "apt-get install python3-numpy libpython3.11";

    // Printed as one JSON line; runs in the candidate interpreter, so it must work on Python 3.8.
    private const string Probe = """
        import json, os, sys, sysconfig
        v = sysconfig.get_config_var
        names = [n for n in (v('INSTSONAME'), v('LDLIBRARY')) if n]
        dirs = [d for d in (v('LIBDIR'), v('LIBPL'), sys.base_prefix, os.path.join(sys.base_prefix, 'lib')) if d]
        if v('MULTIARCH') and v('LIBDIR'):
            dirs.append(os.path.join(v('LIBDIR'), v('MULTIARCH')))
        libs = [os.path.join(d, n) for n in names for d in dirs]
        r = {'version': '%d.%d' % sys.version_info[:2], 'major': sys.version_info[0], 'minor': sys.version_info[1],
             'home': sys.base_prefix, 'libs': [p for p in libs if os.path.isfile(p) and not p.endswith('.a')],
             'sites': [p for p in {sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']} if p and os.path.isdir(p)],
             'numpy': None, 'error': None}
        try:
            import numpy
            r['numpy'] = numpy.__version__
        except Exception as e:
            r['error'] = '%s: %s' % (type(e).__name__, e)
        print(json.dumps(r))
        """;

    /// <summary>The interpreters to ask, in order: <c>python3</c> as found on PATH, then the system one.</summary>
    public static IEnumerable<string> Candidates()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { "python3", "python" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".exe" : name);
                if (File.Exists(path) && seen.Add(path))
                {
                    yield return path;
                    break;
                }
            }
        }

        // The issue names the distribution's interpreter as the fallback: pyenv or venv shims often come first on PATH.
        const string system = "/usr/bin/python3";
        if (!OperatingSystem.IsWindows() && File.Exists(system) && seen.Add(system))
        {
            yield return system;
        }
    }

    /// <summary>Asks each candidate in turn; returns the first usable one, or null with the reason each was rejected.</summary>
    public static PythonInstallation? Find(IEnumerable<string> candidates, List<string> rejected)
    {
        foreach (var exe in candidates)
        {
            var found = Ask(exe, rejected);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static PythonInstallation? Ask(string exe, List<string> rejected)
    {
        string output;
        try
        {
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Probe);
            // A stray PYTHONHOME (for another installation) would make the candidate describe the wrong home.
            start.Environment.Remove("PYTHONHOME");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                rejected.Add($"{exe}: did not answer within 30 s");
                return null;
            }

            output = stdout.Result;
            if (process.ExitCode != 0)
            {
                rejected.Add($"{exe}: exited with code {process.ExitCode}: {FirstLine(stderr.Result)}");
                return null;
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            rejected.Add($"{exe}: could not be started ({ex.Message})");
            return null;
        }

        try
        {
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "{}";
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var version = root.GetProperty("version").GetString()!;
            var major = root.GetProperty("major").GetInt32();
            var minor = root.GetProperty("minor").GetInt32();
            if (major != 3 || minor < 8)
            {
                rejected.Add($"{exe}: Python {version} is older than 3.8");
                return null;
            }

            if (root.GetProperty("numpy").ValueKind != JsonValueKind.String)
            {
                rejected.Add($"{exe}: Python {version} cannot import NumPy ({root.GetProperty("error").GetString()})");
                return null;
            }

            var libs = root.GetProperty("libs").EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (libs.Length == 0)
            {
                rejected.Add($"{exe}: Python {version} has NumPy but its shared library (libpython{version}) is not installed");
                return null;
            }

            var sites = root.GetProperty("sites").EnumerateArray().Select(e => e.GetString()!).ToArray();
            return new PythonInstallation(exe, libs[0], root.GetProperty("home").GetString()!, version, root.GetProperty("numpy").GetString()!, sites);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            rejected.Add($"{exe}: answered something unexpected ({FirstLine(output)})");
            return null;
        }
    }

    private static string FirstLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : lines[^1];
    }
}
