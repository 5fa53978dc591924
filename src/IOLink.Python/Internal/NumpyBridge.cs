using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// The Python half of <see cref="NumpyInterop"/>: a few functions compiled once, so that reading an array's
/// layout and wrapping a view's memory cost one call into Python each. Used with the GIL held.
/// </summary>
internal static class NumpyBridge
{
    private const string Source = """
        import numpy as _np

        _ndarray = _np.ndarray
        _asarray = _np.asarray


        def describe(a):
            if not isinstance(a, _ndarray):
                return None
            d = a.dtype
            data = a.__array_interface__['data']
            return (a, data[0], bool(data[1]), a.shape, a.strides, d.kind, d.itemsize, bool(d.isnative),
                    d.fields is not None or d.subdtype is not None, d.str)


        class ViewMemory:
            # The base of every array exported from an image view: NumPy holds it for as long as any array uses
            # the memory, and releasing it releases the view's memory (rule 9).
            __slots__ = ('__array_interface__', '_release', '__weakref__')

            def __init__(self, interface, release):
                self.__array_interface__ = interface
                self._release = release

            def __del__(self):
                release = self._release
                if release is not None:
                    self._release = None
                    release()


        def export(address, readonly, shape, strides, typestr, release):
            holder = ViewMemory({'version': 3, 'data': (address, readonly), 'shape': shape, 'strides': strides,
                                 'typestr': typestr}, release)
            return _asarray(holder)
        """;

    private static PyObject? _describe;
    private static PyObject? _export;

    /// <summary>The function returning an array's layout, or None for anything that is not a numpy.ndarray.</summary>
    public static PyObject Describe => _describe ?? Load().Describe;

    /// <summary>The function wrapping memory in an array whose base releases it.</summary>
    public static PyObject Export => _export ?? Load().Export;

    private static (PyObject Describe, PyObject Export) Load()
    {
        // Runs with the GIL held, which already serializes callers; a second load would only waste a module.
        var module = PyModule.FromString("iolink_numpy_bridge", Source);
        _export = module.GetAttr("export");
        _describe = module.GetAttr("describe");
        return (_describe, _export);
    }
}
