using System.Globalization;

namespace IOLink;

/// <summary>NumPy type strings and IOLink data types: which maps to which, and the errors for the rest.</summary>
internal static class NpyDtype
{
    public static (DataType Type, bool IsBool) Parse(string descr)
    {
        var kind = descr.Length >= 2 ? descr[1] : '\0';
        if (kind is 'O' or 'V' or 'S' or 'U' or 'M' or 'm' or 'a')
        {
            throw Unsupported(descr, "object, string, void and datetime arrays hold no image data (and object arrays would need pickling, which IOLink never does)");
        }

        if (descr.Length < 3)
        {
            throw Unsupported(descr, "it is not a NumPy type string");
        }

        var order = descr[0];
        if (!int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw Unsupported(descr, "it is not a NumPy type string");
        }

        var bigEndian = order == '>' || (order == '!');
        var nativeBig = !BitConverter.IsLittleEndian;
        if ((order is '<' or '>' or '!') && bigEndian != nativeBig && size > 1)
        {
            throw Unsupported(descr, "its byte order is not this machine's; convert it in NumPy first with a.astype(a.dtype.newbyteorder('='))");
        }

        if (order is not ('<' or '>' or '|' or '=' or '!'))
        {
            throw Unsupported(descr, "its byte order character is not valid");
        }

        var type = Map(kind, size) ?? throw Unsupported(descr, "it has no IOLink data type");
        return (type, kind == 'b');
    }

    /// <summary>The data type of NumPy's dtype kind and item size (bool is UINT8), or null when there is none.</summary>
    public static DataType? Map(char kind, int size) => (kind, size) switch
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

    /// <summary>The NumPy type string of one array element: the component type for vectors and matrices.</summary>
    public static string Descr(DataType type)
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

    public static string TupleText(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    private static InvalidFileFormatException Unsupported(string descr, string why) =>
        new($"The .npy dtype '{descr}' cannot be read: {why}.");
}
