using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// A Python file object (anything with <c>readinto</c> or <c>read</c>, <c>write</c>, <c>seek</c>, <c>tell</c>) as a
/// <see cref="Stream"/>. Reads go through <c>readinto</c> straight into the caller's memory when the object has it;
/// every call takes the GIL. It holds its own references to the object's methods and drops them under the GIL.
/// </summary>
internal sealed unsafe class PythonFileStream : SpanStream
{
    private const string HelperSource = """
        import ctypes

        class CountError(ValueError):
            pass

        def _name(f):
            return type(f).__name__

        def _count(f, method, got, n):
            # A count a Python object returns is never trusted: a readinto() claiming more than the buffer holds
            # would hand out memory past it.
            if type(got) is bool or not isinstance(got, int):
                raise CountError("the file object (%s) returned %r from %s(), not a byte count; it must return an int from 0 to %d"
                                 % (_name(f), type(got).__name__, method, n))
            if got < 0 or got > n:
                raise CountError("the file object (%s) returned %d from %s() for %d bytes; it must return a count from 0 to %d"
                                 % (_name(f), got, method, n, n))
            return got

        def _release(view):
            # A file object that kept the memoryview can no longer reach our buffer through it.
            try:
                view.release()
            except BufferError:
                pass

        def readinto(f, address, n):
            view = memoryview((ctypes.c_char * n).from_address(address)).cast('B')
            try:
                if hasattr(f, 'readinto'):
                    got = f.readinto(view)
                    return 0 if got is None else _count(f, 'readinto', got, n)
                data = f.read(n)
                if data is None:
                    return 0
                data = memoryview(data).cast('B')
                _count(f, 'read', len(data), n)
                view[:len(data)] = data
                return len(data)
            finally:
                _release(view)

        def write(f, address, n):
            view = memoryview((ctypes.c_char * n).from_address(address)).cast('B')
            try:
                done = 0
                while done < n:
                    wrote = f.write(view[done:])
                    if wrote is None:
                        # The io convention of objects that write everything and return nothing.
                        return n
                    if _count(f, 'write', wrote, n - done) == 0:
                        raise CountError("the file object (%s) wrote nothing: write() returned 0 for %d bytes; a file that cannot take more data must raise"
                                         % (_name(f), n - done))
                    done += wrote
                return done
            finally:
                _release(view)

        def capability(f, name):
            probe = getattr(f, name, None)
            return bool(probe()) if callable(probe) else False
        """;

    private static PyObject? _helpers;
    private readonly bool _leaveOpen;
    private PyObject? _file;
    private readonly bool _canRead;
    private readonly bool _canWrite;
    private readonly bool _canSeek;

    public PythonFileStream(PyObject file, bool leaveOpen)
    {
        using (Py.GIL())
        {
            _helpers ??= PyModule.FromString("iolink_file_stream", HelperSource);
            // A reference of our own: the caller may dispose theirs.
            _file = Own(file);
            _canRead = Capability("readable");
            _canWrite = Capability("writable");
            _canSeek = Capability("seekable");
        }

        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => _file is not null && _canRead;

    public override bool CanWrite => _file is not null && _canWrite;

    public override bool CanSeek => _file is not null && _canSeek;

    public override long Length
    {
        get
        {
            RequireSeek();
            var position = Position;
            var end = Seek(0, SeekOrigin.End);
            Seek(position, SeekOrigin.Begin);
            return end;
        }
    }

    public override long Position
    {
        get
        {
            RequireSeek();
            return Call(f =>
            {
                using var position = f.InvokeMethod("tell");
                return position.As<long>();
            });
        }

        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(Span<byte> buffer)
    {
        if (!CanRead)
        {
            throw Unsupported("reading");
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        fixed (byte* p = buffer)
        {
            var address = (long)p;
            var length = buffer.Length;
            return Call(f =>
            {
                using var got = Helper("readinto", f, new PyInt(address), new PyInt(length));
                var n = got.As<long>();
                // The helper checked the count already; the buffer's bounds are not left to it alone.
                return n >= 0 && n <= length
                    ? (int)n
                    : throw new InvalidDataException($"The Python file object returned {n} bytes read for a {length}-byte buffer.");
            });
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite)
        {
            throw Unsupported("writing");
        }

        if (buffer.IsEmpty)
        {
            return;
        }

        fixed (byte* p = buffer)
        {
            var address = (long)p;
            var length = buffer.Length;
            Call(f =>
            {
                using var wrote = Helper("write", f, new PyInt(address), new PyInt(length));
                return wrote.As<long>();
            });
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        RequireSeek();
        return Call(f =>
        {
            using var to = new PyInt(offset);
            using var whence = new PyInt((int)origin);
            using var position = f.InvokeMethod("seek", to, whence);
            return position.As<long>();
        });
    }

    public override void SetLength(long value)
    {
        if (!CanSeek || !CanWrite)
        {
            throw Unsupported("truncating");
        }

        Call(f =>
        {
            using var size = new PyInt(value);
            using var result = f.InvokeMethod("truncate", size);
            return 0;
        });
    }

    public override void Flush()
    {
        if (_file is not null)
        {
            Call(f =>
            {
                // A file-like object without flush (a duck-typed reader) has nothing to flush.
                if (f.HasAttr("flush"))
                {
                    f.InvokeMethod("flush").Dispose();
                }

                return 0;
            });
        }
    }

    protected override void Dispose(bool disposing)
    {
        var file = Interlocked.Exchange(ref _file, null);
        if (file is not null && disposing)
        {
            using (Py.GIL())
            {
                try
                {
                    if (!_leaveOpen)
                    {
                        file.InvokeMethod("close").Dispose();
                    }
                }
                finally
                {
                    file.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private static PyObject Own(PyObject o)
    {
        // A new reference to the same object, owned by this stream.
        using var list = new PyList();
        list.Append(o);
        return list[0];
    }

    private bool Capability(string name)
    {
        using var result = Helper("capability", _file!, new PyString(name));
        return result.As<bool>();
    }

    private static PyObject Helper(string name, PyObject file, params PyObject[] args)
    {
        using var function = _helpers!.GetAttr(name);
        try
        {
            return function.Invoke([file, .. args]);
        }
        finally
        {
            foreach (var a in args)
            {
                a.Dispose();
            }
        }
    }

    private T Call<T>(Func<PyObject, T> call)
    {
        var file = _file ?? throw new ObjectDisposedException(nameof(PythonFileStream), "The stream over a Python file object has been closed.");
        using (Py.GIL())
        {
            try
            {
                return call(file);
            }
            catch (PythonException ex) when (IsCountError(ex))
            {
                throw new InvalidDataException(CapitalFirst(ex.Message), ex);
            }
            catch (PythonException ex)
            {
                throw new IOException($"The Python file object failed: {ex.Message}", ex);
            }
        }
    }

    private static bool IsCountError(PythonException ex) => ex.Type.Name == "CountError";

    private static string CapitalFirst(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private void RequireSeek()
    {
        if (!CanSeek)
        {
            throw Unsupported("seeking");
        }
    }

    private Exception Unsupported(string what) =>
        _file is null
            ? new ObjectDisposedException(nameof(PythonFileStream), "The stream over a Python file object has been closed.")
            : new NotSupportedException($"The Python file object does not support {what} (its readable()/writable()/seekable() say so).");
}
