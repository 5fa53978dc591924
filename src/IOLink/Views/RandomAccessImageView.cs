using System.Runtime.InteropServices;
using IOLink.DataAccess;
using IOLink.Files;
using IOLink.Internal;
using IOLink.Layout;

namespace IOLink.Views;

/// <summary>
/// A view over raw pixels stored in a <see cref="RandomAccess"/> without MEMORY_ACCESS (a file, a stream), from a
/// byte offset: dense in canonical order (a raw file), or any layout of non-negative strides (a C-order .npy file).
/// Region reads and writes transfer one contiguous run per call: the region's leading full-width dimensions are
/// merged, so a full-width region is a single transfer; a region stored in another order is read whole and
/// reordered in memory.
/// </summary>
/// <remarks>The view holds a reference on the access's data source, which therefore stays open until the view is disposed.</remarks>
internal sealed unsafe class RandomAccessImageView : ImageView
{
    private readonly RandomAccess _access;
    private readonly long _offset;
    private readonly StridedLayout _layout;

    public RandomAccessImageView(RandomAccess access, long offset, VectorXu64 shape, DataType type, ImageProperties? properties, MetadataNode? metadata)
        : this(access, offset, shape, type, StridedLayout.Dense(shape, type.ByteCount), properties, metadata, ownsProperties: false)
    {
    }

    /// <summary>A view whose elements lie in the access at <paramref name="offset"/> plus <paramref name="layout"/>'s byte offsets (non-negative strides, inside the access).</summary>
    public RandomAccessImageView(RandomAccess access, long offset, VectorXu64 shape, DataType type, StridedLayout layout, ImageProperties? properties, MetadataNode? metadata, bool ownsProperties)
        : base(access.ShareSource(), shape, type, properties, metadata, ownsProperties)
    {
        _access = access;
        _offset = offset;
        _layout = layout;
    }

    /// <summary>The byte offset of the first element in the access, and the layout from there.</summary>
    internal (long Offset, StridedLayout Layout) Placement => (_offset, _layout);

    /// <summary>The access behind the view.</summary>
    internal RandomAccess Access => _access;

