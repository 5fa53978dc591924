using IOLink.Chunked;
using IOLink.Interop;
using IOLink.Storage;
using IOLink.Tiff.Internal;

namespace IOLink.Tiff;

/// <summary>
/// TIFF and BigTIFF files as image views. The first image of a file (its first page, and every following page of the
/// same size, type and layout: a multi-page stack) opens as one view: a single page as an IMAGE (X, Y), a stack as a
/// VOLUME (X, Y, Z), 2 to 4 samples per pixel as vector components (RGB, RGBA), more as a CHANNEL dimension. An
/// uncompressed image stored contiguously in the machine's byte order (as tifffile and ImageJ write it) is memory-mapped:
/// the view has MEMORY_ACCESS and nothing is read until it is used. Any other image is read strip by strip or tile by
/// tile through the chunked-array layer (<see cref="ChunkedImageView"/>): a region read decodes only the strips or
/// tiles it touches, on every core.
/// </summary>
/// <remarks>
/// Read: both byte orders, TIFF and BigTIFF, strips and tiles, chunky and planar samples, 8- to 64-bit integers and
/// 32- and 64-bit floats, uncompressed, LZW, Deflate and PackBits, with horizontal and floating-point predictors.
/// Refused with a message naming what: JPEG and other codecs, 1-bit and 12-bit samples. The directories are read with
/// every offset and count checked against the file (loops, offsets past the end, huge counts are
/// <see cref="InvalidFileFormatException"/>s).
/// </remarks>
public static partial class TiffFile
{
    /// <summary>Opens the first image of the TIFF file at <paramref name="path"/> (its first series, full resolution) as a read-only view, memory-mapped when its layout allows.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">The file is not a TIFF, is damaged, or holds what IOLink does not read (the message says what).</exception>
    public static ImageView Open(string path) => Open(path, mapIfPossible: true);

    /// <summary>
    /// Opens the first image as <see cref="Open(string)"/> does, with the pages of a plain stack (one without OME or
    /// ImageJ axes) along <paramref name="pageAxis"/>: SLICE (a VOLUME, the default) or SEQUENCE (an IMAGE_SEQUENCE, for
    /// a time series saved page by page).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="pageAxis"/> is neither SLICE nor SEQUENCE.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static ImageView Open(string path, ImageDimension pageAxis)
    {
        if (pageAxis is not (ImageDimension.SLICE or ImageDimension.SEQUENCE))
        {
            throw new ArgumentException($"The pages of a stack are SLICE (a VOLUME) or SEQUENCE (an IMAGE_SEQUENCE), not {pageAxis}.", nameof(pageAxis));
        }

        return Open(path, mapIfPossible: true, pageAxis);
    }

    /// <summary>Opens the first image read strip by strip or tile by tile, never mapped (for files that may change while open).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static ImageView OpenChunked(string path) => Open(path, mapIfPossible: false);

