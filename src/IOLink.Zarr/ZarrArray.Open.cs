using IOLink.Chunked;
using IOLink.Files;
using IOLink.Interop;
using IOLink.Storage;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr;

/// <summary>Opening Zarr arrays and OME-Zarr images, and finding an image's resolution levels.</summary>
public sealed partial class ZarrArray
{
    /// <summary>Opens the Zarr array (or OME-Zarr image) at <paramref name="path"/>: its axes by rule 1, or as the OME-Zarr metadata names them.</summary>
    /// <param name="path">A folder holding <c>.zarray</c>, or an OME-Zarr image's group (its first resolution level is opened).</param>
    /// <param name="writable">Whether the view gets WRITE.</param>
    /// <exception cref="FileNotFoundException">There is nothing at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The path is a plain group; the message lists its arrays.</exception>
    /// <exception cref="InvalidFileFormatException">The metadata is not valid Zarr v2 that IOLink reads.</exception>
    public static ZarrArray Open(string path, bool writable = false) => Open(path, writable, AxisSpec.Unknown);

    /// <summary>Opens a Zarr array whose axes are read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <exception cref="ArgumentException">The array's rank does not fit the interpretation, or as <see cref="Open(string, bool)"/>.</exception>
    public static ZarrArray Open(string path, bool writable, ImageType type) => Open(path, writable, AxisSpec.Of(type));

    /// <summary>Opens a Zarr array whose axes are named, in the array's axis order (rules 3 and 4).</summary>
    /// <exception cref="ArgumentException">The names do not fit the array, or as <see cref="Open(string, bool)"/>.</exception>
    public static ZarrArray Open(string path, bool writable, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Open(path, writable, AxisSpec.Named(axes));
    }

    /// <summary>Opens resolution level <paramref name="level"/> of the OME-Zarr image at <paramref name="path"/> (0 is the full resolution), its axes and spacing as the image names them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The image has no such level, or the path is a single array and the level is not 0.</exception>
    public static ZarrArray OpenLevel(string path, int level, bool writable = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        return Open(path, writable, AxisSpec.Unknown, level);
    }

    /// <summary>
    /// The OME-Zarr image at <paramref name="path"/> as one multi-resolution view: its levels, finest first, each with
    /// its axes and spacing as the image names them (a single array is a view of one level).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is nothing at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The path is neither a Zarr array nor an OME-Zarr image.</exception>
    /// <exception cref="InvalidFileFormatException">The metadata is not valid, or the levels are not resolutions of one image (growing, or of different types).</exception>
    public static LodImageView OpenLod(string path, bool writable = false)
    {
        var full = CheckedFolder(path);
        var levels = new List<ImageView>();
        try
        {
            if (ArrayMetadata.IsArray(full, path))
            {
                levels.Add(Open(path, writable));
            }
            else
            {
                // The image's metadata is read once, and each level opened from it.
                var images = OmeZarr.Levels(full, path) ?? throw new ArgumentException(Groups.Describe(full, path), nameof(path));
                foreach (var level in images)
                {
                    levels.Add(OpenLevel(level, writable, AxisSpec.Unknown));
                }
            }

            try
            {
                return LodImageViewFactory.FromViews(levels);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidFileFormatException($"The OME-Zarr image '{path}' lists levels that are not resolutions of one image: {ex.Message.Split(" (Parameter")[0]}", ex);
            }
        }
        finally
        {
            // The multi-resolution view keeps its own handles.
            levels.ForEach(v => v.Dispose());
        }
    }

    /// <summary>The resolution levels of the OME-Zarr image at <paramref name="path"/>, as paths below it (such as "0", "1"); one empty path for a single array.</summary>
    /// <exception cref="ArgumentException">The path is neither a Zarr array nor an OME-Zarr image.</exception>
    public static IReadOnlyList<string> LevelPaths(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Internal.StorePaths.Full(path);
        if (ArrayMetadata.IsArray(full, path))
        {
            return [""];
        }

        var levels = OmeZarr.Levels(full, path) ?? throw new ArgumentException(Groups.Describe(full, path), nameof(path));
        return levels.Select(l => Locations.IsRemote(full) ? Internal.StorePaths.Full(l.Folder)[(full.Length + 1)..] : System.IO.Path.GetRelativePath(full, l.Folder).Replace('\\', '/')).ToList();
    }

    /// <summary>
    /// How <c>iolink info</c> describes the OME-Zarr image at <paramref name="path"/>: its NGFF version, its axes (t, c,
    /// z, y, x) and spatial unit, and its levels, such as <c>OME-Zarr 0.5, axes z, y, x (micrometer), 3 levels</c>;
    /// null when the path is not an OME-Zarr image (a single array, a plain group).
    /// </summary>
    /// <exception cref="InvalidFileFormatException">The image's metadata is there but not valid.</exception>
    public static string? DescribeOme(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OmeZarr.Levels(Internal.StorePaths.Full(path), path) is not { Count: > 0 } levels)
        {
            return null;
        }

        var first = levels[0];
        var version = first.Version.Length > 0 ? " " + first.Version : "";
        var unit = first.Unit.Length > 0 ? $" ({first.Unit})" : "";
        return $"OME-Zarr{version}, axes {string.Join(", ", first.Axes.Select(ArrayMetadata.Letter))}{unit}, {levels.Count} level{(levels.Count == 1 ? "" : "s")}";
    }

