using IOLink.Files;
using IOLink.Interop;

namespace IOLink.Zarr.Internal;

/// <summary>What a Zarr node's folder holds: a v3 <c>zarr.json</c> (array or group), a v2 <c>.zarray</c> or <c>.zgroup</c>, or nothing Zarr.</summary>
internal enum NodeKind
{
    None,
    V2Array,
    V2Group,
    V3Array,
    V3Group,
}

/// <summary>
/// Finds and reads a Zarr node's metadata in its folder, either version: <c>zarr.json</c> first (as zarr-python 3
/// looks), then <c>.zarray</c> / <c>.zgroup</c>. Metadata files are read as the store reads keys: no link followed,
/// no FIFO opened, at most 1 MiB for an array's.
/// </summary>
internal static class ArrayMetadata
{
    /// <summary>The largest zarr.json read: a group's may hold consolidated metadata of many arrays.</summary>
    private const int MaxArrayMetadata = 16 << 20;

    /// <summary>What the folder is.</summary>
    /// <exception cref="InvalidFileFormatException">A metadata file is a link, a FIFO or a folder, or zarr.json is not Zarr v3 metadata.</exception>
    public static NodeKind Kind(string folder, string name) => Node(folder, name).Kind;

    /// <summary>What the folder is, and the array metadata document it was told by (read once: on a server each read is a request).</summary>
    private static (NodeKind Kind, byte[]? Json) Node(string folder, string name)
    {
        if (IsMetadataFile(folder, "zarr.json", name))
        {
            var json = ReadFile(folder, "zarr.json", name, MaxArrayMetadata);
            return (ZarrV3.NodeType(json, $"Zarr node '{name}'") == "array" ? NodeKind.V3Array : NodeKind.V3Group, json);
        }

        if (IsMetadataFile(folder, ".zarray", name))
        {
            return (NodeKind.V2Array, ReadFile(folder, ".zarray", name, MaxArrayMetadata));
        }

        return (IsMetadataFile(folder, ".zgroup", name) ? NodeKind.V2Group : NodeKind.None, null);
    }

    /// <summary>Whether the metadata file is there; one that is a folder, a FIFO or a device is refused rather than taken as missing.</summary>
    private static bool IsMetadataFile(string folder, string file, string name)
    {
        var kind = StorePaths.Probe(folder, file, $"Zarr node '{name}'", out _);
        return kind switch
        {
            FileKind.Missing => false,
            FileKind.Regular => true,
            _ => throw new InvalidFileFormatException($"Zarr node '{name}': {file} is {FileProbe.Describe(kind)}, not a file; Zarr metadata is a small JSON file."),
        };
    }

    /// <summary>Whether the folder is a Zarr array of either version.</summary>
    public static bool IsArray(string folder, string name) => Kind(folder, name) is NodeKind.V2Array or NodeKind.V3Array;

    /// <summary>The array metadata in the folder, or null when it is not an array (a group, or nothing Zarr).</summary>
    /// <exception cref="InvalidFileFormatException">The metadata is not valid, or uses what IOLink does not read.</exception>
    public static ZarrMetadata? Read(string folder, string name)
    {
        var (kind, json) = Node(folder, name);
        return kind switch
        {
            NodeKind.V3Array => ZarrV3.Parse(json!, $"Zarr array '{name}'"),
            NodeKind.V2Array => ZarrMetadata.ParseV2(json!, $"Zarr array '{name}'"),
            _ => null,
        };
    }

    /// <summary>
    /// The IOLink dimensions that v3 <c>dimension_names</c> are, when every name is one of the letters OME-Zarr and
    /// tifffile name axes by (t, c, z, y, x), each once; null otherwise (the axes stay unnamed).
    /// </summary>
    public static ImageDimension[]? AxesOf(string?[] names)
    {
        var axes = new ImageDimension[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            ImageDimension? axis = names[i] switch
            {
                "t" => ImageDimension.SEQUENCE,
                "c" => ImageDimension.CHANNEL,
                "z" => ImageDimension.SLICE,
                "y" => ImageDimension.ROW,
                "x" => ImageDimension.COLUMN,
                _ => null,
            };
            if (axis is null)
            {
                return null;
            }

            axes[i] = axis.Value;
        }

        return axes.Distinct().Count() == axes.Length ? axes : null;
    }

    /// <summary>
    /// How v3 <c>dimension_names</c> name an array's axes, or null when they do not (the axes stay unnamed): named
    /// axes, except that names in NumPy order (t, z, y, x) followed by a "c" of 2 to 4 components, as IOLink writes
    /// a view of vectors, are read by the interpretation they spell, so that the components become a vector again.
    /// </summary>
    public static AxisSpec? SpecOf(string?[] names, IReadOnlyList<long> shape)
    {
        if (AxesOf(names) is not { } axes)
        {
            return null;
        }

        if (axes.Length >= 3 && axes[^1] == ImageDimension.CHANNEL && shape[^1] is >= 2 and <= 4)
        {
            ImageTypeId? type = string.Concat(names[..^1]) switch
            {
                "yx" => ImageTypeId.IMAGE,
                "zyx" => ImageTypeId.VOLUME,
                "tyx" => ImageTypeId.IMAGE_SEQUENCE,
                "tzyx" => ImageTypeId.VOLUME_SEQUENCE,
                _ => null,
            };
            if (type is { } t)
            {
                return AxisSpec.Of(t);
            }
        }

        return AxisSpec.Named(axes);
    }

    /// <summary>The letter an IOLink dimension is named by in OME-Zarr and in v3 <c>dimension_names</c>.</summary>
    public static string Letter(ImageDimension d) => d switch
    {
        ImageDimension.SEQUENCE => "t",
        ImageDimension.CHANNEL => "c",
        ImageDimension.SLICE => "z",
        ImageDimension.ROW => "y",
        _ => "x",
    };

    private static byte[] ReadFile(string folder, string file, string name, int maxBytes) =>
        ZarrJson.ReadSmallFile(folder, file, $"Zarr node '{name}'", maxBytes)
        ?? throw new InvalidFileFormatException(
            $"Zarr node '{name}': {file} is larger than {maxBytes >> 20} MiB; Zarr metadata is a small JSON document, so the store is damaged or not Zarr.");
}
