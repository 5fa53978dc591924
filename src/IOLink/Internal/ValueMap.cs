using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IOLink.Internal;

/// <summary>The numeric component types a value map reads and writes.</summary>
internal enum ScalarKind
{
    U8, I8, U16, I16, U32, I32, U64, I64, F16, F32, F64,
}

/// <summary>
/// <c>out = clamp(v * Scale + Offset, Low, High)</c>, rounded half to even when <see cref="Round"/> (integer outputs),
/// computed in double precision; NaN stays NaN for a floating-point output and becomes 0 for an integer one.
/// </summary>
internal readonly record struct LinearMap(double Scale, double Offset, double Low, double High, bool Round)
{
    /// <summary>The type's whole range, as a double: what an integer type can hold, and (-inf, +inf) for floating point.</summary>
    public static (double Low, double High) RangeOf(ScalarKind kind) => kind switch
    {
        ScalarKind.U8 => (byte.MinValue, byte.MaxValue),
        ScalarKind.I8 => (sbyte.MinValue, sbyte.MaxValue),
        ScalarKind.U16 => (ushort.MinValue, ushort.MaxValue),
        ScalarKind.I16 => (short.MinValue, short.MaxValue),
        ScalarKind.U32 => (uint.MinValue, uint.MaxValue),
        ScalarKind.I32 => (int.MinValue, int.MaxValue),
        ScalarKind.U64 => (ulong.MinValue, ulong.MaxValue),
        ScalarKind.I64 => (long.MinValue, long.MaxValue),
        _ => (double.NegativeInfinity, double.PositiveInfinity),
    };

    public static bool IsInteger(ScalarKind kind) => kind < ScalarKind.F16;

    /// <summary>The map of <paramref name="from"/> onto <paramref name="to"/>, clamped to <paramref name="to"/> intersected with the output type's range.</summary>
    public static LinearMap Between((double Low, double High) from, (double Low, double High) to, ScalarKind output)
    {
        var scale = (to.High - to.Low) / (from.High - from.Low);
        var offset = to.Low - (from.Low * scale);
        var (low, high) = RangeOf(output);
        return new LinearMap(scale, offset, Math.Max(low, Math.Min(to.Low, to.High)), Math.Min(high, Math.Max(to.Low, to.High)), IsInteger(output));
    }

    /// <summary>The map that undoes this one for writes through: onto the input type, rounded and clamped to its range.</summary>
    public LinearMap Inverse(ScalarKind input)
    {
        var (low, high) = RangeOf(input);
        return new LinearMap(1 / Scale, -Offset / Scale, low, high, IsInteger(input));
    }
}

/// <summary>Element-wise conversion of numeric components through a <see cref="LinearMap"/>: AVX2 for the 8- and 16-bit integer and float types, a scalar loop for the rest.</summary>
internal static unsafe class ValueMap
{
    /// <summary>The kind of one component of <paramref name="type"/>; false for a type with no numeric kind.</summary>
    public static bool TryKindOf(DataType type, out ScalarKind kind)
    {
        kind = (type.PrimitiveType, type.BitDepth) switch
        {
            (PrimitiveTypeId.UNSIGNED_INTEGER, 8) => ScalarKind.U8,
            (PrimitiveTypeId.SIGNED_INTEGER, 8) => ScalarKind.I8,
            (PrimitiveTypeId.UNSIGNED_INTEGER, 16) => ScalarKind.U16,
            (PrimitiveTypeId.SIGNED_INTEGER, 16) => ScalarKind.I16,
            (PrimitiveTypeId.UNSIGNED_INTEGER, 32) => ScalarKind.U32,
            (PrimitiveTypeId.SIGNED_INTEGER, 32) => ScalarKind.I32,
            (PrimitiveTypeId.UNSIGNED_INTEGER, 64) => ScalarKind.U64,
            (PrimitiveTypeId.SIGNED_INTEGER, 64) => ScalarKind.I64,
            (PrimitiveTypeId.FLOATING_POINT, 16) => ScalarKind.F16,
            (PrimitiveTypeId.FLOATING_POINT, 32) => ScalarKind.F32,
            (PrimitiveTypeId.FLOATING_POINT, 64) => ScalarKind.F64,
            _ => (ScalarKind)(-1),
        };
        return kind >= 0;
    }

