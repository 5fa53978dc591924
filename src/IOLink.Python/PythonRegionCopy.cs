using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IOLink.Python;

/// <summary>
/// <c>view.read_region(region, out=buffer)</c> and <c>view.write_region(region, buffer)</c> in one call from Python:
/// the buffer is taken through CPython's buffer protocol here, checked against the view, and the GIL is released
/// only around the copy. Two Python threads copying regions then hold the GIL for well under a microsecond per call
/// each, instead of the several microseconds the same checks cost in Python, which made them wait on each other.
/// </summary>
/// <remarks>
/// The CPython functions are the interpreter's own, passed in by the Python package at import (ctypes.pythonapi), so
/// the same code serves a plain python3 and the IOLink host. Only a buffer that plainly fits is copied here: C-contiguous,
/// of the region's byte count, raw bytes or the view's own item type in native byte order, flat or of the region's
/// shape in NumPy order. Anything else returns <see cref="NeedsCheck"/> and the Python side runs its own checks,
/// which give the precise error (or, for a format spelled unusually, copy through the general path).
/// </remarks>
internal static unsafe class PythonRegionCopy
{
    /// <summary>What <see cref="Copy"/> returns when the Python side must check the buffer itself.</summary>
    public const int NeedsCheck = -5;

    // CPython's buffer request flags (Include/pybuffer.h).
    private const int PyBufWritable = 0x0001;
    private const int PyBufFormat = 0x0004;
    private const int PyBufCContiguous = 0x0038;

    private static delegate* unmanaged<nint, PyBuffer*, int, int> s_getBuffer;
    private static delegate* unmanaged<PyBuffer*, void> s_releaseBuffer;
    private static delegate* unmanaged<nint> s_saveThread;
    private static delegate* unmanaged<nint, void> s_restoreThread;
    private static delegate* unmanaged<void> s_clearError;

    /// <summary>CPython's Py_buffer, field for field (stable since Python 3.0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PyBuffer
    {
        public byte* Buf;
        public nint Obj;
        public nint Len;
        public nint ItemSize;
        public int ReadOnly;
        public int NDim;
        public byte* Format;
        public nint* Shape;
        public nint* Strides;
        public nint* SubOffsets;
        public nint Internal;
    }

    /// <summary>
    /// Takes the addresses of PyObject_GetBuffer, PyBuffer_Release, PyEval_SaveThread, PyEval_RestoreThread and
    /// PyErr_Clear, in that order; returns 0, or -1 when one is missing (the fast copy stays off).
    /// </summary>
    [UnmanagedCallersOnly]
    public static int Bind(nint* functions)
    {
        for (var i = 0; i < 5; i++)
        {
            if (functions[i] == 0)
            {
                return -1;
            }
        }

        s_getBuffer = (delegate* unmanaged<nint, PyBuffer*, int, int>)functions[0];
        s_releaseBuffer = (delegate* unmanaged<PyBuffer*, void>)functions[1];
        s_saveThread = (delegate* unmanaged<nint>)functions[2];
        s_restoreThread = (delegate* unmanaged<nint, void>)functions[3];
        s_clearError = (delegate* unmanaged<void>)functions[4];
        return 0;
    }

    // The calls into CPython, each in a method of its own: a call through an unmanaged function pointer keeps
    // ReadyToRun from precompiling its caller, so only these few lines are jitted, not Copy.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GetBuffer(nint obj, PyBuffer* view, int flags) => s_getBuffer(obj, view, flags);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReleaseBuffer(PyBuffer* view) => s_releaseBuffer(view);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint SaveThread() => s_saveThread();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RestoreThread(nint state) => s_restoreThread(state);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ClearError() => s_clearError();

    /// <summary>
    /// Copies a region (origin then size) of the view into the Python object <paramref name="buffer"/>
    /// (<paramref name="write"/> 0) or from it into the view (1). Called with the GIL held; releases it for the copy.
    /// Returns 0, -1 for an error left for TakeError, or <see cref="NeedsCheck"/>.
    /// </summary>
    [UnmanagedCallersOnly]
    public static int Copy(long handle, int rank, ulong* originAndSize, nint buffer, int write)
    {
        if (s_getBuffer == null)
        {
            return NeedsCheck;
        }

        ImageView view;
        RegionXu64 region;
        try
        {
            view = PythonEntryPoints.Lookup(handle);
            region = PythonEntryPoints.Region(rank, originAndSize);
        }
        catch (Exception e)
        {
            return PythonEntryPoints.Fail(e);
        }

        PyBuffer b;
        if (GetBuffer(buffer, &b, PyBufCContiguous | PyBufFormat | (write == 0 ? PyBufWritable : 0)) != 0)
        {
            // Not contiguous, read-only, no buffer at all: the Python side says which, in its own words.
            ClearError();
            return NeedsCheck;
        }

        try
        {
            var type = view.DataType;
            if (!Fits(type, region, ref b))
            {
                return NeedsCheck;
            }

            var state = SaveThread();
            try
            {
                if (write == 0)
                {
                    view.ReadRegion(region, new Span<byte>(b.Buf, (int)b.Len));
                }
                else
                {
                    view.WriteRegion(region, new ReadOnlySpan<byte>(b.Buf, (int)b.Len));
                }
            }
            finally
            {
                RestoreThread(state);
            }

            return 0;
        }
        catch (Exception e)
        {
            return PythonEntryPoints.Fail(e);
        }
        finally
        {
            ReleaseBuffer(&b);
        }
    }

