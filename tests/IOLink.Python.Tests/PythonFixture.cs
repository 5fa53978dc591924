using Python.Runtime;

namespace IOLink.Python.Tests;

/// <summary>Starts Python once for the whole test process (it is never shut down) and offers small helpers.</summary>
public sealed class PythonFixture
{
    public PythonFixture() => PythonRuntime.EnsureInitialized();
}

/// <summary>Python tests run alone: they share one interpreter, and the leak tests count every live memory block of the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PythonTests : ICollectionFixture<PythonFixture>
{
    public const string Name = "Python";
}

/// <summary>A Python reference that is released under the GIL, as pythonnet requires.</summary>
internal sealed class PyRef(PyObject value) : IDisposable
{
    public PyObject Value { get; } = value;

    public static implicit operator PyObject(PyRef r) => r.Value;

    public void Dispose()
    {
        using (Py.GIL())
        {
            Value.Dispose();
        }
    }
}

/// <summary>NumPy as the oracle: evaluate Python expressions with the GIL held.</summary>
internal static class Np
{
    /// <summary>Evaluates <paramref name="expression"/>; the result is released under the GIL when disposed.</summary>
    public static PyRef Ref(string expression, params (string Name, PyObject Value)[] locals) => new(Eval(expression, locals));

    /// <summary>Takes ownership of a result so that it is released under the GIL.</summary>
    public static PyRef Own(PyObject value) => new(value);

    /// <summary>Evaluates <paramref name="expression"/> with numpy as np and the given locals.</summary>
    public static PyObject Eval(string expression, params (string Name, PyObject Value)[] locals)
    {
        using (Py.GIL())
        {
            using var scope = Py.CreateScope();
            scope.Exec("import numpy as np, gc, sys");
            foreach (var (name, value) in locals)
            {
                scope.Set(name, value);
            }

            return scope.Eval(expression);
        }
    }

    /// <summary>Runs statements with numpy as np and the given locals.</summary>
    public static void Exec(string code, params (string Name, PyObject Value)[] locals)
    {
        using (Py.GIL())
        {
            using var scope = Py.CreateScope();
            scope.Exec("import numpy as np, gc, sys");
            foreach (var (name, value) in locals)
            {
                scope.Set(name, value);
            }

            scope.Exec(code);
        }
    }

    public static T Get<T>(string expression, params (string Name, PyObject Value)[] locals)
    {
        using (Py.GIL())
        {
            using var result = Eval(expression, locals);
            return result.As<T>();
        }
    }

    public static long[] Longs(string expression, params (string Name, PyObject Value)[] locals)
    {
        using (Py.GIL())
        {
            using var result = Eval("tuple(int(x) for x in (" + expression + "))", locals);
            var n = (int)result.Length();
            var values = new long[n];
            for (var i = 0; i < n; i++)
            {
                using var item = result[i];
                values[i] = item.As<long>();
            }

            return values;
        }
    }

    /// <summary>The bytes of a Python bytes expression.</summary>
    public static byte[] Bytes(string expression, params (string Name, PyObject Value)[] locals) =>
        Convert.FromHexString(Get<string>("(" + expression + ").hex()", locals));

    public static void Dispose(PyObject o)
    {
        using (Py.GIL())
        {
            o.Dispose();
        }
    }
}
