using System.Runtime.InteropServices;
using IOLink.Internal;
using IOLink.Layout;

namespace IOLink.Views;

/// <summary>
/// A view of its parent's values through a linear map into another data type (adapt_data_type,
/// adapt_dynamic_range): computed on each read, nothing stored; a write maps back through the inverse and writes the
/// parent. Vector elements are mapped per component.
/// </summary>
/// <remarks>
/// A region read converts straight from the parent's memory when the parent has MEMORY_ACCESS and its first
/// dimension is contiguous; otherwise it reads the parent in slabs of bounded size and converts those. Large regions
/// are cut along their outer dimension into one part per thread (<see cref="CopyParallelism"/>).
/// </remarks>
internal sealed unsafe class MappedValueImageView : ImageView
{
    private const long SlabBytes = 8L << 20;

    private readonly ImageView _parent;
    private readonly ScalarKind _from;
    private readonly ScalarKind _to;
    private readonly LinearMap _forward;
    private readonly LinearMap _backward;
    private readonly int _components;

    /// <summary>Takes ownership of <paramref name="parent"/> (a handle of its own).</summary>
    public MappedValueImageView(ImageView parent, DataType type, ScalarKind from, ScalarKind to, LinearMap forward, ImageProperties properties)
        : base(parent.Shape, type, properties, parent.MetadataIfAny)
    {
        _parent = parent;
        _from = from;
        _to = to;
        _forward = forward;
        _backward = forward.Inverse(from);
        _components = (int)type.Dimension;
    }

    /// <summary>READ as the parent allows; WRITE too unless the map sends every value to one (an output range of one value has no inverse).</summary>
    protected override ImageCapability CapabilitiesCore =>
        _parent.Capabilities & (_forward.Scale == 0 ? ImageCapability.READ : ImageCapability.READ | ImageCapability.WRITE);

    protected override VectorXu64? StorageBlockShapeCore => _parent.StorageBlockShape;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst) =>
        InParts(origin.ToArray(), size.ToArray(), dst, read: true);

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src) =>
        InParts(origin.ToArray(), size.ToArray(), src, read: false);

    protected override void ReleaseResources() => _parent.Dispose();

    /// <summary>The region cut along its outermost dimension longer than one element, one part per thread.</summary>
    private void InParts(long[] origin, long[] size, byte* buffer, bool read)
    {
        var bytes = RegionBytes(size);
        var k = Array.FindLastIndex(size, s => s > 1);
        var parts = k < 0 ? 1 : (int)Math.Min(CopyParallelism.PartsFor(bytes), size[Math.Max(k, 0)]);
        if (parts <= 1)
        {
            Part(origin, size, buffer, read);
            return;
        }

        var planeBytes = bytes / size[k];
        var address = (nint)buffer;
        CopyParallelism.RunParts(parts, p =>
        {
            var first = size[k] * p / parts;
            var next = size[k] * (p + 1) / parts;
            var o = (long[])origin.Clone();
            var s = (long[])size.Clone();
            o[k] += first;
            s[k] = next - first;
            Part(o, s, (byte*)address + (first * planeBytes), read);
        });
    }

    private void Part(long[] origin, long[] size, byte* buffer, bool read)
    {
        if (TryLeaseRows(origin, size) is { } layout)
        {
            try
            {
                Rows(layout, origin, size, buffer, read);
            }
            finally
            {
                layout.Block.Release();
            }

            return;
        }

        Slabs(origin, size, buffer, read);
    }

    /// <summary>The parent's memory, held, when it has MEMORY_ACCESS (and WRITE for a write), its first dimension is contiguous and it holds the region.</summary>
    private MemoryLayout? TryLeaseRows(long[] origin, long[] size)
    {
        if (_parent.Layout is not { } layout || layout.Strides[0] != _parent.DataType.ByteCount)
        {
            return null;
        }

        if (!layout.Block.TryAddReference())
        {
            return null;
        }

        if (!layout.Holds(origin, size))
        {
            layout.Block.Release();
            return null;
        }

        return layout;
    }

    /// <summary>Run by run between the parent's memory and the dense buffer: a run is the first dimension, and the ones after it while the parent's memory is contiguous across them.</summary>
    private void Rows(MemoryLayout layout, long[] origin, long[] size, byte* buffer, bool read)
    {
        var strides = layout.Strides;
        var first = 1;
        var run = size[0];
        while (first < size.Length && strides[first] == strides[first - 1] * size[first - 1])
        {
            run *= size[first];
            first++;
        }

        var components = run * _components;
        var runBytes = run * DataType.ByteCount;
        var index = new long[size.Length];
        var start = (byte*)layout.ElementAddress(origin);
        long runs = 1;
        for (var d = first; d < size.Length; d++)
        {
            runs *= size[d];
        }

        for (long r = 0; r < runs; r++)
        {
            long offset = 0;
            for (var d = first; d < size.Length; d++)
            {
                offset += index[d] * strides[d];
            }

            var parentRun = start + offset;
            var own = buffer + (r * runBytes);
            if (read)
            {
                ValueMap.Map(parentRun, _from, own, _to, components, _forward);
            }
            else
            {
                ValueMap.Map(own, _to, parentRun, _from, components, _backward);
            }

            for (var d = first; d < size.Length && ++index[d] == size[d]; d++)
            {
                index[d] = 0;
            }
        }
    }

    /// <summary>Through a temporary buffer of the parent's type, slab by slab along the outermost dimension.</summary>
    private void Slabs(long[] origin, long[] size, byte* buffer, bool read)
    {
        var last = size.Length - 1;
        var planeElements = size[..last].Aggregate(1L, (a, b) => a * b) * _components;
        var parentPlaneBytes = planeElements * ValueMap.SizeOf(_from);
        var planes = Math.Max(1, Math.Min(size[last], SlabBytes / Math.Max(1, parentPlaneBytes)));
        var temp = (byte*)NativeMemory.Alloc((nuint)(planes * parentPlaneBytes));
        try
        {
            var o = (long[])origin.Clone();
            var s = (long[])size.Clone();
            var ownPlaneBytes = planeElements * ValueMap.SizeOf(_to);
            for (long done = 0; done < size[last]; done += planes)
            {
                o[last] = origin[last] + done;
                s[last] = Math.Min(planes, size[last] - done);
                var own = buffer + (done * ownPlaneBytes);
                if (read)
                {
                    _parent.ReadRegionData(o, s, temp);
                    ValueMap.Map(temp, _from, own, _to, s[last] * planeElements, _forward);
                }
                else
                {
                    ValueMap.Map(own, _to, temp, _from, s[last] * planeElements, _backward);
                    _parent.WriteRegionData(o, s, temp);
                }
            }
        }
        finally
        {
            NativeMemory.Free(temp);
        }
    }
}
