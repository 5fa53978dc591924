using System.Runtime.InteropServices;

namespace IOLink.Zarr.Internal;

/// <summary>
/// The c-blosc 1.x library (Debian's libblosc1), found at run time: zarr-python's default compressor. Only the
/// context functions are used (no global state, safe from several threads), each call with one internal thread
/// since the chunks themselves are decoded in parallel.
/// </summary>
internal sealed unsafe class BloscLibrary
{
    /// <summary>What a compressed buffer adds at most to its data (BLOSC_MAX_OVERHEAD).</summary>
    public const int MaxOverhead = 16;

    private static readonly Lazy<BloscLibrary> s_default = new(() => Load(DefaultNames!), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly delegate* unmanaged<byte*, nuint, nuint*, int> _validate;
    private readonly delegate* unmanaged<byte*, byte*, nuint, int, int> _decompress;
    private readonly delegate* unmanaged<int, int, nuint, nuint, byte*, byte*, nuint, byte*, nuint, int, int> _compress;

    private BloscLibrary(nint handle)
    {
        _validate = (delegate* unmanaged<byte*, nuint, nuint*, int>)NativeLibrary.GetExport(handle, "blosc_cbuffer_validate");
        _decompress = (delegate* unmanaged<byte*, byte*, nuint, int, int>)NativeLibrary.GetExport(handle, "blosc_decompress_ctx");
        _compress = (delegate* unmanaged<int, int, nuint, nuint, byte*, byte*, nuint, byte*, nuint, int, int>)NativeLibrary.GetExport(handle, "blosc_compress_ctx");
    }

    /// <summary>The names tried in turn: the Debian package's library first.</summary>
    public static string[] DefaultNames { get; } = OperatingSystem.IsWindows() ? ["blosc.dll"]
        : OperatingSystem.IsMacOS() ? ["libblosc.1.dylib", "libblosc.dylib"]
        : ["libblosc.so.1", "libblosc.so"];

    /// <summary>The library, loaded on first use.</summary>
    /// <exception cref="DllNotFoundException">It is not installed; the message says how to install it.</exception>
    public static BloscLibrary Default => s_default.Value;

    /// <summary>Loads the first of <paramref name="names"/> that loads and has the functions used.</summary>
    /// <exception cref="DllNotFoundException">None does; the message says how to install the library.</exception>
    public static BloscLibrary Load(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                try
                {
                    return new BloscLibrary(handle);
                }
                catch (EntryPointNotFoundException)
                {
                    // Too old a c-blosc (validate came with 1.16): try the next name.
                }
            }
        }

        throw new DllNotFoundException(
            $"Blosc-compressed Zarr arrays need the c-blosc library ({string.Join(" or ", names)}), which is not installed: "
            + "install it with 'sudo apt-get install libblosc1' (Debian, Ubuntu; 'brew install c-blosc' on macOS), or write the array with another codec.");
    }

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="decoded"/>, which it must fill exactly.</summary>
    /// <exception cref="InvalidDataException">The buffer is not Blosc data, is truncated, or holds another size.</exception>
    public void Decompress(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        fixed (byte* src = encoded)
        fixed (byte* dst = decoded)
        {
            nuint nbytes;
            // Validation checks the header against the buffer's real length before anything trusts it.
            if (encoded.Length < MaxOverhead || _validate(src, (nuint)encoded.Length, &nbytes) != 0)
            {
                throw new InvalidDataException("it is not Blosc data, or it is truncated");
            }

            if (nbytes != (nuint)decoded.Length)
            {
                throw new InvalidDataException($"it decompresses to {nbytes} bytes instead of {decoded.Length}");
            }

            var n = _decompress(src, dst, (nuint)decoded.Length, 1);
            if (n != decoded.Length)
            {
                throw new InvalidDataException(n < 0 ? $"Blosc failed to decompress it (error {n})" : $"it decompresses to {n} bytes instead of {decoded.Length}");
            }
        }
    }

    /// <summary>Compresses <paramref name="data"/> with the internal compressor <paramref name="cname"/> into <paramref name="output"/> (at least <see cref="MaxOverhead"/> bytes longer); returns the bytes used.</summary>
    public int Compress(ReadOnlySpan<byte> data, string cname, int level, int shuffle, int itemSize, int blockSize, byte[] output)
    {
        var name = new byte[cname.Length + 1];
        System.Text.Encoding.ASCII.GetBytes(cname, name);
        fixed (byte* src = data)
        fixed (byte* dst = output)
        fixed (byte* compressor = name)
        {
            var n = _compress(level, shuffle, (nuint)itemSize, (nuint)data.Length, src, dst, (nuint)output.Length, compressor, (nuint)blockSize, 1);
            if (n <= 0)
            {
                throw new IOException($"Blosc could not compress a chunk with '{cname}' (error {n}).");
            }

            return n;
        }
    }
}
