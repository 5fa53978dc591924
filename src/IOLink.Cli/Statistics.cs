using System.Numerics;
using System.Runtime.InteropServices;
using IOLink.Internal;

namespace IOLink.Cli;

/// <summary>Minimum, maximum and mean of every component of a view, streamed slab by slab.</summary>
internal static class Statistics
{
    private const long SlabBytes = 32L << 20;

    public readonly record struct Result(double Min, double Max, double Mean, long Count);

    public static Result Compute(ImageView view, IProgress<double>? progress = null)
    {
        var type = view.DataType;
        var slabs = new Slabs(ImageViewFactory.ToLongs(view.Shape), type.ByteCount, SlabBytes);
        var buffer = new byte[slabs.MaxBytes];
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long count = 0;
        long done = 0;
        foreach (var (origin, size) in slabs)
        {
            var region = new RegionXu64(ImageViewFactory.FromLongs(origin), ImageViewFactory.FromLongs(size));
            var bytes = buffer.AsSpan(0, (int)((long)region.ElementCount * type.ByteCount));
            view.ReadRegion(region, bytes);
            Accumulate(bytes, type, ref min, ref max, ref sum, ref count);
            done += bytes.Length;
            progress?.Report((double)done / view.ByteCount);
        }

        return new Result(min, max, count == 0 ? double.NaN : sum / count, count);
    }

    /// <summary>The components of <paramref name="bytes"/> as doubles, for rendering.</summary>
    public static double[] ToDoubles(ReadOnlySpan<byte> bytes, DataType type)
    {
        var component = type.ComponentType;
        var result = new double[bytes.Length / component.ByteCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Value(bytes.Slice(i * component.ByteCount, component.ByteCount), component);
        }

        return result;
    }

    private static void Accumulate(ReadOnlySpan<byte> bytes, DataType type, ref double min, ref double max, ref double sum, ref long count)
    {
        var component = type.ComponentType;
        switch ((component.PrimitiveType, component.BitDepth))
        {
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 8): Run(bytes, ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 8): Run(MemoryMarshal.Cast<byte, sbyte>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 16): Run(MemoryMarshal.Cast<byte, ushort>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 16): Run(MemoryMarshal.Cast<byte, short>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 32): Run(MemoryMarshal.Cast<byte, uint>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 32): Run(MemoryMarshal.Cast<byte, int>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 64): Run(MemoryMarshal.Cast<byte, ulong>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 64): Run(MemoryMarshal.Cast<byte, long>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.FLOATING_POINT, 16): Run(MemoryMarshal.Cast<byte, Half>(bytes), ref min, ref max, ref sum, ref count); break;
            case (PrimitiveTypeId.FLOATING_POINT, 32): Run(MemoryMarshal.Cast<byte, float>(bytes), ref min, ref max, ref sum, ref count); break;
            default: Run(MemoryMarshal.Cast<byte, double>(bytes), ref min, ref max, ref sum, ref count); break;
        }
    }

    private static void Run<T>(ReadOnlySpan<T> values, ref double min, ref double max, ref double sum, ref long count)
        where T : unmanaged, INumberBase<T>
    {
        foreach (var v in values)
        {
            var d = double.CreateTruncating(v);
            if (double.IsNaN(d))
            {
                continue;
            }

            min = Math.Min(min, d);
            max = Math.Max(max, d);
            sum += d;
            count++;
        }
    }

    private static double Value(ReadOnlySpan<byte> b, DataType component) => (component.PrimitiveType, component.BitDepth) switch
    {
        (PrimitiveTypeId.UNSIGNED_INTEGER, 8) => b[0],
        (PrimitiveTypeId.SIGNED_INTEGER, 8) => (sbyte)b[0],
        (PrimitiveTypeId.UNSIGNED_INTEGER, 16) => BitConverter.ToUInt16(b),
        (PrimitiveTypeId.SIGNED_INTEGER, 16) => BitConverter.ToInt16(b),
        (PrimitiveTypeId.UNSIGNED_INTEGER, 32) => BitConverter.ToUInt32(b),
        (PrimitiveTypeId.SIGNED_INTEGER, 32) => BitConverter.ToInt32(b),
        (PrimitiveTypeId.UNSIGNED_INTEGER, 64) => BitConverter.ToUInt64(b),
        (PrimitiveTypeId.SIGNED_INTEGER, 64) => BitConverter.ToInt64(b),
        (PrimitiveTypeId.FLOATING_POINT, 16) => (double)BitConverter.ToHalf(b),
        (PrimitiveTypeId.FLOATING_POINT, 32) => BitConverter.ToSingle(b),
        _ => BitConverter.ToDouble(b),
    };
}
