using System.ComponentModel;

namespace IOLink.Python;

/// <summary>
/// Region reads and writes addressed by raw pointers, for the Python module <c>iolink</c>, which holds the Python
/// buffer (a memoryview export) while the call runs. .NET code should use <see cref="ImageView.ReadRegion"/> and
/// <see cref="ImageView.WriteRegion"/> with spans instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PythonMemory
{
    /// <summary>Reads <paramref name="region"/> of <paramref name="view"/> into <paramref name="byteLength"/> bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The buffer is too small or larger than 2 GiB, or the region does not fit the view.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static void ReadRegion(ImageView view, RegionXu64 region, long address, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ReadRegion(region, new Span<byte>((void*)address, CheckLength(byteLength)));
    }

    /// <summary>Writes <paramref name="region"/> of <paramref name="view"/> from <paramref name="byteLength"/> bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The buffer is too small or larger than 2 GiB, or the region does not fit the view.</exception>
    /// <exception cref="NotSupportedException">The view does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static void WriteRegion(ImageView view, RegionXu64 region, long address, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.WriteRegion(region, new ReadOnlySpan<byte>((void*)address, CheckLength(byteLength)));
    }

    /// <summary>A READ-only view whose every element is <paramref name="value"/>, for Python, which cannot pass spans.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The value is not one element long, or shape or type are not valid.</exception>
    public static ImageView Uniform(VectorXu64 shape, DataType type, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ImageViewFactory.Uniform(shape, type, value);
    }

    private static int CheckLength(long byteLength)
    {
        if (byteLength is < 0 or > int.MaxValue)
        {
            throw new ArgumentException($"A buffer of {byteLength} bytes cannot be used for one region; read regions of at most 2 GiB at a time.", nameof(byteLength));
        }

        return (int)byteLength;
    }
}