    /// <summary>Opens the Zarr array (or an OME-Zarr image's first level) at <paramref name="path"/>, its axes as <paramref name="axes"/> says (nothing: rule 1, or as the OME-Zarr metadata names them).</summary>
    /// <exception cref="FileNotFoundException">There is nothing at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The path is a plain group (the message lists its arrays), or the array does not fit <paramref name="axes"/>.</exception>
    /// <exception cref="InvalidFileFormatException">The metadata is not valid Zarr v2 that IOLink reads.</exception>
    public static ZarrArray Open(string path, bool writable, AxisSpec axes) => Open(path, writable, axes, 0);

    private static ZarrArray Open(string path, bool writable, AxisSpec axes, int level)
    {
        var full = CheckedFolder(path);

        var metadata = ArrayMetadata.Read(full, path);
        if (metadata is null)
        {
            var levels = OmeZarr.Levels(full, path) ?? throw new ArgumentException(Groups.Describe(full, path), nameof(path));
            if (level >= levels.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(level), level, $"The OME-Zarr image '{path}' has {levels.Count} resolution levels (0 to {levels.Count - 1}).");
            }

            return OpenLevel(levels[level], writable, axes);
        }

        if (level != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"'{path}' is a single Zarr array, not an OME-Zarr image with resolution levels; open it with level 0.");
        }

        // An array that is a level of an OME-Zarr image is named by the image's axes, unless the caller names them.
        if (axes.IsUnknown && OmeZarr.LevelOf(full) is { } own)
        {
            return OpenLevel(own with { Folder = full, Name = path }, writable, axes);
        }

        return OpenArray(full, path, metadata, writable, axes);
    }

    /// <summary>The full path of the folder <paramref name="path"/> names (a link to it followed), refused when it is missing or not a folder.</summary>
    private static string CheckedFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Locations.IsRemote(path))
        {
            return Internal.StorePaths.Full(path);   // a server is asked for the metadata itself
        }

        var full = Internal.StorePaths.Full(path);
        var kind = FileProbe.Kind(full, followLinks: true);
        if (kind == FileKind.Missing)
        {
            throw new FileNotFoundException($"There is no Zarr array '{path}'; check the path.", path);
        }

        if (kind != FileKind.Directory)
        {
            throw new InvalidFileFormatException($"'{path}' is {FileProbe.Describe(kind)}; a Zarr array is a folder holding zarr.json (v3) or .zarray (v2).");
        }

        return full;
    }

    private static ZarrArray OpenLevel(OmeZarr.Level level, bool writable, AxisSpec axes)
    {
        var metadata = ArrayMetadata.Read(level.Folder, level.Name)
            ?? throw new InvalidFileFormatException($"OME-Zarr image: the level '{level.Name}' is not a Zarr array (it has no zarr.json or .zarray describing an array).");
        var named = axes.IsUnknown;
        if (named && level.Axes.Length != metadata.Shape.Length)
        {
            throw new InvalidFileFormatException(
                $"OME-Zarr array '{level.Name}' has {metadata.Shape.Length} dimensions but the image names {level.Axes.Length} axes.");
        }

        var view = OpenArray(level.Folder, level.Name, metadata, writable, named ? AxisSpec.Named(level.Axes) : axes);
        if (named && level.Scale is { } scale)
        {
            var spacing = view.Properties.SpatialSpacing;
            for (var i = 0; i < level.Axes.Length; i++)
            {
                var k = level.Axes[i] switch { ImageDimension.COLUMN => 0, ImageDimension.ROW => 1, ImageDimension.SLICE => 2, _ => -1 };
                if (k >= 0 && scale[i] > 0)
                {
                    spacing[k] = scale[i];
                }
            }

            view.Properties.SpatialSpacing = spacing;
            view.Properties.SpatialUnit = level.Unit;
        }

        if (level.Version.Length > 0 || level.Omero is not null)
        {
            // What the image says beyond axes and spacing, in the view's metadata tree: its NGFF version and its
            // channels as omero describes them (labels, colors, windows).
            var ome = view.Metadata.Add("ome", level.Version.Length > 0 ? level.Version : null);
            if (level.Omero is { } omero)
            {
                ome.Add(omero.Clone());
            }
        }

        if (named && level.Translation is { } translation)
        {
            var origin = view.Properties.SpatialOrigin;
            for (var i = 0; i < level.Axes.Length; i++)
            {
                var k = level.Axes[i] switch { ImageDimension.COLUMN => 0, ImageDimension.ROW => 1, ImageDimension.SLICE => 2, _ => -1 };
                if (k >= 0)
                {
                    origin[k] = translation[i];
                }
            }

            view.Properties.SpatialOrigin = origin;
        }

        return view;
    }

    /// <summary>Makes the view: the array's chunks in its folder's store, and the axis rules on the array's lengths (as a dense C-order array of its items).</summary>
    private static ZarrArray OpenArray(string folder, string name, ZarrMetadata metadata, bool writable, AxisSpec axes)
    {
        if (writable && Locations.IsRemote(folder) && !Locations.IsS3(folder))
        {
            throw new NotSupportedException($"'{name}' is on an HTTP server, which IOLink reads but does not write; open it read-only, or copy it to a local folder to change it.");
        }

        var store = Locations.IsRemote(folder) ? Locations.OpenStore(folder, readOnly: !writable) : new DirectoryStore(folder, readOnly: !writable, name: name);
        var array = metadata.InStore(store, name, new ChunkCache(DefaultChunkCacheBytes));
        try
        {
            if (axes.IsUnknown && metadata.DimensionNames is { } names && Internal.ArrayMetadata.SpecOf(names, metadata.Shape) is { } named)
            {
                // A v3 array whose dimension_names are the OME/tifffile letters names its own axes.
                axes = named;
            }

            return new ZarrArray(array, metadata, axes, writable, metadata.Dtype.IsBool);
        }
        catch
        {
            array.Close();
            throw;
        }
    }
}