    /// <summary>
    /// Every image of the file (an OME-TIFF's Images, or each run of alike pages of a plain TIFF), at full resolution,
    /// as the frames of a read-only multi-frame view, in file order.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static MultiImageView OpenSeries(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var shared = SharedFile.Open(path);
        var reader = new TiffSeriesReader(TiffDirectory.Read(shared, path), path, shared.Size);
        var views = new List<ImageView>();
        try
        {
            foreach (var series in reader.Read(all: true))
            {
                views.Add(View(shared, reader, series, series.Planes, path, mapIfPossible: true));
            }

            return MultiImageViewFactory.FromViews(views, writable: false);
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    /// <summary>
    /// The resolutions of image <paramref name="series"/> (0 for the first) as a multi-resolution view: level 0 the
    /// full image, then the reduced images its planes' SubIFDs hold (as tifffile and Bio-Formats write OME-TIFF
    /// pyramids), or the reduced pages that follow a single page. An image without them has level 0 only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The file has no image <paramref name="series"/>.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>, or a level is not a reduced copy of the image.</exception>
    public static LodImageView OpenLod(string path, int series = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var shared = SharedFile.Open(path);
        var reader = new TiffSeriesReader(TiffDirectory.Read(shared, path), path, shared.Size);
        var all = reader.Read(all: series > 0);
        if (series < 0 || series >= all.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(series), series, $"'{path}' holds {all.Count} image(s); name one from 0 to {all.Count - 1}.");
        }

        var image = all[series];
        var views = new List<ImageView>();
        try
        {
            for (var level = 0; level < image.LevelCount; level++)
            {
                views.Add(View(shared, reader, image, LevelPlanes(reader, image, level), path, mapIfPossible: true));
            }

            try
            {
                return LodImageViewFactory.FromViews(views);
            }
            catch (ArgumentException e)
            {
                throw new InvalidFileFormatException($"'{path}': the reduced resolutions of image {series} are not levels of one image: {e.Message}", e);
            }
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    /// <summary>What the TIFF file at <paramref name="path"/> holds, as <c>iolink info</c> shows it.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static TiffDescription Describe(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = Locations.OpenRead(path);
        var directory = TiffDirectory.Read(file, path);
        var reader = new TiffSeriesReader(directory, path, file.Size);
        var all = reader.Read(all: true);
        directory.ReadAll();
        var image = all[0];
        var first = image.Planes[0];
        return new TiffDescription
        {
            BigTiff = directory.BigTiff,
            ByteOrder = directory.BigEndian ? ByteOrder.BigEndian : ByteOrder.LittleEndian,
            PageCount = directory.Pages.Count,
            StackPages = image.Planes.Count,
            Width = first.Width,
            Height = first.Height,
            SamplesPerPixel = first.SamplesPerPixel,
            SampleType = first.SampleType,
            Compression = first.CompressionName,
            Layout = first.Tiled ? $"tiles of {first.ChunkColumns} x {first.ChunkRows}" : $"strips of {first.ChunkRows} rows",
            Planar = first.Planar,
            Predictor = first.Predictor,
            Mappable = Contiguous(image.Planes, directory) is not null,
            Bilevel = first.Bilevel,
            Description = first.Description,
            Kind = image.Kind,
            Series = all.Select(SeriesDescription).ToArray(),
        };
    }

    private static TiffSeriesDescription SeriesDescription(TiffSeries series)
    {
        var first = series.Planes[0];
        var shape = new List<long>(series.PlaneSizes);
        if (first.Planar && first.SamplesPerPixel > 1)
        {
            shape.Add(first.SamplesPerPixel);
        }

        shape.AddRange([first.Height, first.Width]);
        if (!first.Planar && first.SamplesPerPixel > 1)
        {
            shape.Add(first.SamplesPerPixel);
        }

        return new TiffSeriesDescription
        {
            Name = series.Name,
            Axes = series.AxesText,
            Shape = [.. shape],
            Levels = series.LevelCount,
            Spacing = [.. series.Spacing],
            Unit = series.Unit,
            ChannelNames = series.ChannelNames?.Select(n => n ?? "").ToArray(),
        };
    }

    private static ImageView Open(string path, bool mapIfPossible, ImageDimension pageAxis = ImageDimension.SLICE)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var shared = SharedFile.Open(path);
        var reader = new TiffSeriesReader(TiffDirectory.Read(shared, path), path, shared.Size);
        var series = reader.Read(all: false)[0];
        return View(shared, reader, series, series.Planes, path, mapIfPossible, pageAxis);
    }

    /// <summary>The planes of resolution <paramref name="level"/>: the series' own, a SubIFD of each, or the reduced pages after it.</summary>
    private static IReadOnlyList<TiffPage> LevelPlanes(TiffSeriesReader reader, TiffSeries series, int level)
    {
        if (level == 0)
        {
            return series.Planes;
        }

        if (series.ChainLevels.Count >= level)
        {
            return series.ChainLevels[level - 1];
        }

        var planes = new TiffPage[series.Planes.Count];
        for (var p = 0; p < planes.Length; p++)
        {
            planes[p] = reader.SubPage(series.Planes[p], level, p);
            if (p > 0 && !planes[0].Matches(planes[p]))
            {
                throw new InvalidFileFormatException($"'{reader.Path}': level {level} of plane {p} differs in size, type or layout from that of plane 0; an image's planes share one.");
            }
        }

        return planes;
    }

