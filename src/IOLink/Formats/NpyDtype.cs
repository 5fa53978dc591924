using IOLink.Interop;

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
        if (!Internal.Digits.TryParse(descr.AsSpan(2), out int size))
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

        var type = NumpyDataTypes.FromKind(kind, size) ?? throw Unsupported(descr, "it has no IOLink data type");
        return (type, kind == 'b');
    }

    public static string TupleText(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    private static InvalidFileFormatException Unsupported(string descr, string why) =>
        new($"The .npy dtype '{descr}' cannot be read: {why}.");
}
