using IOLink.Files;
using IOLink.Internal;
using IOLink.Layout;
using IOLink.Memory;

namespace IOLink.Views;

/// <summary>
/// A view over addressable memory: a base address plus one signed byte stride per dimension, so C order,
/// Fortran order, permuted axes, sub-regions, sub-sampling and flipped axes are all this one kind of view.
/// </summary>
/// <remarks>
/// The view's one reference is on its layout's block. Each read or write takes one snapshot of the layout (block,
/// address, strides and shape belong together) and a reference on that block for its duration, so neither a
/// concurrent Dispose nor a concurrent Reshape can free the memory under the copy.
/// </remarks>
internal sealed unsafe class MemoryImageView : ImageView
{
    private MemoryLayout _layout;
    private readonly bool _writable;
    private readonly bool _reshapable;

    /// <summary>Creates a view holding a new reference on the layout's block, or the caller's when <paramref name="takeReference"/> is false.</summary>
    public MemoryImageView(MemoryLayout layout, VectorXu64 shape, DataType type, bool writable, bool reshapable,
        ImageProperties? properties, MetadataNode? metadata, bool takeReference = true, bool ownsProperties = false)
        : base(Hold(layout.Block, takeReference), shape, type, properties, metadata, ownsProperties)
    {
        _layout = layout;
        _writable = writable;
        _reshapable = reshapable;
    }

    public bool Writable => _writable;

    protected override ImageCapability CapabilitiesCore =>
        ImageCapability.READ | ImageCapability.MEMORY_ACCESS
        | (_writable ? ImageCapability.WRITE : ImageCapability.NONE)
        | (_reshapable ? ImageCapability.RESHAPE : ImageCapability.NONE);

    internal override MemoryLayout Layout => Volatile.Read(ref _layout);

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var layout = LeaseLayout(origin, size);
        try
        {
            var src = (byte*)layout.ElementAddress(origin);
            StridedCopy.Copy(src, layout.Strides, dst, Dense(size, stackalloc long[size.Length]), size, DataType);
        }
        finally
        {
            layout.Block.Release();
        }
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        var layout = LeaseLayout(origin, size);
        try
        {
            var dst = (byte*)layout.ElementAddress(origin);
            StridedCopy.Copy(src, Dense(size, stackalloc long[size.Length]), dst, layout.Strides, size, DataType);
        }
        finally
        {
            layout.Block.Release();
        }
    }

    /// <summary>The dense canonical strides of a checked region (its byte count fits, so no product overflows), on the caller's stack.</summary>
    private Span<long> Dense(ReadOnlySpan<long> size, Span<long> strides)
    {
        long s = DataType.ByteCount;
        for (var i = 0; i < size.Length; i++)
        {
            strides[i] = s;
            s *= size[i];
        }

        return strides;
    }

    private protected override void ReshapeCore(VectorXu64 shape, DataType type, long byteCount)
    {
        var current = Layout;
        if (byteCount == current.Block.Length)
        {
            Volatile.Write(ref _layout, MemoryLayout.Dense(current.Block, 0, shape, type.ByteCount, nameof(shape)));
            return;
        }

        var block = NativeMemoryBlock.Allocate(byteCount);
        var layout = MemoryLayout.Dense(block, 0, shape, type.ByteCount, nameof(shape));
        // The new layout is published before the old block is released, so a reader that loses the old block finds the new one.
        Volatile.Write(ref _layout, layout);
        ReplaceSource(block);
    }

    /// <summary>A snapshot of the whole layout with a reference on its block, which the caller releases.</summary>
    /// <exception cref="ObjectDisposedException">The memory has been released.</exception>
    internal MemoryLayout LeaseWhole() => LeaseLayout(new long[DimensionCount], StridedLayout.ToLengths(Shape));

    /// <summary>A snapshot of the layout with a reference on its block, for one copy of a region the snapshot holds.</summary>
    /// <exception cref="ObjectDisposedException">The memory has been released.</exception>
    /// <exception cref="InvalidOperationException">The view was reshaped during the call and the region no longer fits.</exception>
    private MemoryLayout LeaseLayout(ReadOnlySpan<long> origin, ReadOnlySpan<long> size)
    {
        while (true)
        {
            var layout = Layout;
            if (layout.Block.TryAddReference())
            {
                if (layout.Holds(origin, size))
                {
                    return layout;
                }

                layout.Block.Release();
                ThrowHelper.ReshapedDuringCall();
            }

            if (ReferenceEquals(layout, Layout))
            {
                ThrowHelper.Disposed(this);
            }
        }
    }

    private static MemoryBlock Hold(MemoryBlock block, bool takeReference)
    {
        if (takeReference)
        {
            block.AddReference(nameof(ImageView));
        }

        return block;
    }

    /// <summary>The longest single write from the view's memory: one system call per 256 MiB, short enough for progress.</summary>
    private const long StoredWriteBytes = 256L << 20;

    /// <summary>
    /// Writes the elements straight from memory in long writes, with no staging copy; from a mapped file to a file,
    /// inside the kernel, as cp does.
    /// </summary>
    internal override bool TryWriteStored(Stream stream, Func<long[], bool> liesAsOutput, IProgress<double>? progress)
    {
        var layout = LeaseWhole();
        try
        {
            if (!liesAsOutput(layout.Strides.ToArray()))
            {
                return false;
            }

            var start = (byte*)layout.ElementAddress(new long[DimensionCount]);
            var bytes = ByteCount;
            if (layout.Block is MappedFileBlock mapped && stream is FileStream file)
            {
                file.Flush();
                var at = file.Position;
                if (KernelCopy.TryCopy(mapped.FileHandle, start - (byte*)mapped.Address, file.SafeFileHandle, at, bytes,
                    progress is null ? null : done => progress.Report((double)done / bytes)))
                {
                    file.Seek(at + bytes, SeekOrigin.Begin);
                    return true;
                }
            }

            for (long done = 0; done < bytes;)
            {
                var n = (int)Math.Min(StoredWriteBytes, bytes - done);
                stream.Write(new ReadOnlySpan<byte>(start + done, n));
                done += n;
                progress?.Report((double)done / bytes);
            }

            return true;
        }
        finally
        {
            layout.Block.Release();
        }
    }
}