    /// <summary>Converts <paramref name="count"/> contiguous components from <paramref name="src"/> to <paramref name="dst"/>.</summary>
    public static void Map(byte* src, ScalarKind from, byte* dst, ScalarKind to, long count, in LinearMap map)
    {
        long done = 0;
        var unscaled = map.Scale == 1 && map.Offset == 0;
        // Values kept, and no input value outside the clamp: only the type changes.
        var (inLow, inHigh) = LinearMap.RangeOf(from);
        var identity = unscaled && map.Low <= inLow && map.High >= inHigh;
        if (identity && from == to)
        {
            // The same type, values kept (the clamp to the type's own range does nothing): a copy.
            Buffer.MemoryCopy(src, dst, count * SizeOf(to), count * SizeOf(to));
            return;
        }

        if (Avx2.IsSupported && IsVectorKind(from) && IsVectorKind(to))
        {
            var vectors = count & ~7L;
            done = identity && to == ScalarKind.F32 ? WidenToFloat(src, from, dst, vectors)
                : unscaled && from == ScalarKind.F32 && ExactInFloat(map) ? RoundFromFloat(src, dst, to, vectors, map)
                : MapVector(src, from, dst, to, vectors, map);
        }

        if (done < count)
        {
            MapScalar(src + (done * SizeOf(from)), from, dst + (done * SizeOf(to)), to, count - done, map);
        }
    }

    public static int SizeOf(ScalarKind kind) => kind switch
    {
        ScalarKind.U8 or ScalarKind.I8 => 1,
        ScalarKind.U16 or ScalarKind.I16 or ScalarKind.F16 => 2,
        ScalarKind.U32 or ScalarKind.I32 or ScalarKind.F32 => 4,
        _ => 8,
    };

    private static bool IsVectorKind(ScalarKind kind) => kind is ScalarKind.U8 or ScalarKind.I8 or ScalarKind.U16 or ScalarKind.I16 or ScalarKind.F32;

    /// <summary>Whether the clamp bounds are floats (so float arithmetic clamps as double arithmetic does).</summary>
    private static bool ExactInFloat(in LinearMap map) => (float)map.Low == map.Low && (float)map.High == map.High;

    /// <summary>8- and 16-bit integers to float, values kept (exact): one conversion per 8 elements, a loop per input type.</summary>
    [MethodImpl(Jit.Kernel)]
    private static long WidenToFloat(byte* src, ScalarKind from, byte* dst, long count)
    {
        var d = (float*)dst;
        switch (from)
        {
            case ScalarKind.U8:
                for (long i = 0; i < count; i += 8)
                {
                    Avx.Store(d + i, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(src + i)));
                }

                break;
            case ScalarKind.I8:
                for (long i = 0; i < count; i += 8)
                {
                    Avx.Store(d + i, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((sbyte*)src + i)));
                }

