using IOLink.Files;
using IOLink.Tiff.Internal;

namespace IOLink.Tiff;

/// <summary>How a TIFF's strips or tiles are compressed.</summary>
public enum TiffCompression
{
    /// <summary>Stored as they are: in strips, one contiguous run that reading memory-maps.</summary>
    None,

    /// <summary>Deflate (zlib, TIFF compression 8), which every TIFF reader decodes.</summary>
    Deflate,

    /// <summary>Zstandard (TIFF compression 50000): faster and smaller than Deflate; tifffile reads it with imagecodecs.</summary>
    Zstd,
}

/// <summary>How <see cref="TiffFile.Write(ImageView, string, TiffWriteOptions?, IProgress{double}?)"/> writes a TIFF.</summary>
public sealed class TiffWriteOptions
{
    /// <summary>The compression; none by default (as tifffile's <c>imwrite</c>).</summary>
    public TiffCompression Compression { get; set; } = TiffCompression.None;

    /// <summary>The compression level (Deflate 1 to 9, default 6; Zstandard 1 to 22, default 3), or null for the default.</summary>
    public int? CompressionLevel { get; set; }

    /// <summary>The tile width and height (multiples of 16), or 0 for the default: 256 x 256 (less for a smaller image) when compressed, strips when not.</summary>
    public int TileWidth { get; set; }

    /// <inheritdoc cref="TileWidth"/>
    public int TileHeight { get; set; }

    /// <summary>Whether the first page describes the image in OME-XML (an OME-TIFF: axes, voxel size, channels); true by default. Without it the description is tifffile's <c>{"shape": [...]}</c>.</summary>
    public bool Ome { get; set; } = true;

    /// <summary>Whether to write a BigTIFF (64-bit offsets); null to write one when the image is over 4 GiB, as tifffile does.</summary>
    public bool? BigTiff { get; set; }

    /// <summary>How many resolutions to write: 1 for the image alone, more for a pyramid of each plane halved in X and Y, stored in SubIFDs as OME-TIFF pyramids are.</summary>
    public int Levels { get; set; } = 1;

    /// <summary>How a pyramid's levels are computed from the one above.</summary>
    public DownsampleMethod Downsample { get; set; } = DownsampleMethod.Mean;
}

public static partial class TiffFile
{
    /// <summary>
    /// Writes <paramref name="view"/> as a TIFF at <paramref name="path"/>: an OME-TIFF by default, whose OME-XML names
    /// its axes (SLICE, CHANNEL and SEQUENCE as Z, C and T, planes in XYZCT order), its voxel size and unit, and its
    /// channels (with the names the view's metadata holds under <c>ome/channels/i/name</c>); vector elements are
    /// samples per pixel (RGB for 3 and 4 of 8 or 16 bits). Streamed: a band of rows is read from the view at a time
    /// and its tiles are compressed on every core, so memory stays bounded by one band. The file is written under a
    /// temporary name and renamed into place when complete.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not valid, or the view's type or axes have no TIFF form (the message says which).</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(ImageView view, string path, TiffWriteOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new TiffWriteOptions();
        ObjectDisposedException.ThrowIf(view.IsDisposed, view);
        if (!view.Support(ImageCapability.READ))
        {
            throw new NotSupportedException("The view cannot be read (it has no READ capability), so it cannot be written as a TIFF.");
        }
        if (options.Levels < 1)
        {
            throw new ArgumentException($"Levels is {options.Levels}; write 1 for the image alone, or more for a pyramid.", nameof(options));
        }

        // A view of UNKNOWN axes is the array the NumPy rules see in it (its own order, the last axis fastest), written
        // as tifffile writes that array: (Y, X) a page, (Z, Y, X) a stack.
        ImageView? named = null;
        if (!view.AxesInterpretation.IsKnown && view.DimensionCount is 2 or 3)
        {
            named = ImageViewFactory.ReinterpretAxes(view, view.DimensionCount == 2
                ? [ImageDimension.ROW, ImageDimension.COLUMN]
                : [ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN]);
            view = named;
        }

