using IOLink.Interop;

namespace IOLink;

/// <summary>The .npy header's type string (through <see cref="NumpyTypeString"/>), and the errors for the rest in a .npy file's words.</summary>
internal static class NpyDtype
{
    /// <summary>The item type of a header's <c>descr</c>, by the one NumPy type-string parser.</summary>
    /// <exception cref="InvalidFileFormatException">The string is none IOLink reads; the message says why.</exception>
    public static NumpyTypeString Parse(string descr) =>
        NumpyTypeString.TryParse(descr, out var type, out var reason) ? type! : throw Unsupported(descr, reason);

    public static string TupleText(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    private static InvalidFileFormatException Unsupported(string descr, string why) =>
        new($"The .npy dtype '{descr}' cannot be read: {why}.");
}