                break;
            case ScalarKind.U16:
                for (long i = 0; i < count; i += 8)
                {
                    Avx.Store(d + i, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((ushort*)src + i)));
                }

                break;
            default:
                for (long i = 0; i < count; i += 8)
                {
                    Avx.Store(d + i, Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((short*)src + i)));
                }

                break;
        }

        return count;
    }

    /// <summary>Float to an 8- or 16-bit integer, values kept: clamped, NaN to 0, rounded half to even, in float (exact for these bounds).</summary>
    private static long RoundFromFloat(byte* src, byte* dst, ScalarKind to, long count, in LinearMap map) => to switch
    {
        ScalarKind.U8 => RoundLoop<StoreU8>(src, dst, count, map),
        ScalarKind.I8 => RoundLoop<StoreI8>(src, dst, count, map),
        ScalarKind.U16 => RoundLoop<StoreU16>(src, dst, count, map),
        _ => RoundLoop<StoreI16>(src, dst, count, map),
    };

    [MethodImpl(Jit.Kernel)]
    private static long RoundLoop<TStore>(byte* src, byte* dst, long count, in LinearMap map)
        where TStore : struct, IStoreInt32
    {
        var low = Vector256.Create((float)map.Low);
        var high = Vector256.Create((float)map.High);
        var s = (float*)src;
        for (long i = 0; i < count; i += 8)
        {
            var f = Avx.LoadVector256(s + i);
            f = Avx.Min(high, Avx.Max(low, f));
            f = Avx.And(Avx.RoundToNearestInteger(f), Avx.CompareOrdered(f, f));
            var v = Avx.ConvertToVector256Int32WithTruncation(f);
            TStore.StoreInt32(dst + (i * TStore.Size), v.GetLower(), v.GetUpper());
        }

        return count;
    }

    /// <summary>The general map, 8 components per step in double precision: one loop per input and output type, so no step branches on either.</summary>
    private static long MapVector(byte* src, ScalarKind from, byte* dst, ScalarKind to, long count, in LinearMap map) => from switch
    {
        ScalarKind.U8 => MapFrom<LoadU8>(src, dst, to, count, map),
        ScalarKind.I8 => MapFrom<LoadI8>(src, dst, to, count, map),
        ScalarKind.U16 => MapFrom<LoadU16>(src, dst, to, count, map),
        ScalarKind.I16 => MapFrom<LoadI16>(src, dst, to, count, map),
        _ => MapFrom<LoadF32>(src, dst, to, count, map),
    };

    private static long MapFrom<TLoad>(byte* src, byte* dst, ScalarKind to, long count, in LinearMap map)
        where TLoad : struct, ILoad8 => to switch
    {
        ScalarKind.U8 => MapLoop<TLoad, ThroughInt32<StoreU8>>(src, dst, count, map),
        ScalarKind.I8 => MapLoop<TLoad, ThroughInt32<StoreI8>>(src, dst, count, map),
        ScalarKind.U16 => MapLoop<TLoad, ThroughInt32<StoreU16>>(src, dst, count, map),
        ScalarKind.I16 => MapLoop<TLoad, ThroughInt32<StoreI16>>(src, dst, count, map),
        _ => MapLoop<TLoad, StoreF32>(src, dst, count, map),
    };

    [MethodImpl(Jit.Kernel)]
    private static long MapLoop<TLoad, TStore>(byte* src, byte* dst, long count, in LinearMap map)
        where TLoad : struct, ILoad8
        where TStore : struct, IStore8
    {
        var scale = Vector256.Create(map.Scale);
        var offset = Vector256.Create(map.Offset);
        var low = Vector256.Create(map.Low);
        var high = Vector256.Create(map.High);
        var round = map.Round;
        var clamp = !double.IsInfinity(map.Low) || !double.IsInfinity(map.High);
        for (long i = 0; i < count; i += 8)
        {
            TLoad.Load(src + (i * TLoad.Size), out var d0, out var d1);
            d0 = Avx.Add(Avx.Multiply(d0, scale), offset);
            d1 = Avx.Add(Avx.Multiply(d1, scale), offset);
            if (clamp)
            {
                // The bound first: MAXPD and MINPD return their second operand when one is NaN, so NaN stays NaN.
                d0 = Avx.Min(high, Avx.Max(low, d0));
                d1 = Avx.Min(high, Avx.Max(low, d1));
            }

            if (round)
            {
                d0 = Avx.RoundToNearestInteger(d0);
                d1 = Avx.RoundToNearestInteger(d1);
            }

            TStore.Store(dst + (i * TStore.Size), d0, d1);
        }

        return count;
    }

    /// <summary>Loads 8 components as two vectors of 4 doubles.</summary>
    private interface ILoad8
    {
        static abstract int Size { get; }

        static abstract void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1);
    }

    // The loads, stores and their helpers take and give vectors through out parameters, not tuples, and are always
    // inlined: ReadyToRun leaves a method jitted when it calls across assemblies with vectors (a ValueTuple of
    // them) or is called with them itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Halves(Vector256<int> v, out Vector256<double> d0, out Vector256<double> d1)
    {
        d0 = Avx.ConvertToVector256Double(v.GetLower());
        d1 = Avx.ConvertToVector256Double(v.GetUpper());
    }

    private readonly struct LoadU8 : ILoad8
    {
        public static int Size => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1) => Halves(Avx2.ConvertToVector256Int32(p), out d0, out d1);
    }

    private readonly struct LoadI8 : ILoad8
    {
        public static int Size => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1) => Halves(Avx2.ConvertToVector256Int32((sbyte*)p), out d0, out d1);
    }

    private readonly struct LoadU16 : ILoad8
    {
        public static int Size => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1) => Halves(Avx2.ConvertToVector256Int32((ushort*)p), out d0, out d1);
    }

    private readonly struct LoadI16 : ILoad8
    {
        public static int Size => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1) => Halves(Avx2.ConvertToVector256Int32((short*)p), out d0, out d1);
    }

    private readonly struct LoadF32 : ILoad8
    {
        public static int Size => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Load(byte* p, out Vector256<double> d0, out Vector256<double> d1)
        {
            var f = Avx.LoadVector256((float*)p);
            d0 = Avx.ConvertToVector256Double(f.GetLower());
            d1 = Avx.ConvertToVector256Double(f.GetUpper());
        }
    }

    /// <summary>Stores two vectors of 4 doubles (clamped and rounded already) as 8 components.</summary>
    private interface IStore8
    {
        static abstract int Size { get; }

        static abstract void Store(byte* o, Vector256<double> d0, Vector256<double> d1);
    }

    /// <summary>Stores 8 int32 values (in range already) as 8 components of an 8- or 16-bit integer type.</summary>
    private interface IStoreInt32
    {
        static abstract int Size { get; }

        static abstract void StoreInt32(byte* o, Vector128<int> i0, Vector128<int> i1);
    }

    /// <summary>An 8- or 16-bit integer store of doubles: each half truncated to int32, NaN as 0 (CVTTPD2DQ would give int.MinValue).</summary>
    private readonly struct ThroughInt32<T> : IStore8
        where T : struct, IStoreInt32
    {
        public static int Size => T.Size;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(byte* o, Vector256<double> d0, Vector256<double> d1) => T.StoreInt32(o, ToInt32(d0), ToInt32(d1));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> ToInt32(Vector256<double> d) =>
            Avx.ConvertToVector128Int32WithTruncation(Avx.And(d, Avx.CompareOrdered(d, d)));
    }

    private readonly struct StoreU8 : IStoreInt32
    {
        public static int Size => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInt32(byte* o, Vector128<int> i0, Vector128<int> i1) =>
            *(ulong*)o = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(i0, i1), Vector128<short>.Zero).AsUInt64().ToScalar();
    }

    private readonly struct StoreI8 : IStoreInt32
    {
        public static int Size => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInt32(byte* o, Vector128<int> i0, Vector128<int> i1) =>
            *(ulong*)o = Sse2.PackSignedSaturate(Sse2.PackSignedSaturate(i0, i1), Vector128<short>.Zero).AsUInt64().ToScalar();
    }

    private readonly struct StoreU16 : IStoreInt32
    {
        public static int Size => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInt32(byte* o, Vector128<int> i0, Vector128<int> i1) =>
            Sse2.Store((ushort*)o, Sse41.PackUnsignedSaturate(i0, i1));
    }

    private readonly struct StoreI16 : IStoreInt32
    {
        public static int Size => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInt32(byte* o, Vector128<int> i0, Vector128<int> i1) =>
            Sse2.Store((short*)o, Sse2.PackSignedSaturate(i0, i1));
    }

    private readonly struct StoreF32 : IStore8
    {
        public static int Size => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(byte* o, Vector256<double> d0, Vector256<double> d1)
        {
            Sse.Store((float*)o, Avx.ConvertToVector128Single(d0));
            Sse.Store((float*)o + 4, Avx.ConvertToVector128Single(d1));
        }
    }

    private static void MapScalar(byte* src, ScalarKind from, byte* dst, ScalarKind to, long count, in LinearMap map)
    {
        switch (from)
        {
            case ScalarKind.U8: To<byte>(src, dst, to, count, map); break;
            case ScalarKind.I8: To<sbyte>(src, dst, to, count, map); break;
            case ScalarKind.U16: To<ushort>(src, dst, to, count, map); break;
            case ScalarKind.I16: To<short>(src, dst, to, count, map); break;
            case ScalarKind.U32: To<uint>(src, dst, to, count, map); break;
            case ScalarKind.I32: To<int>(src, dst, to, count, map); break;
            case ScalarKind.U64: To<ulong>(src, dst, to, count, map); break;
            case ScalarKind.I64: To<long>(src, dst, to, count, map); break;
            case ScalarKind.F16: To<Half>(src, dst, to, count, map); break;
            case ScalarKind.F32: To<float>(src, dst, to, count, map); break;
            default: To<double>(src, dst, to, count, map); break;
        }
    }

    private static void To<TIn>(byte* src, byte* dst, ScalarKind to, long count, in LinearMap map)
        where TIn : unmanaged, INumberBase<TIn>
    {
        switch (to)
        {
            case ScalarKind.U8: Loop<TIn, byte>((TIn*)src, dst, count, map); break;
            case ScalarKind.I8: Loop<TIn, sbyte>((TIn*)src, dst, count, map); break;
            case ScalarKind.U16: Loop<TIn, ushort>((TIn*)src, dst, count, map); break;
            case ScalarKind.I16: Loop<TIn, short>((TIn*)src, dst, count, map); break;
            case ScalarKind.U32: Loop<TIn, uint>((TIn*)src, dst, count, map); break;
            case ScalarKind.I32: Loop<TIn, int>((TIn*)src, dst, count, map); break;
            case ScalarKind.U64: Loop<TIn, ulong>((TIn*)src, dst, count, map); break;
            case ScalarKind.I64: Loop<TIn, long>((TIn*)src, dst, count, map); break;
            case ScalarKind.F16: Loop<TIn, Half>((TIn*)src, dst, count, map); break;
            case ScalarKind.F32: Loop<TIn, float>((TIn*)src, dst, count, map); break;
            default: Loop<TIn, double>((TIn*)src, dst, count, map); break;
        }
    }

    // Generic over CoreLib's number types, which ReadyToRun does not precompile: jitted optimized at first call everywhere.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TIn, TOut>(TIn* src, byte* dst, long count, in LinearMap map)
        where TIn : unmanaged, INumberBase<TIn>
        where TOut : unmanaged, INumberBase<TOut>
    {
        var d = (TOut*)dst;
        double scale = map.Scale, offset = map.Offset, low = map.Low, high = map.High;
        var round = map.Round;
        for (long i = 0; i < count; i++)
        {
            var v = (double.CreateTruncating(src[i]) * scale) + offset;
            if (v < low)
            {
                v = low;
            }
            else if (v > high)
            {
                v = high;
            }

            if (round)
            {
                v = Math.Round(v, MidpointRounding.ToEven);
            }

            // Saturating: NaN becomes 0 in an integer type (and the clamp has already kept integers in range).
            d[i] = TOut.CreateSaturating(v);
        }
    }
}
