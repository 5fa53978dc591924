using System.Numerics;
using System.Runtime.InteropServices;

namespace IOLink.Tensors.Tests;

/// <summary>A test body run once per element type; <see cref="Types.Dispatch"/> picks T from a data type id.</summary>
internal interface ITypedCase
{
    void Run<T>()
        where T : unmanaged, INumberBase<T>;
}

internal static class Types
{
    public static TheoryData<DataTypeId> Scalars =>
    [
        DataTypeId.UINT8, DataTypeId.INT8, DataTypeId.UINT16, DataTypeId.INT16, DataTypeId.UINT32,
        DataTypeId.INT32, DataTypeId.UINT64, DataTypeId.INT64, DataTypeId.FLOAT, DataTypeId.DOUBLE,
    ];

    public static void Dispatch(DataTypeId id, ITypedCase c)
    {
        switch (id)
        {
            case DataTypeId.UINT8: c.Run<byte>(); break;
            case DataTypeId.INT8: c.Run<sbyte>(); break;
            case DataTypeId.UINT16: c.Run<ushort>(); break;
            case DataTypeId.INT16: c.Run<short>(); break;
            case DataTypeId.UINT32: c.Run<uint>(); break;
            case DataTypeId.INT32: c.Run<int>(); break;
            case DataTypeId.UINT64: c.Run<ulong>(); break;
            case DataTypeId.INT64: c.Run<long>(); break;
            case DataTypeId.FLOAT: c.Run<float>(); break;
            case DataTypeId.DOUBLE: c.Run<double>(); break;
            default: throw new ArgumentOutOfRangeException(nameof(id), id, "not a scalar type of the test table");
        }
    }

    /// <summary>A distinct, small value for linear position <paramref name="i"/>, exact in every element type.</summary>
    public static T Value<T>(long i)
        where T : INumberBase<T> => T.CreateTruncating((i % 120) + 1);
}

internal static unsafe class Views
{
    /// <summary>Fills every element (every component) with <see cref="Types.Value{T}"/> of its linear position in canonical order.</summary>
    public static void Number<T>(ImageView view)
        where T : unmanaged, INumberBase<T>
    {
        var components = view.DataType.ByteCount / sizeof(T);
        var element = new T[components];
        long n = 0;
        foreach (var index in Indices(view.Shape))
        {
            for (var c = 0; c < components; c++)
            {
                element[c] = Types.Value<T>((n * components) + c);
            }

            view.Write(new VectorXu64(index), MemoryMarshal.AsBytes(element.AsSpan()));
            n++;
        }
    }

    /// <summary>Component <paramref name="c"/> of the element at <paramref name="index"/>, read through the view's own API.</summary>
    public static T Component<T>(ImageView view, int c, params ulong[] index)
        where T : unmanaged
    {
        var bytes = new byte[view.DataType.ByteCount];
        view.Read(new VectorXu64(index), bytes);
        return MemoryMarshal.Read<T>(bytes.AsSpan(c * sizeof(T)));
    }

    /// <summary>Writes component <paramref name="c"/> of the element at <paramref name="index"/> through the view's own API.</summary>
    public static void SetComponent<T>(ImageView view, T value, int c, params ulong[] index)
        where T : unmanaged
    {
        var bytes = new byte[view.DataType.ByteCount];
        view.Read(new VectorXu64(index), bytes);
        MemoryMarshal.Write(bytes.AsSpan(c * sizeof(T)), in value);
        view.Write(new VectorXu64(index), bytes);
    }

    /// <summary>Every index of a shape, first dimension fastest.</summary>
    public static IEnumerable<ulong[]> Indices(VectorXu64 shape)
    {
        var index = new ulong[shape.Size];
        while (true)
        {
            yield return (ulong[])index.Clone();
            var k = 0;
            for (; k < index.Length; k++)
            {
                if (++index[k] < shape[k])
                {
                    break;
                }

                index[k] = 0;
            }

            if (k == index.Length)
            {
                yield break;
            }
        }
    }
}

internal static class TensorIndex
{
    /// <summary>Advances a tensor index, last axis fastest; false after the last index.</summary>
    public static bool Next(nint[] index, ReadOnlySpan<nint> lengths)
    {
        for (var k = index.Length - 1; k >= 0; k--)
        {
            if (++index[k] < lengths[k])
            {
                return true;
            }

            index[k] = 0;
        }

        return false;
    }

    public static ulong[] U(params nint[] v) => [.. v.Select(x => (ulong)x)];
}
