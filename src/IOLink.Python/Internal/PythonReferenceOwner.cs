using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// Holds one reference to a Python object (a NumPy array whose memory a view uses) and drops it, under the GIL,
/// when the last view releases the memory. It has no finalizer on purpose: a reference that is never disposed is
/// dropped by pythonnet's own finalizer queue, which decrements it later under the GIL, never on the finalizer thread.
/// </summary>
internal sealed class PythonReferenceOwner : IDisposable
{
    private PyObject? _reference;

    public PythonReferenceOwner(PyObject reference) => _reference = reference;

    public void Dispose()
    {
        var reference = Interlocked.Exchange(ref _reference, null);
        if (reference is null)
        {
            return;
        }

        using (Py.GIL())
        {
            reference.Dispose();
        }
    }
}
