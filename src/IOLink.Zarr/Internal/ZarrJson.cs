using System.Text.Json;
using IOLink.Files;
using IOLink.Storage;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Zarr's JSON documents as zarr-python reads them: Python's json module also takes the bare literals NaN, Infinity
/// and -Infinity (and writes them for non-finite attribute values), which strict JSON lacks. They are read here as
/// the strings "NaN", "Infinity" and "-Infinity", Zarr's own spelling of those values (a fill_value, for one).
/// </summary>
internal static class ZarrJson
{
    private static readonly byte[][] NonFinite = ["-Infinity"u8.ToArray(), "Infinity"u8.ToArray(), "NaN"u8.ToArray()];

    /// <summary>
    /// The bytes of a small metadata file (.zarray, .zattrs) in a store's folder: a regular file reached without
    /// following a link, never a FIFO or device that would block, and null when it holds more than
    /// <paramref name="maxBytes"/> (metadata is a small JSON document).
    /// </summary>
    /// <exception cref="InvalidFileFormatException">The name is a link, a folder, a FIFO or a device, not a file.</exception>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static byte[]? ReadSmallFile(string folder, string fileName, string store, int maxBytes)
    {
        if (Locations.IsRemote(folder))
        {
            using var http = Locations.OpenStore(folder);
            using var remote = http.Get(fileName, ByteRange.Of(0, maxBytes + 1L), maxBytes + 1)
                ?? throw new FileNotFoundException($"{store}: {fileName} is missing.", StorePaths.Child(folder, fileName));
            return remote.Length > maxBytes ? null : remote.ToArray();
        }

        using var directory = new DirectoryStore(folder, readOnly: true, name: store);
        var kind = directory.KindOf(fileName, out var path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            throw new InvalidFileFormatException($"{store}: {fileName} is {FileProbe.Describe(kind)}, not a file; Zarr metadata is a small JSON file.");
        }

        // One byte more than the most taken tells a larger file (null) from one of exactly the limit.
        using var value = kind == FileKind.Missing ? null : directory.Get(fileName, ByteRange.Of(0, maxBytes + 1L), maxBytes + 1);
        if (value is null)
        {
            throw new FileNotFoundException($"{store}: {fileName} is missing.", path);
        }

        return value.Length > maxBytes ? null : value.ToArray();
    }

    /// <summary>Parses <paramref name="json"/> and hands its root to <paramref name="read"/>; <paramref name="what"/> names the document in messages.</summary>
    /// <exception cref="InvalidFileFormatException">The document is not JSON (Python's), or holds a string that is not valid Unicode.</exception>
    public static T Read<T>(ReadOnlySpan<byte> json, int maxDepth, string what, Func<JsonElement, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(QuoteNonFinite(json), new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            throw new InvalidFileFormatException($"{what} is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // A string with an unpaired surrogate escape (such as "\ud800") parses but has no text.
                throw new InvalidFileFormatException($"{what} holds a string that is not valid Unicode ({ex.Message})", ex);
            }
        }
    }

    /// <summary>The document with each bare NaN, Infinity and -Infinity outside strings put in quotes (a copy only when there is one).</summary>
    internal static byte[] QuoteNonFinite(ReadOnlySpan<byte> json)
    {
        List<(int At, int Length)>? found = null;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if ((c is (byte)'N' or (byte)'I' or (byte)'-') && (i == 0 || !IsWordByte(json[i - 1])))
            {
                foreach (var literal in NonFinite)
                {
                    var end = i + literal.Length;
                    if (json[i..].StartsWith(literal) && (end == json.Length || !IsWordByte(json[end])))
                    {
                        (found ??= []).Add((i, literal.Length));
                        i = end - 1;
                        break;
                    }
                }
            }
        }

        if (found is null)
        {
            return json.ToArray();
        }

        var output = new List<byte>(json.Length + (2 * found.Count));
        var from = 0;
        foreach (var (at, length) in found)
        {
            output.AddRange(json[from..at]);
            output.Add((byte)'"');
            output.AddRange(json.Slice(at, length));
            output.Add((byte)'"');
            from = at + length;
        }

        output.AddRange(json[from..]);
        return [.. output];
    }

    private static bool IsWordByte(byte c) => c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'.';
}
