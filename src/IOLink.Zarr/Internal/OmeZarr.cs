using IOLink.Files;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IOLink.Zarr.Internal;

/// <summary>
/// OME-Zarr (NGFF 0.4) images: a group whose <c>.zattrs</c> hold <c>multiscales</c>, naming the axes of its arrays
/// (t, c, z, y, x: SEQUENCE, CHANNEL, SLICE, ROW, COLUMN) and listing its resolution levels with their scales.
/// </summary>
internal static class OmeZarr
{
    /// <summary>One resolution level: its array's folder, the axes of that array in its order, and the spatial scale and translation per axis.</summary>
    public readonly record struct Level(string Folder, string Name, ImageDimension[] Axes, double[]? Scale, string Unit, double[]? Translation = null,
        string Version = "", MetadataNode? Omero = null);

    /// <summary>The levels of the OME-Zarr image in <paramref name="group"/>, or null when it is not one.</summary>
    /// <exception cref="InvalidFileFormatException">The multiscales metadata is there but not valid.</exception>
    public static List<Level>? Levels(string group, string name)
    {
        if (StorePaths.IsFile(group, "zarr.json", name))
        {
            // OME-Zarr 0.5: the image's metadata is the "ome" member of the v3 group's attributes.
            var v3 = ZarrJson.ReadSmallFile(group, "zarr.json", $"Zarr group '{name}'", 16 << 20);
            if (v3 is null || ZarrV3.NodeType(v3, $"Zarr group '{name}'") != "group")
            {
                return null;
            }

            return ZarrV3.Attributes(v3, $"Zarr group '{name}'", attributes =>
                attributes.TryGetProperty("ome", out var ome) && ome.ValueKind == JsonValueKind.Object ? Levels(ome, group, name) : null);
        }

        if (!StorePaths.IsFile(group, ".zgroup", name) || StorePaths.Probe(group, ".zattrs", name, out _) == FileKind.Missing)
        {
            return null;
        }

        // Attributes too large to be NGFF metadata are not an OME-Zarr image's.
        var json = ZarrJson.ReadSmallFile(group, ".zattrs", $"Zarr group '{name}'", 16 << 20);
        return json is null ? null : ZarrJson.Read(json, 64, $"Zarr group '{name}': .zattrs", root => Levels(root, group, name));
    }

