using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// Holds one reference to a Python object (a NumPy array whose memory a view uses) and drops it, under the GIL,
/// when the last view releases the memory. It has no finalizer on purpose: a pythonnet reference that is never
/// disposed is dropped by pythonnet's own finalizer queue, which decrements it later under the GIL, never on the
/// finalizer thread; a raw reference (taken by the ctypes entry points) that is never disposed stays, as a C
/// extension's would.
/// </summary>
internal sealed class PythonReferenceOwner : IDisposable
{
    private PyObject? _reference;
    private nint _raw;

    public PythonReferenceOwner(PyObject reference) => _reference = reference;

    /// <summary>Takes a new reference to <paramref name="borrowed"/> (a <c>PyObject*</c>; the GIL is held).</summary>
    public PythonReferenceOwner(nint borrowed)
    {
        CPythonApi.IncRef(borrowed);
        _raw = borrowed;
    }

    public void Dispose()
    {
        var reference = Interlocked.Exchange(ref _reference, null);
        var raw = Interlocked.Exchange(ref _raw, 0);
        if (reference is null && raw == 0)
        {
            return;
        }

        if (reference is not null)
        {
            using (Py.GIL())
            {
                reference.Dispose();
            }
        }

        if (raw != 0 && PythonEngine.IsInitialized)      // else the interpreter is gone, and the object with it
        {
            var state = CPythonApi.EnsureGil();
            CPythonApi.DecRef(raw);
            CPythonApi.ReleaseGil(state);
        }
    }
}