    // Whether the buffer is plainly the region's: its byte count, raw bytes or the view's own item type in native
    // byte order, flat or shaped as the region in NumPy order (axes of length 1 aside). Never wider than the Python
    // check (_check_region_buffer), so what passes here passes there.
    private static bool Fits(DataType type, RegionXu64 region, ref PyBuffer b)
    {
        ulong count = 1;
        for (var i = 0; i < region.Size.Size; i++)
        {
            if (region.Size[i] != 0 && count > ulong.MaxValue / region.Size[i])
            {
                return false;
            }

            count *= region.Size[i];
        }

        if (count > (ulong)int.MaxValue / (ulong)Math.Max(1, type.ByteCount) || (long)b.Len != (long)count * type.ByteCount)
        {
            return false;
        }

        var raw = FormatKind(b.Format, out var kind);
        if (!raw)
        {
            var (wanted, size) = type.Interpretation == DataTypeInterpretation.COMPLEX
                ? ('c', type.ByteCount)
                : (type.PrimitiveType switch { PrimitiveTypeId.UNSIGNED_INTEGER => 'u', PrimitiveTypeId.SIGNED_INTEGER => 'i', _ => 'f' }, type.ComponentByteCount);
            var sameKind = kind == wanted || (wanted == 'u' && size == 1 && kind == 'b');
            if (kind == '\0' || !sameKind || b.ItemSize != size)
            {
                return false;
            }
        }

        return b.NDim <= 1 || ShapeFits(region, (int)type.Dimension, ref b);
    }

    private static bool ShapeFits(RegionXu64 region, int components, ref PyBuffer b)
    {
        // The buffer's axes without those of length 1 against the region's in NumPy order (last dimension first,
        // then the components of a vector type), also without those of length 1.
        var rank = region.Size.Size;
        Span<ulong> wanted = stackalloc ulong[rank + 1];
        var count = 0;
        for (var i = rank - 1; i >= 0; i--)
        {
            if (region.Size[i] != 1)
            {
                wanted[count++] = region.Size[i];
            }
        }

        if (components > 1)
        {
            wanted[count++] = (ulong)components;
        }

        var k = 0;
        for (var i = 0; i < b.NDim; i++)
        {
            var n = (ulong)b.Shape[i];
            if (n == 1)
            {
                continue;
            }

            if (k == count || wanted[k] != n)
            {
                return false;
            }

            k++;
        }

        return k == count;
    }

    // The NumPy kind of a buffer-protocol format of one item in native byte order ('u', 'i', 'f', 'c', 'b'), or '\0'
    // for anything else; true for raw bytes ("B", "b", "c"), which fit any view.
    private static bool FormatKind(byte* format, out char kind)
    {
        kind = '\0';
        if (format == null)
        {
            return true; // no format means unsigned bytes
        }

        var p = format;
        if (*p is (byte)'@' or (byte)'=' || (*p == (byte)'<' && BitConverter.IsLittleEndian) || (*p is (byte)'>' or (byte)'!' && !BitConverter.IsLittleEndian))
        {
            p++;
        }
        else if (*p is (byte)'<' or (byte)'>' or (byte)'!')
        {
            return false; // another byte order: the Python check names it
        }

        if (p[0] != 0 && p[1] == 0)
        {
            switch ((char)p[0])
            {
                case 'B' or 'b' or 'c':
                    // Raw bytes as the Python check has them: "B", "b", "c", and "B" after a byte-order mark.
                    return p == format || p[0] == (byte)'B';
                case 'H' or 'I' or 'L' or 'Q' or 'N':
                    kind = 'u';
                    return false;
                case 'h' or 'i' or 'l' or 'q' or 'n':
                    kind = 'i';
                    return false;
                case 'e' or 'f' or 'd':
                    kind = 'f';
                    return false;
                case '?':
                    kind = 'b';
                    return false;
            }
        }
        else if (p[0] == (byte)'Z' && p[1] is (byte)'f' or (byte)'d' && p[2] == 0)
        {
            kind = 'c';
        }

        return false;
    }
}
