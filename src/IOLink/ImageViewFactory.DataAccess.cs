using System.Runtime.InteropServices;
using IOLink.DataAccess;
using IOLink.Internal;
using IOLink.Layout;
using IOLink.Views;

namespace IOLink;

/// <summary>Views on data reached through a <see cref="RandomAccess"/>: raw pixels in files, mapped files, streams.</summary>
public static unsafe partial class ImageViewFactory
{
    /// <summary>The largest buffer <see cref="CopyOnDisk"/> uses, so that copying a view larger than memory works.</summary>
    private const long CopySlabBytes = 64L << 20;

    /// <summary>
    /// A view over raw pixels stored in <paramref name="access"/> from byte <paramref name="offset"/>, dense in canonical
    /// order (first dimension fastest, as a C array indexed [slice][row][column]).
    /// </summary>
    /// <remarks>
    /// READ and WRITE come from the access. When the access is memory (MEMORY_ACCESS, for example a file mapped with
    /// <see cref="RandomAccessFactory.MapFile"/>) the view is a zero-copy memory view with MEMORY_ACCESS; otherwise
    /// every region read or write is one transfer per contiguous run of the file. Either way the view keeps the data
    /// alive: disposing the access first is allowed.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="access"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="ArgumentException">The shape or type is not valid, or the view would extend past the end of the access.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public static ImageView FromRandomAccess(RandomAccess access, long offset, VectorXu64 shape, DataType type)
    {
        ArgumentNullException.ThrowIfNull(access);
        access.ThrowIfDisposed();
        if (offset < 0)
        {
            AccessThrowHelper.NegativeOffset(offset, nameof(offset));
        }

        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        var bytes = ImageView.CheckedByteCount(shape, type);
        if (offset > access.Size || bytes > access.Size - offset)
        {
            AccessThrowHelper.ViewPastEnd(type, shape, offset, bytes, access.Size, nameof(shape));
        }

        if (access.Block is { } block)
        {
            var layout = MemoryLayout.Dense(block, offset, shape, type.ByteCount, nameof(shape));
            var writable = (access.CapabilitiesCore & RandomAccessCapability.WRITE) != 0;
            return new MemoryImageView(layout, shape, type, writable, reshapable: false, null, null, takeReference: true);
        }

        return new RandomAccessImageView(access, offset, shape, type, null, null);
    }

    /// <summary>
    /// A zeroed view stored in a new temporary file (in <see cref="Path.GetTempPath"/>) instead of memory, for data
    /// larger than memory. The file is deleted when the view and every view made from it are disposed.
    /// </summary>
    /// <returns>A view with READ and WRITE (no MEMORY_ACCESS).</returns>
    /// <exception cref="ArgumentException">The shape, data type or properties are not valid.</exception>
    /// <exception cref="IOException">The temporary file cannot be created or sized (a full disk, say).</exception>
    public static ImageView CreateOnDisk(VectorXu64 shape, DataType type, ImageProperties? properties = null, MetadataNode? metadata = null)
    {
        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        ImageProperties.CheckFits(properties?.AxesInterpretation ?? default, shape.Size);
        var bytes = ImageView.CheckedByteCount(shape, type);
        using var access = RandomAccessFactory.CreateTemporary(bytes);
        return new RandomAccessImageView(access, 0, shape, type, properties, metadata);
    }

    /// <summary>
    /// Copies any readable view into a temporary file (see <see cref="CreateOnDisk"/>), dense in canonical order, with
    /// the same properties and metadata. The copy moves at most 64 MiB at a time, so views larger than memory can be copied.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    /// <exception cref="IOException">The temporary file cannot be created or written.</exception>
    public static ImageView CopyOnDisk(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.Require(ImageCapability.READ, nameof(CopyOnDisk));
        var copy = CreateOnDisk(view.Shape, view.DataType, view.Properties, view.MetadataIfAny);
        try
        {
            CopyInSlabs(view, copy, CopySlabBytes);
        }
        catch
        {
            copy.Dispose();
            throw;
        }

        return copy;
    }

    /// <summary>Copies <paramref name="src"/> to <paramref name="dst"/> (same shape and type) in slabs of at most <paramref name="slabBytes"/>.</summary>
    internal static void CopyInSlabs(ImageView src, ImageView dst, long slabBytes)
    {
        var slabs = RegionSlabs.For(src, slabBytes);
        var buffer = (byte*)NativeMemory.Alloc((nuint)slabs.MaxByteCount);
        try
        {
            foreach (var (origin, size) in slabs.Regions())
            {
                src.ReadRegionData(origin, size, buffer);
                dst.WriteRegionData(origin, size, buffer);
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }
}