        using var owned = named;
        var planes = Planes(view, nameof(view));
        Write(path, planes, options, view, progress, p =>
        {
            using var plane = ImageViewFactory.ExtractRegion(view, planes.Region(p, view.Shape));
            if (options.Levels == 1)
            {
                return [ImageViewFactory.ExtractRegion(plane, RegionXu64.CreateFullRegion(plane.Shape))];
            }

            using var lod = LodImageViewFactory.Downsample(plane, options.Levels, options.Downsample);
            return Enumerable.Range(0, options.Levels).Select(lod.Resolution).ToArray();
        });
    }

    /// <summary>
    /// Writes the levels of <paramref name="lod"/> as a TIFF pyramid: level 0 as the image (as
    /// <see cref="Write(ImageView, string, TiffWriteOptions?, IProgress{double}?)"/> writes it) and each coarser level in its planes'
    /// SubIFDs, as OME-TIFF pyramids are stored. Every level must have level 0's planes (Z, C and T lengths), only X
    /// and Y smaller.
    /// </summary>
    /// <exception cref="ArgumentException">The levels differ in more than X and Y, or as for <see cref="Write(ImageView, string, TiffWriteOptions?, IProgress{double}?)"/>.</exception>
    public static void Write(LodImageView lod, string path, TiffWriteOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(lod);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new TiffWriteOptions();
        var (finest, coarsest) = lod.LevelRange();
        var levels = new List<ImageView>();
        try
        {
            for (var k = finest; k <= coarsest; k++)
            {
                levels.Add(lod.Resolution(k));
            }

            var planes = Planes(levels[0], nameof(lod));
            for (var k = 1; k < levels.Count; k++)
            {
                var shape = levels[k].Shape;
                for (var d = 2; d < shape.Size; d++)
                {
                    if (shape[d] != levels[0].Shape[d])
                    {
                        throw new ArgumentException(
                            $"Level {k} has shape {shape} and level 0 {levels[0].Shape}; a TIFF pyramid keeps every plane at every level, so only X and Y may shrink.", nameof(lod));
                    }
                }
            }

            Write(path, planes, options, levels[0], progress, p => levels.Select(level => ImageViewFactory.ExtractRegion(level, planes.Region(p, level.Shape))).ToArray());
        }
        finally
        {
            levels.ForEach(v => v.Dispose());
        }
    }

    private static void Write(string path, PlaneLayout planes, TiffWriteOptions options, ImageView view, IProgress<double>? progress, Func<long, ImageView[]> planeLevels)
    {
        if (options.TileWidth % 16 != 0 || options.TileHeight % 16 != 0 || options.TileWidth < 0 || options.TileHeight < 0 || (options.TileWidth == 0) != (options.TileHeight == 0))
        {
            throw new ArgumentException($"Tiles of {options.TileWidth} x {options.TileHeight}: TIFF tiles are multiples of 16 on each side; give both, or neither for the default.", nameof(options));
        }

        if (options.Compression is not (TiffCompression.None or TiffCompression.Deflate or TiffCompression.Zstd))
        {
            throw new ArgumentException($"Compression {options.Compression} is not one IOLink writes; use None, Deflate or Zstd.", nameof(options));
        }

        var type = view.DataType;
        var pixelBytes = (long)type.ByteCount;
        var bytes = planes.Count * planes.Width * planes.Height * pixelBytes;
        var estimate = (options.Levels > 1 ? bytes * 4 / 3 : bytes) + (planes.Count * 4096);
        var big = options.BigTiff ?? estimate > (1L << 32) - (1L << 25);
        string description;
        if (options.Ome)
        {
            var names = new string?[planes.C];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = view.Metadata.Find($"ome/channels/{i}/name")?.Value as string;
            }

            var name = view.Metadata.Find("ome/name")?.Value as string ?? "";
            description = TiffWriter.OmeXml(planes.Width, planes.Height, planes.Z, planes.C, planes.T, type, view.Properties.SpatialSpacing, view.Properties.SpatialUnit, names, name);
        }
        else
        {
            var shape = new List<long>();
            foreach (var n in new[] { planes.T, planes.C, planes.Z })
            {
                if (n > 1)
                {
                    shape.Add(n);
                }
            }

            shape.AddRange([planes.Height, planes.Width]);
            if (type.Dimension > 1)
            {
                shape.Add(type.Dimension);
            }

            description = $"{{\"shape\": [{string.Join(", ", shape)}]}}";
        }

        var source = new TiffWriter.Source(planes.Count, p =>
        {
            progress?.Report((double)p / planes.Count);
            return planeLevels(p);
        }, planes.Width, planes.Height, type);
        OutputFile.Write(path, options.Compression == TiffCompression.None ? estimate : 0,
            stream => TiffWriter.Write(stream, source, description, options, big, path));
        progress?.Report(1);
    }

    /// <summary>Where the view's X, Y, Z, C and T are, and how its planes (Z fastest, then C, then T) are numbered.</summary>
    private sealed record PlaneLayout(long Width, long Height, long Z, long C, long T, int[] Index)
    {
        public long Count => Z * C * T;

        /// <summary>Plane <paramref name="p"/> of a view of <paramref name="shape"/> (a level keeps Z, C, T and has its own X and Y).</summary>
        public RegionXu64 Region(long p, VectorXu64 shape)
        {
            var origin = new ulong[shape.Size];
            var size = shape.ToArray();
            var at = new[] { p % Z, p / Z % C, p / (Z * C) };
            for (var k = 0; k < 3; k++)
            {
                if (Index[k] >= 0)
                {
                    origin[Index[k]] = (ulong)at[k];
                    size[Index[k]] = 1;
                }
            }

            return new RegionXu64(new VectorXu64(origin), new VectorXu64(size));
        }
    }

    private static PlaneLayout Planes(ImageView view, string parameter)
    {
        var type = view.DataType;
        if (type.Interpretation is not (DataTypeInterpretation.RAW or DataTypeInterpretation.VECTOR)
            || !(type.PrimitiveType is PrimitiveTypeId.UNSIGNED_INTEGER or PrimitiveTypeId.SIGNED_INTEGER or PrimitiveTypeId.FLOATING_POINT) || type.Dimension > 4
            || type.ComponentType.BitDepth is not (8 or 16 or 32 or 64))
        {
            throw new ArgumentException(
                $"The view holds {type} elements; a TIFF holds 8- to 64-bit integers and 32- or 64-bit floats, 1 to 4 per pixel. Adapt the type first (ImageViewFactory.AdaptDataType).", parameter);
        }

        var rank = view.DimensionCount;
        var dims = view.AxesInterpretation.IsKnown ? view.AxesInterpretation.Dimensions
            : rank switch
            {
                1 => [ImageDimension.COLUMN],
                _ => throw new ArgumentException(
                    $"The view has {rank} dimensions and no axes interpretation; name its axes (ImageViewFactory.ReinterpretAxes) so that IOLink knows which are Z, C and T.", parameter),
            };
        if (dims[0] != ImageDimension.COLUMN || (rank > 1 && dims[1] != ImageDimension.ROW))
        {
            throw new ArgumentException($"The view's axes are {view.AxesInterpretation}; a TIFF page is X by Y, so the view needs COLUMN and ROW dimensions.", parameter);
        }

        long Length(ImageDimension d) => Array.IndexOf(dims, d) is var i and >= 0 ? (long)view.Shape[i] : 1;
        var index = new[] { Array.IndexOf(dims, ImageDimension.SLICE), Array.IndexOf(dims, ImageDimension.CHANNEL), Array.IndexOf(dims, ImageDimension.SEQUENCE) };
        var layout = new PlaneLayout(Length(ImageDimension.COLUMN), Length(ImageDimension.ROW), Length(ImageDimension.SLICE), Length(ImageDimension.CHANNEL),
            Length(ImageDimension.SEQUENCE), index);
        if (layout.Width > uint.MaxValue || layout.Height > uint.MaxValue || layout.Count > TiffDirectory.MaxPages)
        {
            throw new ArgumentException(
                $"The view is {layout.Width} x {layout.Height} with {layout.Count} planes; a TIFF holds pages up to 2^32 - 1 pixels on a side and IOLink writes at most {TiffDirectory.MaxPages} pages.", parameter);
        }

        return layout;
    }
}