    /// <summary>The IOLink dimension an OME/tifffile plane axis letter stands for (Q, a plain stack's pages: <paramref name="pages"/>).</summary>
    private static ImageDimension Dimension(char axis, ImageDimension pages) => axis switch
    {
        'T' => ImageDimension.SEQUENCE,
        'C' => ImageDimension.CHANNEL,
        'Q' => pages,
        _ => ImageDimension.SLICE,
    };

    /// <summary>
    /// One resolution of a series as a view: memory-mapped when its pixels are one dense block in this machine's
    /// byte order, otherwise strip by strip or tile by tile through the chunked-array layer. The plane axes become
    /// SEQUENCE (T), CHANNEL (C) and SLICE (Z, or the pages of a plain stack); 2 to 4 interleaved samples become
    /// vector components, other sample counts a CHANNEL dimension.
    /// </summary>
    private static ImageView View(SharedFile shared, TiffSeriesReader reader, TiffSeries series, IReadOnlyList<TiffPage> planes, string path, bool mapIfPossible,
        ImageDimension pageAxis = ImageDimension.SLICE)
    {
        var first = planes[0];
        var samples = first.SamplesPerPixel;
        var vector = samples is >= 2 and <= 4 && !first.Planar;
        var planeDims = series.PlaneAxes.Select(a => Dimension(a, pageAxis)).ToList();
        var channelDims = planeDims.Count(d => d == ImageDimension.CHANNEL) + (samples > 1 && !vector ? 1 : 0);
        if (channelDims > 1 || planeDims.Distinct().Count() != planeDims.Count)
        {
            throw new InvalidFileFormatException(
                $"'{path}' image '{series.AxesText}' has two axes IOLink would both call {(channelDims > 1 ? "CHANNEL" : "SLICE")}; it reads images with one of each of T, C and Z.");
        }

        ImageView view;
        if (mapIfPossible && !Locations.IsRemote(path) && (samples == 1 || vector) && Contiguous(planes, reader.Directory) is { } offset)
        {
            view = Mapped(path, offset, first, series, planeDims, vector);
        }
        else
        {
            view = Chunked(shared, reader.Directory, series, planes, path, planeDims, vector);
        }

        try
        {
            Calibrate(view, series, first, series.Planes[0]);
            return view;
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    private static ImageView Mapped(string path, long offset, TiffPage first, TiffSeries series, List<ImageDimension> planeDims, bool vector)
    {
        using var mapped = RandomAccessFactory.MapFile(path);   // the view holds the mapping
        var samples = first.SamplesPerPixel;
        var type = samples == 1 ? (DataType)first.SampleType : first.SampleType.ToVector((uint)samples);
        // The file's order, fastest first: X, Y, then the plane axes from the innermost out.
        var lengths = new List<ulong> { (ulong)first.Width, (ulong)first.Height };
        var dims = new List<ImageDimension> { ImageDimension.COLUMN, ImageDimension.ROW };
        for (var a = series.PlaneAxes.Length - 1; a >= 0; a--)
        {
            lengths.Add((ulong)series.PlaneSizes[a]);
            dims.Add(planeDims[a]);
        }

        using var dense = ImageViewFactory.FromRandomAccess(mapped, offset, new VectorXu64([.. lengths]), type);
        return ImageViewFactory.ReinterpretAxes(dense, [.. dims]);
    }

    private static ChunkedImageView Chunked(SharedFile shared, TiffDirectory directory, TiffSeries series, IReadOnlyList<TiffPage> planes, string path, List<ImageDimension> planeDims, bool vector)
    {
        var first = planes[0];
        var samples = first.SamplesPerPixel;
        var shape = new List<long>(series.PlaneSizes);
        var chunk = new List<long>(series.PlaneSizes.Select(_ => 1L));
        var axes = new List<ImageDimension>(planeDims);
        if (first.Planar)
        {
            shape.Add(samples);
            chunk.Add(1);
            axes.Add(ImageDimension.CHANNEL);
        }

        shape.AddRange([first.Height, first.Width]);
        chunk.AddRange([first.ChunkRows, first.ChunkColumns]);
        axes.AddRange([ImageDimension.ROW, ImageDimension.COLUMN]);
        if (samples > 1 && !first.Planar)
        {
            shape.Add(samples);
            chunk.Add(samples);
            if (!vector)
            {
                axes.Add(ImageDimension.CHANNEL);
            }
        }

        var grid = first.Tiled ? (ChunkGrid)ChunkGrid.Regular(shape.ToArray(), chunk.ToArray()) : new ClippedChunkGrid(shape.ToArray(), chunk.ToArray());
        var order = directory.BigEndian ? ByteOrder.BigEndian : ByteOrder.LittleEndian;
        var bytes = first.SampleType.ByteCount;
        var rowLength = (int)(first.ChunkColumns * (first.Planar ? 1 : samples));
        var stride = first.Planar ? 1 : samples;
        BytesToBytesCodec? predictor = first.Predictor switch
        {
            2 => new HorizontalPredictorCodec(rowLength, stride, bytes, directory.BigEndian),
            3 => new FloatingPointPredictorCodec(rowLength, stride, bytes),
            _ => null,
        };
        // The floating-point predictor leaves samples little-endian whatever the file's order.
        var pipeline = new CodecPipeline(new BytesCodec(first.Predictor == 3 ? ByteOrder.LittleEndian : order),
            [new TiffChunkCodec(first.Compression, predictor, first.Bilevel ? (int)first.ChunkColumns : 0)]);
        var store = new TiffStore(shared.Share(), planes, series.PlaneSizes, path, new StoreVersion(shared.Size, directory.Pages[0].Offset));
        var array = new ChunkedArray(store, grid, ChunkKeyEncoding.V2('/'), pipeline, first.SampleType, new byte[bytes],
            new ChunkCache(64L << 20), ownsStore: true, name: path);
        try
        {
            // Vector samples by the NumPy rules: one name fewer than axes makes the trailing axis the components.
            return new ChunkedImageView(array, AxisSpec.Named([.. axes]), isBool: first.Bilevel);
        }
        catch
        {
            array.Close();
            throw;
        }
    }

    /// <summary>
    /// The series' voxel size and unit into the view's spatial calibration (a reduced level's pixels are larger by
    /// the ratio of the sizes), and what the file says beyond it (OME's image name and channel names) into its
    /// metadata under <c>ome</c>.
    /// </summary>
    private static void Calibrate(ImageView view, TiffSeries series, TiffPage level, TiffPage full)
    {
        var spacing = view.Properties.SpatialSpacing;
        var scaleX = (double)full.Width / level.Width;
        var scaleY = (double)full.Height / level.Height;
        var known = false;
        for (var k = 0; k < 3; k++)
        {
            if (double.IsFinite(series.Spacing[k]))
            {
                spacing[k] = series.Spacing[k] * (k == 0 ? scaleX : k == 1 ? scaleY : 1);
                known = true;
            }
        }

        if (known)
        {
            view.Properties.SpatialSpacing = spacing;
            view.Properties.SpatialUnit = series.Unit;
        }

        if (series.Kind == "OME")
        {
            var ome = view.Metadata.Add("ome", null);
            if (series.Name.Length > 0)
            {
                ome.Add("name", series.Name);
            }

            if (series.ChannelNames is { } names)
            {
                var list = ome.Add("channels", names.Length);
                for (var i = 0; i < names.Length; i++)
                {
                    var entry = list.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                    if (names[i] is { } name)
                    {
                        entry.Add("name", name);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Where the image's pixels start when they are one dense block in the machine's byte order (uncompressed, no
    /// predictor, chunky, strips or tiles that cover the image exactly, each following the one before, plane after
    /// plane); null otherwise.
    /// </summary>
    private static long? Contiguous(IReadOnlyList<TiffPage> planes, TiffDirectory directory)
    {
        var first = planes[0];
        if (first.Compression != 1 || first.Predictor != 1 || first.Planar || first.Bilevel || directory.BigEndian != !BitConverter.IsLittleEndian)
        {
            return null;
        }

        if (planes is ShiftedPages shifted)
        {
            return shifted.Start;   // taken at its word because its first page is one dense run and the second follows it
        }

        if (first.Tiled && (first.ChunkColumns != first.Width || first.Height % first.ChunkRows != 0))
        {
            return null;
        }

        var rowBytes = first.Width * first.SamplesPerPixel * first.SampleType.ByteCount;
        var next = first.Offsets[0];
        foreach (var page in planes)
        {
            var rows = page.Height;
            for (var i = 0; i < page.Offsets.Length; i++)
            {
                var stripRows = Math.Min(page.ChunkRows, rows - (i * page.ChunkRows));
                if (page.Offsets[i] != next || page.ByteCounts[i] < stripRows * rowBytes)
                {
                    return null;
                }

                next += stripRows * rowBytes;
            }
        }

        return first.Offsets[0];
    }
}

/// <summary>What a TIFF file holds, as <see cref="TiffFile.Describe"/> reads it.</summary>
public sealed class TiffDescription
{
    /// <summary>Whether the file is a BigTIFF (64-bit offsets).</summary>
    public required bool BigTiff { get; init; }

    /// <summary>The file's byte order.</summary>
    public required ByteOrder ByteOrder { get; init; }

    /// <summary>How many pages (image file directories) the file has.</summary>
    public required int PageCount { get; init; }

    /// <summary>How many of them form the first image (a stack of pages alike).</summary>
    public required int StackPages { get; init; }

    /// <summary>The first page's width and height in pixels.</summary>
    public required long Width { get; init; }

    /// <summary>The first page's height in pixels.</summary>
    public required long Height { get; init; }

    /// <summary>Samples per pixel (3 for RGB).</summary>
    public required int SamplesPerPixel { get; init; }

    /// <summary>The type of one sample (UINT8 for 1-bit samples, which <see cref="Bilevel"/> says).</summary>
    public required DataType SampleType { get; init; }

    /// <summary>Whether the samples are single bits (a bilevel image), read as BINARY.</summary>
    public bool Bilevel { get; init; }

    /// <summary>The compression, such as <c>none</c>, <c>Deflate</c>, <c>LZW</c>.</summary>
    public required string Compression { get; init; }

    /// <summary>How the pixels are cut: <c>strips of 16 rows</c>, <c>tiles of 256 x 256</c>.</summary>
    public required string Layout { get; init; }

    /// <summary>Whether samples are stored in separate planes.</summary>
    public required bool Planar { get; init; }

    /// <summary>The TIFF predictor: 1 none, 2 horizontal, 3 floating point.</summary>
    public required int Predictor { get; init; }

    /// <summary>Whether <see cref="TiffFile.Open(string)"/> maps the image (uncompressed, contiguous, in this machine's byte order).</summary>
    public required bool Mappable { get; init; }

    /// <summary>The first page's ImageDescription (OME-XML, ImageJ's description), or null.</summary>
    public string? Description { get; init; }

    /// <summary>How the file describes its images: <c>OME</c> (OME-TIFF), <c>ImageJ</c>, <c>shaped</c> (tifffile's JSON) or <c>pages</c> (no description IOLink reads).</summary>
    public string Kind { get; init; } = "pages";

    /// <summary>The file's images (series), first to last.</summary>
    public IReadOnlyList<TiffSeriesDescription> Series { get; init; } = [];
}

/// <summary>One image (series) of a TIFF file, as <see cref="TiffFile.Describe"/> reads it.</summary>
public sealed class TiffSeriesDescription
{
    /// <summary>Its name (an OME Image's Name), or empty.</summary>
    public required string Name { get; init; }

    /// <summary>Its axes as tifffile's <c>series.axes</c> letters them (T, C, Z planes; S samples; Y, X; Q plain pages), lengths over 1 only.</summary>
    public required string Axes { get; init; }

    /// <summary>Its shape in the order of <see cref="Axes"/> (NumPy's order, as tifffile gives it).</summary>
    public required long[] Shape { get; init; }

    /// <summary>How many resolutions it has (1 without a pyramid).</summary>
    public required int Levels { get; init; }

    /// <summary>The voxel size along X, Y and Z (NaN where the file does not say).</summary>
    public required double[] Spacing { get; init; }

    /// <summary>The unit of <see cref="Spacing"/> (<c>micrometer</c>), or empty.</summary>
    public required string Unit { get; init; }

    /// <summary>The channels' names, or null.</summary>
    public string[]? ChannelNames { get; init; }
}
