using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python;

/// <summary>The reverse stream adapter of docs/IOLINK.md section 4: a Python file object as an IOLink stream.</summary>
public static class PythonStreams
{
    /// <summary>
    /// A <see cref="StreamAccess"/> over a Python file object (<c>io.BytesIO</c>, an open file, a socket file...):
    /// READ, WRITE and SEEK follow its <c>readable()</c>, <c>writable()</c> and <c>seekable()</c>; reads go
    /// through <c>readinto</c> straight into the caller's memory. The access holds its own reference to the object.
    /// </summary>
    /// <param name="file">The Python file object.</param>
    /// <param name="leaveOpen">false to call the object's <c>close()</c> when the access is disposed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
    /// <exception cref="ArgumentException">The object can neither be read nor written.</exception>
    /// <exception cref="PythonUnavailableException">No CPython could be started.</exception>
    public static StreamAccess FromFileObject(PyObject file, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        PythonRuntime.EnsureInitialized();
        var stream = new PythonFileStream(file, leaveOpen);
        if (!stream.CanRead && !stream.CanWrite)
        {
            stream.Dispose();
            throw new ArgumentException("The Python object is neither readable() nor writable(); pass a file object such as io.BytesIO or open(path, 'rb').", nameof(file));
        }

        return StreamAccessFactory.FromStream(stream, leaveOpen: false);
    }

    /// <summary>
    /// Borrows <paramref name="byteLength"/> bytes at <paramref name="address"/> (a Python buffer's memory) as a
    /// fixed-size stream access; the caller keeps them valid until the access is disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The address is zero while the length is not.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Advanced)]
    public static StreamAccess FromAddress(long address, long byteLength, bool writable) =>
        StreamAccessFactory.FromBuffer((nint)address, byteLength, writable);
}
