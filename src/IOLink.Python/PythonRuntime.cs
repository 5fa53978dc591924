using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python;

/// <summary>
/// The embedded CPython of this process: found, loaded and started once, with the GIL released so that any
/// thread can take it (<c>using (Py.GIL()) { ... }</c>). Never shut down and started again: CPython and
/// pythonnet do not support that within one process.
/// </summary>
public static class PythonRuntime
{
    /// <summary>The folder, beside this assembly, that holds the Python package <c>iolink</c>.</summary>
    public const string ModuleFolderName = "iolink-python";

    private static readonly Lock Gate = new();
    private static Exception? _failure;
    private static bool _ready;

    /// <summary>Whether CPython with NumPy is (or can be) running in this process; starts it when it can.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                EnsureInitialized();
                return true;
            }
            catch (PythonUnavailableException)
            {
                return false;
            }
        }
    }

    /// <summary>The interpreter that was found and started, or null when the library came from <c>PYTHONNET_PYDLL</c> or a host that started Python itself.</summary>
    public static string? Interpreter { get; private set; }

    /// <summary>The folder holding the Python package <c>iolink</c>; it is put on <c>sys.path</c> when Python starts.</summary>
    public static string ModuleDirectory
    {
        get
        {
            var location = typeof(PythonRuntime).Assembly.Location;
            var dir = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
            return Path.Combine(dir, ModuleFolderName);
        }
    }

    /// <summary>
    /// Starts CPython once per process. The library named by <c>PYTHONNET_PYDLL</c> is used when that variable is
    /// set; otherwise <c>python3</c> on PATH and then the system <c>python3</c> are asked, and the first that is
    /// 3.8 or later, imports NumPy and has a shared library wins, with the Python home set to match.
    /// </summary>
    /// <exception cref="PythonUnavailableException">No such interpreter was found, or it failed to start; the
    /// message lists what was tried and the command that installs what is missing. Later calls throw the same.</exception>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _ready))
        {
            return;
        }

        lock (Gate)
        {
            if (_ready)
            {
                return;
            }

            if (_failure is not null)
            {
                throw new PythonUnavailableException(_failure.Message, _failure.InnerException);
            }

            try
            {
                Start();
                Volatile.Write(ref _ready, true);
            }
            catch (Exception ex)
            {
                _failure = ex as PythonUnavailableException
                    ?? new PythonUnavailableException($"CPython could not be started: {ex.Message} Install it with `{PythonLocator.InstallHint}` or set PYTHONNET_PYDLL to a libpython shared library.", ex);
                throw new PythonUnavailableException(_failure.Message, _failure.InnerException);
            }
        }
    }

    private static void Start()
    {
        if (PythonEngine.IsInitialized)
        {
            // Python is the host (or someone else started it): only make the iolink package importable.
            using (Py.GIL())
            {
                AddToPath([ModuleDirectory], front: true);
            }

            return;
        }

        string[] sites = [];
        var pydll = Environment.GetEnvironmentVariable("PYTHONNET_PYDLL");
        if (string.IsNullOrWhiteSpace(pydll))
        {
            var rejected = new List<string>();
            var found = PythonLocator.Find(PythonLocator.Candidates(), rejected) ?? throw new PythonUnavailableException(
                "No CPython 3.8+ that can import NumPy and has a shared libpython was found" +
                (rejected.Count == 0 ? " (no python3 on PATH)" : ": " + string.Join("; ", rejected)) +
                $". Install them with `{PythonLocator.InstallHint}`, or set PYTHONNET_PYDLL to the libpython shared library of an interpreter that has NumPy.");
            Runtime.PythonDLL = found.Library;
            PythonEngine.PythonHome = found.Home;
            Interpreter = found.Executable;
            sites = found.SiteDirectories;
        }
        else if (Path.IsPathRooted(pydll) && !File.Exists(pydll))
        {
            throw new PythonUnavailableException(
                $"PYTHONNET_PYDLL names '{pydll}', which does not exist. Point it at an existing libpython shared library " +
                $"(Debian's libpython3.11 package installs libpython3.11.so.1.0), or unset it to let IOLink find a python3 with NumPy.");
        }

        PythonEngine.Initialize();
        try
        {
            AddToPath(sites, front: false);
            AddToPath([ModuleDirectory], front: true);
            if (Interpreter is not null)
            {
                // Otherwise sys.executable names whatever python3 is first on PATH, which may lack NumPy;
                // subprocesses started with sys.executable should get the interpreter that was embedded.
                using var sys = Py.Import("sys");
                using var executable = new PyString(Interpreter);
                sys.SetAttr("executable", executable);
            }
            // NumPy is what this assembly is for: fail here, with the fix, rather than on first use.
            using var numpy = Py.Import("numpy");
        }
        catch (PythonException ex)
        {
            throw new PythonUnavailableException(
                $"CPython started from {Runtime.PythonDLL} but cannot import NumPy ({ex.Message}). Install it with `{PythonLocator.InstallHint}`.", ex);
        }
        finally
        {
            PythonEngine.BeginAllowThreads();
        }
    }

    /// <summary>Adds folders to <c>sys.path</c> (holding the GIL), skipping those already there.</summary>
    private static void AddToPath(string[] folders, bool front)
    {
        using var sys = Py.Import("sys");
        using var path = sys.GetAttr("path");
        foreach (var folder in folders)
        {
            using var item = new PyString(folder);
            using var count = path.InvokeMethod("count", item);
            if (count.As<long>() > 0)
            {
                continue;
            }

            if (front)
            {
                using var insert = path.GetAttr("insert");
                insert.Invoke(new PyInt(0), item).Dispose();
            }
            else
            {
                using var append = path.GetAttr("append");
                append.Invoke(item).Dispose();
            }
        }
    }
}
