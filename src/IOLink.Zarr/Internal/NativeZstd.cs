using System.Runtime.InteropServices;

namespace IOLink.Zarr.Internal;

/// <summary>
/// The system's libzstd (Debian's libzstd1, present on nearly every Linux system), about twice as fast as the managed
/// port: used when it loads, otherwise zstd goes through ZstdSharp. One compression and one decompression context
/// per thread, kept for the thread's life.
/// </summary>
internal sealed unsafe class NativeZstd
{
    private static readonly Lazy<NativeZstd?> s_default = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    [ThreadStatic]
    private static nint t_dctx;

    [ThreadStatic]
    private static nint t_cctx;

    private readonly delegate* unmanaged<nint> _createDCtx;
    private readonly delegate* unmanaged<nint> _createCCtx;
    private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> _decompress;
    private readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint> _compress;
    private readonly delegate* unmanaged<nuint, nuint> _bound;
    private readonly delegate* unmanaged<nuint, uint> _isError;
    private readonly delegate* unmanaged<nuint, byte*> _errorName;
    private readonly delegate* unmanaged<byte*, nuint, ulong> _contentSize;

    private NativeZstd(nint h)
    {
        _createDCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(h, "ZSTD_createDCtx");
        _createCCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(h, "ZSTD_createCCtx");
        _decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)NativeLibrary.GetExport(h, "ZSTD_decompressDCtx");
        _compress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int, nuint>)NativeLibrary.GetExport(h, "ZSTD_compressCCtx");
        _bound = (delegate* unmanaged<nuint, nuint>)NativeLibrary.GetExport(h, "ZSTD_compressBound");
        _isError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(h, "ZSTD_isError");
        _errorName = (delegate* unmanaged<nuint, byte*>)NativeLibrary.GetExport(h, "ZSTD_getErrorName");
        _contentSize = (delegate* unmanaged<byte*, nuint, ulong>)NativeLibrary.GetExport(h, "ZSTD_getFrameContentSize");
    }

    /// <summary>The system library, or null when there is none (ZstdSharp is used then).</summary>
    public static NativeZstd? Default => s_default.Value;

    /// <summary>Decodes zstd frames into all of <paramref name="decoded"/>.</summary>
    /// <exception cref="InvalidDataException">The data is not zstd, is truncated, or decodes to another size.</exception>
    public void Decompress(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        fixed (byte* src = encoded)
        fixed (byte* dst = decoded)
        {
            var size = _contentSize(src, (nuint)encoded.Length);
            if (size < ulong.MaxValue - 1 && size != (ulong)decoded.Length)
            {
                throw new InvalidDataException($"it decompresses to {size} bytes instead of {decoded.Length}");
            }

            var ctx = t_dctx != 0 ? t_dctx : (t_dctx = _createDCtx());
            var n = _decompress(ctx, dst, (nuint)decoded.Length, src, (nuint)encoded.Length);
            if (_isError(n) != 0)
            {
                throw new InvalidDataException($"it is not valid zstd data, or decompresses to more than the chunk's {decoded.Length} bytes ({Marshal.PtrToStringAnsi((nint)_errorName(n))})");
            }

            if (n != (nuint)decoded.Length)
            {
                throw new InvalidDataException($"it decompresses to {n} bytes instead of {decoded.Length}");
            }
        }
    }

    /// <summary>Encodes <paramref name="data"/> as one zstd frame into a buffer from <paramref name="rent"/>; returns the bytes used.</summary>
    public int Compress(ReadOnlySpan<byte> data, int level, Func<int, byte[]> rent, out byte[] output)
    {
        output = rent((int)_bound((nuint)data.Length));
        fixed (byte* src = data)
        fixed (byte* dst = output)
        {
            var ctx = t_cctx != 0 ? t_cctx : (t_cctx = _createCCtx());
            var n = _compress(ctx, dst, (nuint)output.Length, src, (nuint)data.Length, level);
            if (_isError(n) != 0)
            {
                throw new IOException($"zstd could not compress a chunk ({Marshal.PtrToStringAnsi((nint)_errorName(n))}).");
            }

            return (int)n;
        }
    }

    private static NativeZstd? Load()
    {
        string[] names = OperatingSystem.IsWindows() ? ["libzstd.dll"] : OperatingSystem.IsMacOS() ? ["libzstd.1.dylib"] : ["libzstd.so.1"];
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                try
                {
                    return new NativeZstd(handle);
                }
                catch (EntryPointNotFoundException)
                {
                    // Too old (before 1.3): the managed port serves.
                }
            }
        }

        return null;
    }
}
