using Python.Runtime;

namespace IOLink.Python;

/// <summary>
/// Runs Python the way the <c>python3</c> command does, inside this process, with the <c>iolink</c> package
/// importable: a script, <c>-m module</c> or <c>-c code</c>, with the remaining arguments in <c>sys.argv</c>.
/// This is the engine of <c>iolink python</c>.
/// </summary>
public static class PythonHost
{
    /// <summary>The usage text printed for <c>-h</c>.</summary>
    public const string Usage = """
        usage: iolink python [-c code | -m module | script.py] [args...]
          -c code     run the Python code in the string
          -m module   run a library module as a script (for example: -m pytest tests/python)
          script.py   run a Python file
          -V          print the Python version
        With nothing to run, starts the interactive interpreter. The exit code is the program's
        (sys.exit), 1 after an uncaught exception, whose traceback is printed as Python prints it.
        """;

    /// <summary>Runs Python with command-line <paramref name="args"/> (everything after <c>iolink python</c>) and returns the exit code.</summary>
    /// <param name="args">As for <c>python3</c>: <c>-c code</c>, <c>-m module</c>, a script path or nothing, then the program's arguments.</param>
    /// <param name="error">Where usage errors and a missing Python are reported; standard error when null.</param>
    /// <returns>The program's exit code: its <c>sys.exit</c> value, 1 after an uncaught exception, 2 for a usage error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static int Run(string[] args, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        error ??= Console.Error;
        string mode;
        string? target = null;
        var rest = 0;
        if (args.Length == 0)
        {
            mode = "repl";
        }
        else
        {
            switch (args[0])
            {
                case "-h" or "--help":
                    Console.Out.WriteLine(Usage);
                    return 0;
                case "-c" or "-m" when args.Length < 2:
                    error.WriteLine($"iolink python: argument expected for the {args[0]} option");
                    error.WriteLine(Usage);
                    return 2;
                case "-c" or "-m":
                    mode = args[0][1..];
                    target = args[1];
                    rest = 2;
                    break;
                case "-V" or "--version":
                    mode = "version";
                    break;
                case var option when option.StartsWith('-') && option != "-":
                    error.WriteLine($"iolink python: unknown option {option}");
                    error.WriteLine(Usage);
                    return 2;
                default:
                    mode = "script";
                    target = args[0];
                    rest = 1;
                    break;
            }
        }

        try
        {
            PythonRuntime.EnsureInitialized();
        }
        catch (PythonUnavailableException ex)
        {
            error.WriteLine($"iolink python: {ex.Message}");
            return 1;
        }

        using (Py.GIL())
        {
            using var host = Py.Import("iolink._host");
            using var main = host.GetAttr("main");
            using var pyMode = new PyString(mode);
            using var pyTarget = target is null ? PyObject.None : new PyString(target);
            using var pyArgs = new PyList(args[rest..].Select(a => (PyObject)new PyString(a)).ToArray());
            using var code = main.Invoke(pyMode, pyTarget, pyArgs);
            return code.As<int>();
        }
    }
}
