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
public static class TiffFile
{
    /// <summary>Opens the first image of the TIFF file at <paramref name="path"/> as a read-only view (memory-mapped when its layout allows).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">The file is not a TIFF, is damaged, or holds what IOLink does not read (the message says what).</exception>
    public static ImageView Open(string path) => Open(path, mapIfPossible: true);

    /// <summary>Opens the first image read strip by strip or tile by tile, never mapped (for files that may change while open).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static ImageView OpenChunked(string path) => Open(path, mapIfPossible: false);

    /// <summary>What the TIFF file at <paramref name="path"/> holds, as <c>iolink info</c> shows it.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string)"/>.</exception>
    public static TiffDescription Describe(string path)
    {
        using var file = RandomAccessFactory.OpenFileRead(path);
        var (directory, stack) = ReadStack(file, path);
        directory.ReadAll();
        var first = stack[0];
        return new TiffDescription
        {
            BigTiff = directory.BigTiff,
            ByteOrder = directory.BigEndian ? ByteOrder.BigEndian : ByteOrder.LittleEndian,
            PageCount = directory.Pages.Count,
            StackPages = stack.Count,
            Width = first.Width,
            Height = first.Height,
            SamplesPerPixel = first.SamplesPerPixel,
            SampleType = first.SampleType,
            Compression = first.CompressionName,
            Layout = first.Tiled ? $"tiles of {first.ChunkColumns} x {first.ChunkRows}" : $"strips of {first.ChunkRows} rows",
            Planar = first.Planar,
            Predictor = first.Predictor,
            Mappable = Contiguous(stack, directory) is not null,
            Description = first.Description,
        };
    }