    protected override ImageCapability CapabilitiesCore
    {
        get
        {
            var caps = _access.CapabilitiesCore;
            return ((caps & RandomAccessCapability.READ) != 0 ? ImageCapability.READ : ImageCapability.NONE)
                | ((caps & RandomAccessCapability.WRITE) != 0 ? ImageCapability.WRITE : ImageCapability.NONE);
        }
    }

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        using var lease = _access.Source.Lease(nameof(ImageView));
        var sizes = size.ToArray();
        ReadStaged(origin.ToArray(), sizes, dst, StridedLayout.DenseStrides(sizes, DataType.ByteCount));
    }

    /// <summary>Staged reads hold at most this much of the file at a time.</summary>
    private const long StageBytes = 64L << 20;

    /// <summary>
    /// Reads a region into <paramref name="dst"/> laid out with <paramref name="dstStrides"/>. When the region's
    /// fastest dimension is contiguous in the file, run by run (<see cref="Transfer"/>). Otherwise (a C-order .npy
    /// read in canonical order) that would be one tiny read per element, so the file bytes the region spans are read
    /// in one transfer and reordered in memory; a region spanning far more of the file than it holds is split along
    /// its dimension with the largest file stride until each part is compact.
    /// </summary>
    private void ReadStaged(long[] origin, long[] size, byte* dst, long[] dstStrides)
    {
        var element = DataType.ByteCount;
        var strides = _layout.Strides;
        long bytes = element, span = element;
        int fastest = -1, slowest = -1;
        for (var d = 0; d < size.Length; d++)
        {
            bytes *= size[d];
            span += (size[d] - 1) * strides[d];
            if (size[d] > 1)
            {
                fastest = fastest < 0 ? d : fastest;
                slowest = slowest < 0 || strides[d] > strides[slowest] ? d : slowest;
            }
        }

        var dense = StridedLayout.DenseStrides(size, element);
        if (fastest >= 0 && strides[fastest] == element && Lengths.Equal(dstStrides, dense))
        {
            Transfer(origin, size, dst, read: true);
            return;
        }

        if (slowest >= 0 && (span > StageBytes || span > 4 * bytes))
        {
            var (half, firstSize, secondOrigin, secondSize) = StridedLayout.Halve(origin, size, slowest);
            ReadStaged(origin, firstSize, dst, dstStrides);
            ReadStaged(secondOrigin, secondSize, dst + (dstStrides[slowest] * half), dstStrides);
            return;
        }

        var stage = (byte*)NativeMemory.Alloc((nuint)span);
        try
        {
            _access.ReadLong(_offset + _layout.OffsetOf(origin), stage, span);
            StridedCopy.Copy(stage, strides, dst, dstStrides, size, DataType);
        }
        finally
        {
            NativeMemory.Free(stage);
        }
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        using var lease = _access.Source.Lease(nameof(ImageView));
        try
        {
            Transfer(origin.ToArray(), size.ToArray(), src, read: false);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"Writing a region of {string.Join("x", size.ToArray())} elements at ({string.Join(", ", origin.ToArray())}) failed part-way: the region in the underlying file or stream " +
                "may be partly updated. Fix the cause (disk space, permissions) and write the whole region again.", ex);
        }
    }

    /// <summary>
    /// Moves the region run by run: the copy between the file's dense layout and the buffer's is simplified as the
    /// memory copies are (the region's leading full-width dimensions merge into one run), and each run is one transfer.
    /// </summary>
    private void Transfer(long[] origin, long[] size, byte* buffer, bool read)
    {
        var element = DataType.ByteCount;
        var offset = _offset + _layout.OffsetOf(origin);
        var dense = StridedLayout.DenseStrides(size, element);
        var dims = new CopyDimension[size.Length];
        fixed (CopyDimension* room = dims)
        {
            TransferRuns(offset, size, dense, room, buffer, read);
        }
    }

    private void TransferRuns(long offset, long[] size, long[] dense, CopyDimension* room, byte* buffer, bool read)
    {
        var element = DataType.ByteCount;
        long fileOffset = 0, bufferOffset = 0;
        var count = StridedLayout.SimplifyCopy(size, _layout.Strides, dense, 1, element, new CopyDimensions(room, size.Length), ref fileOffset, ref bufferOffset);
        if (count < 0)
        {
            return;
        }

        // The innermost dimension is one run when it is contiguous on both sides; otherwise each element is.
        long run = element;
        var outer = new CopyDimensions(room, count);
        if (count > 0 && outer[0].Source == element && outer[0].Destination == element)
        {
            run = outer[0].Length * element;
            outer = outer[1..];
        }

        // A remote access takes the runs together: it fetches nearby ones in one request, and the rest concurrently.
        var gathered = read && _access.GathersReads ? new List<ReadRun>() : null;
        var walk = new CopyOdometer(outer, stackalloc long[outer.Length]);
        do
        {
            var at = offset + fileOffset + walk.SourceOffset;
            var p = buffer + bufferOffset + walk.DestinationOffset;
            if (gathered is not null)
            {
                gathered.Add(new ReadRun(at, run, (nint)p));
            }
            else if (read)
            {
                _access.ReadLong(at, p, run);
            }
            else
            {
                _access.WriteLong(at, p, run);
            }
        }
        while (walk.Next());
        if (gathered is not null)
        {
            _access.ReadRuns(gathered);
        }
    }

    /// <summary>
    /// Copies the elements file to file inside the kernel, as cp does, when the access is a file and the output one;
    /// a source that another process shortens meanwhile is an <see cref="IOException"/>.
    /// </summary>
    internal override bool TryWriteStored(Stream stream, Func<long[], bool> liesAsOutput, IProgress<double>? progress)
    {
        // A pipe or device written in place (no position to copy at) takes the buffered path.
        if (_access is not FileRandomAccess source || stream is not FileStream { CanSeek: true } file || !liesAsOutput(_layout.Strides.ToArray()))
        {
            return false;
        }

        using var lease = source.Source.Lease(nameof(ImageView));
        var bytes = ByteCount;
        file.Flush();
        var at = file.Position;
        if (!KernelCopy.TryCopy(source.Handle, _offset + _layout.LowestOffset, file.SafeFileHandle, at, bytes,
            progress is null ? null : done => progress.Report((double)done / bytes)))
        {
            return false;
        }

        file.Seek(at + bytes, SeekOrigin.Begin);
        return true;
    }
}
