using System.Numerics;
using System.Runtime.InteropServices;

namespace IOLink.Cli;

/// <summary>Minimum, maximum and mean of every component of a view, streamed slab by slab.</summary>
internal static class Statistics
{
    private const long SlabBytes = 32L << 20;

    /// <summary>The statistics of every component, or of the real parts of complex data (<see cref="Imaginary"/> holding the imaginary parts').</summary>
    public readonly record struct Result(double Min, double Max, double Mean, long Count)
    {
        public Part? Imaginary { get; init; }
    }

    /// <summary>The statistics of the imaginary parts of complex data.</summary>
    public readonly record struct Part(double Min, double Max, double Mean, long Count);

    public static Result Compute(ImageView view, IProgress<double>? progress = null, long slabBytes = SlabBytes)
    {
        var type = view.DataType;
        var complex = type.Interpretation == DataTypeInterpretation.COMPLEX;
        // The order of the reads does not matter here: a view stored in blocks (a Zarr array) is read in regions of
        // whole blocks, each decoded once straight into the buffer, rather than in slabs that cut every block.
        var regions = RegionSlabs.Blocks(view, slabBytes);
        var maxBytes = regions.MaxByteCount;
        var buffer = new byte[maxBytes];
        var parts = new Accumulator[complex ? 2 : 1];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = new Accumulator();
        }

        long done = 0;
        foreach (var region in regions)
        {
            var bytes = buffer.AsSpan(0, (int)((long)region.ElementCount * type.ByteCount));
            view.ReadRegion(region, bytes);
            Accumulate(bytes, type, parts);
            done += bytes.Length;
            progress?.Report((double)done / view.ByteCount);
        }

        var real = parts[0];
        return new Result(real.Min, real.Max, real.Mean, real.Count)
        {
            Imaginary = complex ? new Part(parts[1].Min, parts[1].Max, parts[1].Mean, parts[1].Count) : null,
        };
    }

    /// <summary>Running minimum, maximum and sum of one part (all components, or the real or the imaginary ones).</summary>
    private sealed class Accumulator
    {
        public double Min { get; private set; } = double.PositiveInfinity;

        public double Max { get; private set; } = double.NegativeInfinity;

        public long Count { get; private set; }

        public double Mean => Count == 0 ? double.NaN : _sum / Count;

        private double _sum;

        /// <summary>Adds every value but NaNs, several at a time in vector registers.</summary>
        public void AddRange(ReadOnlySpan<double> values)
        {
            var i = 0;
            if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
            {
                var positive = new Vector<double>(double.PositiveInfinity);
                var negative = new Vector<double>(double.NegativeInfinity);
                var (min, max, sum, count) = (positive, negative, Vector<double>.Zero, Vector<long>.Zero);
                for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
                {
                    var v = new Vector<double>(values[i..]);
                    var number = Vector.Equals(v, v);   // all ones where v is not NaN
                    min = Vector.Min(min, Vector.ConditionalSelect(number, v, positive));
                    max = Vector.Max(max, Vector.ConditionalSelect(number, v, negative));
                    sum += Vector.ConditionalSelect(number, v, Vector<double>.Zero);
                    count -= number;
                }

                for (var lane = 0; lane < Vector<double>.Count; lane++)
                {
                    Min = Math.Min(Min, min[lane]);
                    Max = Math.Max(Max, max[lane]);
                    _sum += sum[lane];
                    Count += count[lane];
                }
            }

            for (; i < values.Length; i++)
            {
                Add(values[i]);
            }
        }

        public void Add(double d)
        {
            if (double.IsNaN(d))
            {
                return;
            }

            Min = Math.Min(Min, d);
            Max = Math.Max(Max, d);
            _sum += d;
            Count++;
        }
    }

    /// <summary>The components of <paramref name="bytes"/> as doubles, for rendering.</summary>
    public static double[] ToDoubles(ReadOnlySpan<byte> bytes, DataType type)
    {
        var result = new double[bytes.Length / type.ComponentByteCount];
        Convert(bytes, type, result);
        return result;
    }

    private static void Accumulate(ReadOnlySpan<byte> bytes, DataType type, Accumulator[] parts)
    {
        // Blocks of converted values keep one type dispatch (Convert) for statistics and rendering alike. A block
        // holds whole elements, so component k of a block is part k % parts.Length (real, imaginary) everywhere.
        Span<double> block = stackalloc double[4096];
        var size = type.ComponentByteCount;
        for (var start = 0; start < bytes.Length; start += block.Length * size)
        {
            var chunk = bytes.Slice(start, Math.Min(block.Length * size, bytes.Length - start));
            var values = block[..(chunk.Length / size)];
            Convert(chunk, type, values);
            if (parts.Length == 1)
            {
                parts[0].AddRange(values);
            }
            else
            {
                for (var i = 0; i < values.Length; i++)
                {
                    parts[i % parts.Length].Add(values[i]);
                }
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