    private static ImageView Open(string path, bool mapIfPossible)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = RandomAccessFactory.OpenFileRead(path);
        try
        {
            var (directory, stack) = ReadStack(file, path);
            var first = stack[0];
            var pages = stack.Count;
            var samples = first.SamplesPerPixel;
            var vector = samples is >= 2 and <= 4 && !first.Planar;
            var interpretation = pages > 1 ? ImageTypeId.VOLUME : ImageTypeId.IMAGE;
            if (mapIfPossible && (samples == 1 || vector) && Contiguous(stack, directory) is { } offset)
            {
                file.Dispose();
                var mapped = RandomAccessFactory.MapFile(path);
                try
                {
                    var type = samples == 1 ? (DataType)first.SampleType : first.SampleType.ToVector((uint)samples);
                    VectorXu64 shape = pages > 1 ? new VectorXu64((ulong)first.Width, (ulong)first.Height, (ulong)pages) : new VectorXu64((ulong)first.Width, (ulong)first.Height);
                    var view = ImageViewFactory.FromRandomAccess(mapped, offset, shape, type);
                    view.Properties.AxesInterpretation = interpretation;
                    return view;
                }
                finally
                {
                    mapped.Dispose();   // the view holds the mapping
                }
            }

            return Chunked(file, directory, stack, path, pages, vector, interpretation);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static ChunkedImageView Chunked(RandomAccess file, TiffDirectory directory, List<TiffPage> stack, string path, int pages, bool vector, ImageTypeId interpretation)
    {
        var first = stack[0];
        var samples = first.SamplesPerPixel;
        var shape = new List<long>();
        var chunk = new List<long>();
        var axes = new List<ImageDimension>();
        if (pages > 1)
        {
            shape.Add(pages);
            chunk.Add(1);
            axes.Add(ImageDimension.SLICE);
        }

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
            axes.Add(ImageDimension.CHANNEL);
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
        var pipeline = new CodecPipeline(new BytesCodec(first.Predictor == 3 ? ByteOrder.LittleEndian : order), [new TiffChunkCodec(first.Compression, predictor)]);
        var store = new TiffStore(file, stack, pages > 1, path, new StoreVersion(file.Size, directory.Pages[0].Offset));
        var array = new ChunkedArray(store, grid, ChunkKeyEncoding.V2('/'), pipeline, first.SampleType, new byte[bytes],
            new ChunkCache(64L << 20), ownsStore: true, name: path);
        try
        {
            // Vector samples by the NumPy rules (a trailing axis of 2 to 4 becomes components); the rest named.
            var spec = vector ? AxisSpec.Of(interpretation) : AxisSpec.Named([.. axes]);
            return new ChunkedImageView(array, spec);
        }
        catch
        {
            array.Close();
            throw;
        }
    }

    /// <summary>
    /// The directory, and the first image's pages: page 0 and every following page like it (the chain is read no
    /// further than the first page that differs). A contiguous uncompressed stack whose first page says how many pages
    /// it has (tifffile's <c>{"shape": [...]}</c>, ImageJ's <c>images=</c>), and whose second page follows the first, is
    /// taken at its word, as tifffile takes it: the other directories are not read, so opening it costs the same for
    /// 2 pages or 20,000.
    /// </summary>
    private static (TiffDirectory Directory, List<TiffPage> Stack) ReadStack(RandomAccess file, string path)
    {
        var directory = TiffDirectory.Read(file, path);
        var first = TiffPage.Read(directory, directory.Pages[0], path, 0, file.Size);
        var stack = new List<TiffPage> { first };
        if (directory.ReadNext())
        {
            var second = TiffPage.Read(directory, directory.Pages[1], path, 1, file.Size);
            if (second.Reduced || !first.Matches(second))
            {
                return (directory, stack);
            }

            if (DeclaredPages(first) is { } declared && declared > 2 && ContiguousPage(first) is { } pageBytes
                && second.Offsets[0] == first.Offsets[0] + pageBytes && first.Offsets[0] + (declared * pageBytes) <= file.Size)
            {
                for (long i = 1; i < declared; i++)
                {
                    var shift = i * pageBytes;
                    stack.Add(Shifted(first, shift));
                }

                return (directory, stack);
            }

            stack.Add(second);
            for (var i = 2; directory.ReadNext(); i++)
            {
                var page = TiffPage.Read(directory, directory.Pages[i], path, i, file.Size);
                if (page.Reduced || !first.Matches(page))
                {
                    break;
                }

                stack.Add(page);
            }
        }

        return (directory, stack);
    }

    /// <summary>How many pages the first page's description says the image has (tifffile's shape, ImageJ's images=), or null.</summary>
    private static long? DeclaredPages(TiffPage first)
    {
        var text = first.Description;
        if (text is null)
        {
            return null;
        }

        long pixels = first.Width * first.Height * first.SamplesPerPixel;
        if (text.StartsWith("ImageJ=", StringComparison.Ordinal))
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("images=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(7), out var images) && images is > 0 and <= TiffDirectory.MaxPages)
                {
                    return images;
                }
            }

            return null;
        }

        if (!text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(text, new System.Text.Json.JsonDocumentOptions { MaxDepth = 8 });
            if (!json.RootElement.TryGetProperty("shape", out var shape) || shape.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return null;
            }

            long total = 1;
            foreach (var n in shape.EnumerateArray())
            {
                if (!n.TryGetInt64(out var length) || length < 1 || total > long.MaxValue / length)
                {
                    return null;
                }

                total *= length;
            }

            return total % pixels == 0 && total / pixels <= TiffDirectory.MaxPages ? total / pixels : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The bytes of the page's pixels when they are stored uncompressed in one dense run; null otherwise.</summary>
    private static long? ContiguousPage(TiffPage page)
    {
        if (page.Compression != 1 || page.Predictor != 1 || page.Planar || page.Tiled)
        {
            return null;
        }

        var rowBytes = page.Width * page.SamplesPerPixel * page.SampleType.ByteCount;
        var next = page.Offsets[0];
        for (var i = 0; i < page.Offsets.Length; i++)
        {
            var rows = Math.Min(page.ChunkRows, page.Height - (i * page.ChunkRows));
            if (page.Offsets[i] != next || page.ByteCounts[i] < rows * rowBytes)
            {
                return null;
            }

            next += rows * rowBytes;
        }

        return page.Height * rowBytes;
    }

    private static TiffPage Shifted(TiffPage page, long shift) => new()
    {
        Width = page.Width, Height = page.Height, SamplesPerPixel = page.SamplesPerPixel, SampleType = page.SampleType, Compression = page.Compression,
        Predictor = page.Predictor, Planar = page.Planar, ChunkRows = page.ChunkRows, ChunkColumns = page.ChunkColumns, Tiled = page.Tiled,
        Offsets = Array.ConvertAll(page.Offsets, o => o + shift), ByteCounts = page.ByteCounts,
    };

    /// <summary>
    /// Where the image's pixels start when they are one dense block in the machine's byte order (uncompressed, no
    /// predictor, chunky, strips or tiles that cover the image exactly, each following the one before, page after
    /// page); null otherwise.
    /// </summary>
    private static long? Contiguous(List<TiffPage> stack, TiffDirectory directory)
    {
        var first = stack[0];
        if (first.Compression != 1 || first.Predictor != 1 || first.Planar || directory.BigEndian != !BitConverter.IsLittleEndian)
        {
            return null;
        }

        if (first.Tiled && (first.ChunkColumns != first.Width || first.Height % first.ChunkRows != 0))
        {
            return null;
        }

        var rowBytes = first.Width * first.SamplesPerPixel * first.SampleType.ByteCount;
        var next = first.Offsets[0];
        foreach (var page in stack)
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

    /// <summary>The type of one sample.</summary>
    public required DataType SampleType { get; init; }

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
}
