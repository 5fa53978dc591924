using IOLink.Interop;

namespace IOLink;

/// <summary>The .npy header's type string (through <see cref="NumpyTypeString"/>), and the errors for the rest in a .npy file's words.</summary>
internal static class NpyDtype
{
    /// <summary>The item type of a header's <c>descr</c>, by the one NumPy type-string parser.</summary>
    /// <exception cref="InvalidFileFormatException">The string is none IOLink reads; the message says why.</exception>
    public static NumpyTypeString Parse(string descr) =>
        NumpyTypeString.TryParse(descr, out var type, out var reason) ? type! : throw Unsupported(descr, reason);

    public static string TupleText(ReadOnlySpan<long> shape)
    {
        // A loop rather than string.Join<long>, which no ReadyToRun image holds: jitting it cost every process's
        // first .npy write about 2 ms.
        var text = new System.Text.StringBuilder("(");
        for (var i = 0; i < shape.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(shape[i]);
        }

        return text.Append(shape.Length == 1 ? ",)" : ")").ToString();
    }

    private static InvalidFileFormatException Unsupported(string descr, string why) =>
        new($"The .npy dtype '{descr}' cannot be read: {why}.");
}
