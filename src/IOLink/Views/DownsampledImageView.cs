using System.Buffers;

namespace IOLink.Views;

/// <summary>
/// A view at half the resolution of its parent along some dimensions, each element the mean of the parent's 2 (or
/// 4, 8) elements it covers (fewer at an odd end), rounded to nearest for integer types; computed on each read,
/// nothing stored. The parent is read in slabs of bounded size. Vector and complex elements are averaged per
/// component.
/// </summary>
internal sealed unsafe class DownsampledImageView : ImageView
{
    private const long SlabBytes = 16L << 20;

    private readonly ImageView _parent;
    private readonly bool[] _halved;

    /// <summary>Takes ownership of <paramref name="parent"/> (a handle of its own).</summary>
    public DownsampledImageView(ImageView parent, bool[] halved, ImageProperties properties)
        : base(HalfShape(parent.Shape, halved), parent.DataType, properties, parent.Metadata)
    {
        _parent = parent;
        _halved = halved;
    }

    /// <summary>The shape of the half-resolution view: each halved length rounded up.</summary>
    public static VectorXu64 HalfShape(VectorXu64 shape, bool[] halved)
    {
        var result = new ulong[shape.Size];
        for (var d = 0; d < result.Length; d++)
        {
            result[d] = halved[d] ? (shape[d] + 1) / 2 : shape[d];
        }

        return new VectorXu64(result);
    }

    protected override ImageCapability CapabilitiesCore => _parent.Capabilities & ImageCapability.READ;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var rank = DimensionCount;
        var last = rank - 1;
        var elementBytes = DataType.ByteCount;
        long outputPlane = elementBytes;
        for (var d = 0; d < last; d++)
        {
            outputPlane *= size[d];
        }

        // Output planes along the last dimension, as many per slab as keep the parent's share under SlabBytes.
        var parentPerOutputPlane = outputPlane << _halved.Count(h => h);
        var planes = Math.Max(1, Math.Min(size[last], SlabBytes / Math.Max(1, parentPerOutputPlane)));
        var outOrigin = origin.ToArray();
        var outSize = size.ToArray();
        for (long done = 0; done < size[last]; done += planes)
        {
            outOrigin[last] = origin[last] + done;
            outSize[last] = Math.Min(planes, size[last] - done);
            ReadSlab(outOrigin, outSize, dst + (done * outputPlane));
        }
    }

    protected override void ReleaseResources() => _parent.Dispose();

    private void ReadSlab(long[] origin, long[] size, byte* dst)
    {
        var rank = origin.Length;
        var parentShape = IOLink.Layout.StridedLayout.ToLengths(_parent.Shape);
        var pOrigin = new long[rank];
        var pSize = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            pOrigin[d] = _halved[d] ? origin[d] * 2 : origin[d];
            var end = _halved[d] ? Math.Min((origin[d] + size[d]) * 2, parentShape[d]) : origin[d] + size[d];
            pSize[d] = end - pOrigin[d];
        }

        var type = DataType;
        var elementBytes = type.ByteCount;
        long parentBytes = elementBytes;
        foreach (var n in pSize)
        {
            parentBytes *= n;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)parentBytes);
        try
        {
            _parent.ReadRegion(new RegionXu64(Vector(pOrigin), Vector(pSize)), buffer.AsSpan(0, (int)parentBytes));
            var pStrides = StridedMemory.DenseByteStrides(pSize, elementBytes);
            var components = (int)type.Dimension;
            var componentBytes = type.ComponentByteCount;
            var sums = new double[components];
            var index = new long[rank];
            var halvedDims = Enumerable.Range(0, rank).Where(d => _halved[d]).ToArray();
            var windows = 1 << halvedDims.Length;
            fixed (byte* parent = buffer)
            {
                var outCount = 1L;
                foreach (var n in size)
                {
                    outCount *= n;
                }

                for (long e = 0; e < outCount; e++)
                {
                    // The window's first parent element, relative to the slab's parent box.
                    long baseOffset = 0;
                    for (var d = 0; d < rank; d++)
                    {
                        baseOffset += (_halved[d] ? index[d] * 2 : index[d]) * pStrides[d];
                    }

                    Array.Clear(sums);
                    var count = 0;
                    for (var w = 0; w < windows; w++)
                    {
                        var offset = baseOffset;
                        var inside = true;
                        for (var j = 0; j < halvedDims.Length; j++)
                        {
                            if ((w & (1 << j)) != 0)
                            {
                                var d = halvedDims[j];
                                inside &= (index[d] * 2) + 1 < pSize[d];
                                offset += pStrides[d];
                            }
                        }

                        if (!inside)
                        {
                            continue;
                        }

                        count++;
                        for (var c = 0; c < components; c++)
                        {
                            sums[c] += Load(parent + offset + (c * componentBytes), type);
                        }
                    }

                    var to = dst + (e * elementBytes);
                    for (var c = 0; c < components; c++)
                    {
                        Store(to + (c * componentBytes), sums[c] / count, type);
                    }

                    for (var d = 0; d < rank && ++index[d] == size[d]; d++)
                    {
                        index[d] = 0;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static VectorXu64 Vector(long[] values) => new(Array.ConvertAll(values, v => (ulong)v));

    /// <summary>One component as a double.</summary>
    private static double Load(byte* p, DataType type) => (type.PrimitiveType, type.ComponentByteCount) switch
    {
        (PrimitiveTypeId.UNSIGNED_INTEGER, 1) => *p,
        (PrimitiveTypeId.UNSIGNED_INTEGER, 2) => *(ushort*)p,
        (PrimitiveTypeId.UNSIGNED_INTEGER, 4) => *(uint*)p,
        (PrimitiveTypeId.UNSIGNED_INTEGER, 8) => *(ulong*)p,
        (PrimitiveTypeId.SIGNED_INTEGER, 1) => *(sbyte*)p,
        (PrimitiveTypeId.SIGNED_INTEGER, 2) => *(short*)p,
        (PrimitiveTypeId.SIGNED_INTEGER, 4) => *(int*)p,
        (PrimitiveTypeId.SIGNED_INTEGER, 8) => *(long*)p,
        (PrimitiveTypeId.FLOATING_POINT, 2) => (double)*(Half*)p,
        (PrimitiveTypeId.FLOATING_POINT, 4) => *(float*)p,
        _ => *(double*)p,
    };

    /// <summary>A mean stored as one component: rounded to nearest (halves away from zero) for integers, in range since it is a mean of in-range values.</summary>
    private static void Store(byte* p, double value, DataType type)
    {
        if (type.PrimitiveType != PrimitiveTypeId.FLOATING_POINT)
        {
            value = Math.Round(value, MidpointRounding.AwayFromZero);
        }

        switch (type.PrimitiveType, type.ComponentByteCount)
        {
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 1): *p = (byte)value; break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 2): *(ushort*)p = (ushort)value; break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 4): *(uint*)p = (uint)value; break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 8): *(ulong*)p = (ulong)Math.Min(value, ulong.MaxValue); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 1): *(sbyte*)p = (sbyte)value; break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 2): *(short*)p = (short)value; break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 4): *(int*)p = (int)value; break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 8): *(long*)p = (long)Math.Clamp(value, long.MinValue, long.MaxValue); break;
            case (PrimitiveTypeId.FLOATING_POINT, 2): *(Half*)p = (Half)value; break;
            case (PrimitiveTypeId.FLOATING_POINT, 4): *(float*)p = (float)value; break;
            default: *(double*)p = value; break;
        }
    }
}