    private static List<Level>? Levels(JsonElement root, string group, string name)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("multiscales", out var multiscales))
        {
            return null;
        }

        var where = $"OME-Zarr image '{name}'";
        if (multiscales.ValueKind != JsonValueKind.Array || multiscales.GetArrayLength() == 0 || multiscales[0].ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFileFormatException($"{where}: 'multiscales' must be a list of objects.");
        }

        var image = multiscales[0];
        var (axes, units) = Axes(image, name, where);
        // NGFF 0.5 names its version beside multiscales (in "ome"); 0.4 inside each multiscales entry.
        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : image.TryGetProperty("version", out v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        if (!image.TryGetProperty("datasets", out var datasets) || datasets.ValueKind != JsonValueKind.Array || datasets.GetArrayLength() == 0)
        {
            throw new InvalidFileFormatException($"{where}: multiscales has no 'datasets' list.");
        }

        var omero = Omero(root);

        var levels = new List<Level>();
        foreach (var dataset in datasets.EnumerateArray())
        {
            if (dataset.ValueKind != JsonValueKind.Object || !dataset.TryGetProperty("path", out var pathElement)
                || pathElement.ValueKind != JsonValueKind.String || pathElement.GetString() is not { Length: > 0 } path)
            {
                throw new InvalidFileFormatException($"{where}: each dataset needs a 'path'.");
            }

            var parts = path.Split('/');
            if (parts.Any(p => p is "" or "." or ".."))
            {
                throw new InvalidFileFormatException($"{where}: the dataset path '{path}' must name a folder inside the image.");
            }

            var scale = Transform(dataset, "scale", axes.Length, where);
            var translation = Transform(dataset, "translation", axes.Length, where);
            var unit = units.FirstOrDefault(u => u.Length > 0) ?? "";
            // The level's folder is inside the image: no part of its path may be a link (a level '0' linked to a
            // foreign array would be read, and written when opened writable).
            StorePaths.Probe(group, path, where, out var folder);
            levels.Add(new Level(folder, name.TrimEnd('/') + "/" + path, axes, scale, unit, translation, version, omero));
        }

        return levels;
    }

    /// <summary>
    /// The image's <c>omero</c> rendering metadata as a metadata tree (<c>omero/channels</c> holding the count, and
    /// <c>omero/channels/0</c>, <c>/1</c>, ... one per channel): its channels, each with its label, color,
    /// active flag and window (start, end, min, max); null when there is none. Entries of other types are skipped:
    /// this metadata describes how to show the image, and a viewer's odd entry is no reason to refuse the data.
    /// </summary>
    private static MetadataNode? Omero(JsonElement root)
    {
        if (!root.TryGetProperty("omero", out var omero) || omero.ValueKind != JsonValueKind.Object
            || !omero.TryGetProperty("channels", out var channels) || channels.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var node = new MetadataNode("omero");
        var list = node.Add("channels", channels.GetArrayLength());
        var i = 0;
        foreach (var channel in channels.EnumerateArray().Take(4096))
        {
            // Children are named uniquely: channel i is "omero/channels/i".
            var entry = list.Add((i++).ToString(CultureInfo.InvariantCulture), null);
            if (channel.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var key in new[] { "label", "color" })
            {
                if (channel.TryGetProperty(key, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    entry.Add(key, text.GetString());
                }
            }

            if (channel.TryGetProperty("active", out var active) && active.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                entry.Add("active", active.GetBoolean());
            }

            if (channel.TryGetProperty("window", out var window) && window.ValueKind == JsonValueKind.Object)
            {
                var w = entry.Add("window", null);
                foreach (var key in new[] { "start", "end", "min", "max" })
                {
                    if (window.TryGetProperty(key, out var number) && number.ValueKind == JsonValueKind.Number)
                    {
                        w.Add(key, number.GetDouble());
                    }
                }
            }
        }

        return node;
    }

    /// <summary>The level of the image that <paramref name="arrayFolder"/> is, when its parent group is an OME-Zarr image listing it.</summary>
    public static Level? LevelOf(string arrayFolder)
    {
        var parent = StorePaths.Parent(arrayFolder);
        if (parent is null)
        {
            return null;
        }

        try
        {
            var levels = Levels(parent, parent);
            var full = StorePaths.Full(arrayFolder);
            return levels?.FirstOrDefault(l => StorePaths.Full(l.Folder) == full) is { Folder: not null } level ? level : null;
        }
        catch (InvalidFileFormatException)
        {
            return null;   // the parent's attributes are not the array's business
        }
    }

    /// <summary>
    /// The attributes of an image whose levels are the arrays "0", "1", ..., for the axes in array order and each
    /// level's spacing: NGFF 0.4's <c>.zattrs</c> (<c>multiscales</c> naming its version), or NGFF 0.5's (<c>ome</c>
    /// naming the version and holding <c>multiscales</c>) for a v3 group's zarr.json.
    /// </summary>
    public static string Attributes(ImageDimension[] arrayAxes, IReadOnlyList<ImageProperties> levels, string name, string version, IReadOnlyList<string?>? channelLabels = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var unit = UnitName(levels[0].SpatialUnit);
        var v5 = version != "0.4";
        var json = new StringBuilder();
        json.Append(v5 ? $"{{\n    \"ome\": {{\"version\": \"{version}\", \"multiscales\": [\n        {{\n            \"axes\": [\n" : "{\n    \"multiscales\": [\n        {\n            \"axes\": [\n");
        for (var i = 0; i < arrayAxes.Length; i++)
        {
            var (axis, type) = AxisName(arrayAxes[i]);
            json.Append(inv, $"                {{\"name\": \"{axis}\", \"type\": \"{type}\"");
            if (type == "space" && unit is not null)
            {
                json.Append(inv, $", \"unit\": \"{unit}\"");
            }

            json.Append(i + 1 < arrayAxes.Length ? "},\n" : "}\n");
        }

        json.Append("            ],\n            \"datasets\": [\n");
        for (var level = 0; level < levels.Count; level++)
        {
            var spacing = levels[level].SpatialSpacing;
            var scale = arrayAxes.Select(d => d switch
            {
                ImageDimension.COLUMN => spacing[0],
                ImageDimension.ROW => spacing[1],
                ImageDimension.SLICE => spacing[2],
                _ => 1.0,
            }).Select(v => Number(v, inv));
            var origin = levels[level].SpatialOrigin;
            var shifted = origin.Any(v => v != 0);
            json.Append("                {\n                    \"coordinateTransformations\": [\n");
            json.Append(inv, $"                        {{\"scale\": [{string.Join(", ", scale)}], \"type\": \"scale\"}}{(shifted ? "," : "")}\n");
            if (shifted)
            {
                // NGFF: a translation after the scale, where the first element's center lies (the view's origin).
                var translation = arrayAxes.Select(d => d switch
                {
                    ImageDimension.COLUMN => origin[0],
                    ImageDimension.ROW => origin[1],
                    ImageDimension.SLICE => origin[2],
                    _ => 0.0,
                }).Select(v => Number(v, inv));
                json.Append(inv, $"                        {{\"translation\": [{string.Join(", ", translation)}], \"type\": \"translation\"}}\n");
            }

            json.Append(inv, $"                    ],\n                    \"path\": \"{level}\"\n                }}{(level + 1 < levels.Count ? "," : "")}\n");
        }

        json.Append("            ],\n");
        json.Append(inv, $"            \"name\": {JsonSerializer.Serialize(name)}{(v5 ? "" : ",")}\n");
        // The channels' names, as omero labels (what OME-TIFF channel names and NGFF readers' channel lists become).
        var omero = channelLabels is null ? "" : ",\n    \"omero\": {\"channels\": ["
            + string.Join(", ", channelLabels.Select(l => l is null ? "{}" : $"{{\"label\": {JsonSerializer.Serialize(l)}}}")) + "]}";
        json.Append(v5 ? $"        }}\n    ]{omero}}}\n}}" : $"            \"version\": \"{version}\"\n        }}\n    ]{omero}\n}}\n");
        return json.ToString();
    }

    /// <summary>A JSON number that reads back as a float: "2.0", not "2".</summary>
    private static string Number(double v, CultureInfo inv)
    {
        var text = v.ToString("R", inv);
        return text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }

    private static (string Name, string Type) AxisName(ImageDimension d) => d switch
    {
        ImageDimension.SEQUENCE => ("t", "time"),
        ImageDimension.CHANNEL => ("c", "channel"),
        ImageDimension.SLICE => ("z", "space"),
        ImageDimension.ROW => ("y", "space"),
        _ => ("x", "space"),
    };

    /// <summary>NGFF names units by their UDUNITS-2 names; the usual abbreviations are spelled out.</summary>
    private static string? UnitName(string unit) => unit switch
    {
        "" => null,
        "mm" => "millimeter",
        "um" or "µm" => "micrometer",
        "nm" => "nanometer",
        "cm" => "centimeter",
        "m" => "meter",
        _ => unit.All(c => char.IsAsciiLetter(c)) ? unit : null,
    };

    private static string Abbreviation(string unit) => unit switch
    {
        "millimeter" => "mm",
        "micrometer" => "um",
        "nanometer" => "nm",
        "centimeter" => "cm",
        "meter" => "m",
        _ => unit,
    };

    private static (ImageDimension[] Axes, string[] Units) Axes(JsonElement image, string name, string where)
    {
        if (!image.TryGetProperty("axes", out var axes) || axes.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFileFormatException($"{where}: multiscales has no 'axes' list (NGFF 0.4 names each axis).");
        }

        var result = new ImageDimension[axes.GetArrayLength()];
        var units = new string[result.Length];
        var i = 0;
        foreach (var axis in axes.EnumerateArray())
        {
            // NGFF 0.4 axes are objects with a name; 0.3 listed the names alone.
            var text = axis.ValueKind == JsonValueKind.String ? axis.GetString()
                : axis.ValueKind == JsonValueKind.Object && axis.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()
                : null;
            result[i] = text switch
            {
                "t" => ImageDimension.SEQUENCE,
                "c" => ImageDimension.CHANNEL,
                "z" => ImageDimension.SLICE,
                "y" => ImageDimension.ROW,
                "x" => ImageDimension.COLUMN,
                _ => throw new InvalidFileFormatException(
                    $"{where}: the axis {axis.GetRawText()} is not one of t, c, z, y, x; open its arrays directly (for example '{name}/0') to read them without axis names."),
            };
            units[i] = axis.ValueKind == JsonValueKind.Object && axis.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String
                && result[i] is ImageDimension.COLUMN or ImageDimension.ROW or ImageDimension.SLICE ? Abbreviation(u.GetString()!) : "";
            i++;
        }

        if (result.Distinct().Count() != result.Length)
        {
            throw new InvalidFileFormatException($"{where}: an axis is named twice.");
        }

        return (result, units);
    }

    /// <summary>The numbers of a dataset's transformation of <paramref name="kind"/> ("scale" or "translation"), one per axis, or null without one.</summary>
    private static double[]? Transform(JsonElement dataset, string kind, int rank, string where)
    {
        if (!dataset.TryGetProperty("coordinateTransformations", out var transforms) || transforms.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var t in transforms.EnumerateArray())
        {
            if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == kind && t.TryGetProperty(kind, out var values))
            {
                if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != rank
                    || values.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble())))
                {
                    throw new InvalidFileFormatException($"{where}: a {kind} must list {rank} finite numbers, one per axis.");
                }

                return values.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            }
        }

        return null;
    }
}
