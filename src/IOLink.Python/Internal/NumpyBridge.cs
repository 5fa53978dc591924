using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// The Python half of <see cref="NumpyInterop"/>: a few functions compiled once, so that reading an array's
/// layout and wrapping a view's memory cost one call into Python each. Used with the GIL held.
/// </summary>
internal static class NumpyBridge
{
    private static string Source()
    {
        // The same file is the package's iolink/_bridge.py: one implementation for Python and .NET callers.
        using var stream = typeof(NumpyBridge).Assembly.GetManifestResourceStream("IOLink.Python.bridge.py")
            ?? throw new InvalidOperationException("The resource IOLink.Python.bridge.py is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static PyObject? _describe;
    private static PyObject? _export;

    /// <summary>The function returning an array's layout, or None for anything that is not a numpy.ndarray.</summary>
    public static PyObject Describe => _describe ?? Load().Describe;

    /// <summary>The function wrapping memory in an array whose base releases it.</summary>
    public static PyObject Export => _export ?? Load().Export;

    private static (PyObject Describe, PyObject Export) Load()
    {
        // Runs with the GIL held, which already serializes callers; a second load would only waste a module.
        var module = PyModule.FromString("iolink_numpy_bridge", Source());
        _export = module.GetAttr("export");
        _describe = module.GetAttr("describe");
        return (_describe, _export);
    }
}
