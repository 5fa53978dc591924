using System.Numerics;
using System.Runtime.InteropServices;

namespace IOLink.Cli;

/// <summary>Minimum, maximum and mean of every component of a view, streamed slab by slab.</summary>
internal static class Statistics
{
    private const long SlabBytes = 32L << 20;

    public readonly record struct Result(double Min, double Max, double Mean, long Count);

    public static Result Compute(ImageView view, IProgress<double>? progress = null)
    {
        var type = view.DataType;
        var slabs = new RegionSlabs(view.Shape, type.ByteCount, SlabBytes);
        var buffer = new byte[slabs.MaxByteCount];
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long count = 0;
        long done = 0;
        foreach (var region in slabs)
        {
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
        var result = new double[bytes.Length / type.ComponentByteCount];
        Convert(bytes, type, result);
        return result;
    }

    private static void Accumulate(ReadOnlySpan<byte> bytes, DataType type, ref double min, ref double max, ref double sum, ref long count)
    {
        // Blocks of converted values keep one type dispatch (Convert) for statistics and rendering alike.
        Span<double> block = stackalloc double[4096];
        var size = type.ComponentByteCount;
        for (var start = 0; start < bytes.Length; start += block.Length * size)
        {
            var chunk = bytes.Slice(start, Math.Min(block.Length * size, bytes.Length - start));
            var values = block[..(chunk.Length / size)];
            Convert(chunk, type, values);
            foreach (var d in values)
            {
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
    }

    /// <summary>The one place component values are read: each component of <paramref name="bytes"/> as a double.</summary>
    private static void Convert(ReadOnlySpan<byte> bytes, DataType type, Span<double> dst)
    {
        var component = type.ComponentType;
        switch ((component.PrimitiveType, component.BitDepth))
        {
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 8): Convert(bytes, dst); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 8): Convert(MemoryMarshal.Cast<byte, sbyte>(bytes), dst); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 16): Convert(MemoryMarshal.Cast<byte, ushort>(bytes), dst); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 16): Convert(MemoryMarshal.Cast<byte, short>(bytes), dst); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 32): Convert(MemoryMarshal.Cast<byte, uint>(bytes), dst); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 32): Convert(MemoryMarshal.Cast<byte, int>(bytes), dst); break;
            case (PrimitiveTypeId.UNSIGNED_INTEGER, 64): Convert(MemoryMarshal.Cast<byte, ulong>(bytes), dst); break;
            case (PrimitiveTypeId.SIGNED_INTEGER, 64): Convert(MemoryMarshal.Cast<byte, long>(bytes), dst); break;
            case (PrimitiveTypeId.FLOATING_POINT, 16): Convert(MemoryMarshal.Cast<byte, Half>(bytes), dst); break;
            case (PrimitiveTypeId.FLOATING_POINT, 32): Convert(MemoryMarshal.Cast<byte, float>(bytes), dst); break;
            default: Convert(MemoryMarshal.Cast<byte, double>(bytes), dst); break;
        }
    }

    private static void Convert<T>(ReadOnlySpan<T> values, Span<double> dst)
        where T : unmanaged, INumberBase<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            dst[i] = double.CreateTruncating(values[i]);
        }
    }
}
