using System.Numerics;

namespace IOLink.Tensors.Internal;

/// <summary>Which IOLink data type a .NET tensor element type stands for.</summary>
internal static class TensorElement
{
    /// <summary>
    /// The scalar data type of <typeparamref name="T"/>: byte UINT8, sbyte INT8, ushort UINT16, short INT16,
    /// uint UINT32, int INT32, ulong UINT64, long INT64, Half 16-bit float, float FLOAT, double DOUBLE,
    /// bool UINT8 (with BINARY values), <see cref="Complex"/> COMPLEX_DOUBLE.
    /// </summary>
    /// <returns>False for any other type.</returns>
    public static bool TryGetDataType<T>(out DataType type)
    {
        // typeof(T) comparisons fold to constants for value types, so this costs nothing at run time.
        if (typeof(T) == typeof(byte) || typeof(T) == typeof(bool))
        {
            type = DataTypeId.UINT8;
        }
        else if (typeof(T) == typeof(sbyte))
        {
            type = DataTypeId.INT8;
        }
        else if (typeof(T) == typeof(ushort))
        {
            type = DataTypeId.UINT16;
        }
        else if (typeof(T) == typeof(short))
        {
            type = DataTypeId.INT16;
        }
        else if (typeof(T) == typeof(uint))
        {
            type = DataTypeId.UINT32;
        }
        else if (typeof(T) == typeof(int))
        {
            type = DataTypeId.INT32;
        }
        else if (typeof(T) == typeof(ulong))
        {
            type = DataTypeId.UINT64;
        }
        else if (typeof(T) == typeof(long))
        {
            type = DataTypeId.INT64;
        }
        else if (typeof(T) == typeof(Half))
        {
            type = new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16);
        }
        else if (typeof(T) == typeof(float))
        {
            type = DataTypeId.FLOAT;
        }
        else if (typeof(T) == typeof(double))
        {
            type = DataTypeId.DOUBLE;
        }
        else if (typeof(T) == typeof(Complex))
        {
            type = DataTypeId.COMPLEX_DOUBLE;
        }
        else
        {
            type = default;
            return false;
        }

        return true;
    }

    /// <summary>The C# name of the element type that matches a scalar data type, for messages.</summary>
    public static string NameFor(DataType scalar)
    {
        if (scalar == DataTypeId.COMPLEX_DOUBLE)
        {
            return "System.Numerics.Complex";
        }

        return (scalar.PrimitiveType, scalar.BitDepth) switch
        {
            (PrimitiveTypeId.UNSIGNED_INTEGER, 8) => "byte",
            (PrimitiveTypeId.SIGNED_INTEGER, 8) => "sbyte",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 16) => "ushort",
            (PrimitiveTypeId.SIGNED_INTEGER, 16) => "short",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 32) => "uint",
            (PrimitiveTypeId.SIGNED_INTEGER, 32) => "int",
            (PrimitiveTypeId.UNSIGNED_INTEGER, 64) => "ulong",
            (PrimitiveTypeId.SIGNED_INTEGER, 64) => "long",
            (PrimitiveTypeId.FLOATING_POINT, 16) => "Half",
            (PrimitiveTypeId.FLOATING_POINT, 32) => "float",
            (PrimitiveTypeId.FLOATING_POINT, 64) => "double",
            _ => scalar.ToString(),
        };
    }
}
