namespace IOLink.Interop;

/// <summary>NumPy's names for IOLink data types, and back: what every NumPy-facing part (.npy files, NumPy arrays) maps through.</summary>
public static class NumpyDataTypes
{
    /// <summary>The data type of a NumPy dtype kind (<c>dtype.kind</c>: b, u, i, f, c) and item size in bytes (bool is UINT8), or null when there is none.</summary>
    public static DataType? FromKind(char kind, int itemSize) => (kind, itemSize) switch
    {
        ('b', 1) => DataTypeId.UINT8,
        ('u', 1) => DataTypeId.UINT8,
        ('i', 1) => DataTypeId.INT8,
        ('u', 2) => DataTypeId.UINT16,
        ('i', 2) => DataTypeId.INT16,
        ('u', 4) => DataTypeId.UINT32,
        ('i', 4) => DataTypeId.INT32,
        ('u', 8) => DataTypeId.UINT64,
        ('i', 8) => DataTypeId.INT64,
        ('f', 2) => new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16),
        ('f', 4) => DataTypeId.FLOAT,
        ('f', 8) => DataTypeId.DOUBLE,
        ('c', 8) => DataTypeId.COMPLEX_FLOAT,
        ('c', 16) => DataTypeId.COMPLEX_DOUBLE,
        _ => null,
    };

    /// <summary>The NumPy type string (<c>dtype.str</c>, such as <c>&lt;u2</c>) of one array item of a view of <paramref name="type"/>: the component type for vectors and matrices.</summary>
    public static string TypeString(DataType type)
    {
        var endian = BitConverter.IsLittleEndian ? '<' : '>';
        if (type.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            return $"{endian}c{type.ByteCount}";
        }

        var kind = type.PrimitiveType switch
        {
            PrimitiveTypeId.UNSIGNED_INTEGER => 'u',
            PrimitiveTypeId.SIGNED_INTEGER => 'i',
            _ => 'f',
        };
        var size = type.ComponentByteCount;
        return size == 1 ? $"|{kind}1" : $"{endian}{kind}{size}";
    }
}
