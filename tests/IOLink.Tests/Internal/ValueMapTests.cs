using IOLink.Internal;

namespace IOLink.Tests.Internal;

/// <summary>Every pair of component types, on every path of the value map (copy, widening, float rounding, the general vector loop, the scalar tail), against a plain per-element reference.</summary>
public sealed unsafe class ValueMapTests
{
    private static readonly ScalarKind[] Kinds = Enum.GetValues<ScalarKind>();

    private static double Read(byte* p, ScalarKind kind, int i) => kind switch
    {
        ScalarKind.U8 => p[i],
        ScalarKind.I8 => ((sbyte*)p)[i],
        ScalarKind.U16 => ((ushort*)p)[i],
        ScalarKind.I16 => ((short*)p)[i],
        ScalarKind.U32 => ((uint*)p)[i],
        ScalarKind.I32 => ((int*)p)[i],
        ScalarKind.U64 => ((ulong*)p)[i],
        ScalarKind.I64 => ((long*)p)[i],
        ScalarKind.F16 => (double)((Half*)p)[i],
        ScalarKind.F32 => ((float*)p)[i],
        _ => ((double*)p)[i],
    };

    private static void Write(byte* p, ScalarKind kind, int i, double v)
    {
        switch (kind)
        {
            case ScalarKind.U8: p[i] = (byte)v; break;
            case ScalarKind.I8: ((sbyte*)p)[i] = (sbyte)v; break;
            case ScalarKind.U16: ((ushort*)p)[i] = (ushort)v; break;
            case ScalarKind.I16: ((short*)p)[i] = (short)v; break;
            case ScalarKind.U32: ((uint*)p)[i] = (uint)v; break;
            case ScalarKind.I32: ((int*)p)[i] = (int)v; break;
            case ScalarKind.U64: ((ulong*)p)[i] = (ulong)v; break;
            case ScalarKind.I64: ((long*)p)[i] = (long)v; break;
            case ScalarKind.F16: ((Half*)p)[i] = (Half)v; break;
            case ScalarKind.F32: ((float*)p)[i] = (float)v; break;
            default: ((double*)p)[i] = v; break;
        }
    }

    /// <summary>What one element must become: affine, clamped, rounded half to even for integers, NaN to 0 for integers.</summary>
    private static double Reference(double v, in LinearMap map, ScalarKind to)
    {
        var y = (v * map.Scale) + map.Offset;
        y = y < map.Low ? map.Low : y > map.High ? map.High : y;
        if (!LinearMap.IsInteger(to))
        {
            return y;
        }

        if (double.IsNaN(y))
        {
            return 0;
        }

        y = Math.Round(y, MidpointRounding.ToEven);
        var (low, high) = LinearMap.RangeOf(to);
        return Math.Clamp(y, low, high);
    }

    public static TheoryData<int, int> Pairs()
    {
        var data = new TheoryData<int, int>();
        foreach (var from in Kinds)
        {
            foreach (var to in Kinds)
            {
                data.Add((int)from, (int)to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_type_pair_maps_as_the_reference_on_every_path(int fromKind, int toKind)
    {
        var from = (ScalarKind)fromKind;
        var to = (ScalarKind)toKind;
        const int count = 43;        // 5 vector steps of 8 and a scalar tail of 3
        var random = new Random((fromKind * 31) + toKind);
        var src = new byte[count * 8];
        var dst = new byte[count * 8];
        var (inLow, inHigh) = LinearMap.RangeOf(from);
        var one = stackalloc byte[8];
        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            for (var i = 0; i < count; i++)
            {
                double v = LinearMap.IsInteger(from)
                    ? Math.Round(inLow + (random.NextDouble() * (Math.Min(inHigh, 1e15) - inLow)))
                    : (random.NextDouble() * 2e5) - 1e5;
                Write(s, from, i, v);
            }

            if (!LinearMap.IsInteger(from))
            {
                Write(s, from, 3, double.NaN);
                Write(s, from, 11, 2.5);
                Write(s, from, 12, -3.5);
                Write(s, from, 41, 0.5);
            }

            var (outLow, outHigh) = LinearMap.RangeOf(to);
            var maps = new List<LinearMap>
            {
                new(1, 0, outLow, outHigh, LinearMap.IsInteger(to)),     // adapt_data_type across kinds (and the copy for one kind)
                LinearMap.Between((-1000, 50000), (3, 200), to),          // a dynamic range
            };
            if (LinearMap.IsInteger(from) && LinearMap.IsInteger(to))
            {
                maps.Add(LinearMap.Between((inLow, inHigh), (outLow, outHigh), to));
            }

            foreach (var map in maps)
            {
                ValueMap.Map(s, from, d, to, count, map);
                for (var i = 0; i < count; i++)
                {
                    var expected = Reference(Read(s, from, i), map, to);
                    var actual = Read(d, to, i);
                    if (to == ScalarKind.F16 || (to == ScalarKind.F32 && from is ScalarKind.F64 or ScalarKind.I32 or ScalarKind.U32 or ScalarKind.I64 or ScalarKind.U64))
                    {
                        expected = to == ScalarKind.F16 ? (double)(Half)expected : (float)expected;
                    }

                    if (to is ScalarKind.U64 or ScalarKind.I64 or ScalarKind.F32 or ScalarKind.F64 or ScalarKind.F16)
                    {
                        // Wide outputs: the value as the output type holds it.
                        Write(one, to, 0, expected);
                        expected = Read(one, to, 0);
                    }

                    Assert.True(expected.Equals(actual), $"{from} -> {to}, map {map}: element {i} ({Read(s, from, i)}) gave {actual}, expected {expected}");
                }
            }
        }
    }
}
