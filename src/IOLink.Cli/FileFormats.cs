using IOLink.Files;
using IOLink.Interop;
using IOLink.Storage;
using IOLink.Zarr;

namespace IOLink.Cli;

/// <summary>
/// One file format the tool reads or writes: how a path is recognized (by its content, then by its name), how it is
/// opened as a view, and how a view is written in it. Adding a format to the tool is adding one of these to
/// <see cref="FileFormats.All"/>.
/// </summary>
internal sealed class FileFormat
{
    /// <summary>The name messages use (".npy", "Zarr").</summary>
    public required string Name { get; init; }

    /// <summary>The extensions that name the format, with their dots, for outputs and for inputs whose content says nothing.</summary>
    public required string[] Extensions { get; init; }

    /// <summary>Whether the format is a folder (a store) rather than a file.</summary>
    public bool IsFolder { get; init; }

    /// <summary>Whether what exists at a path is this format, by its content (magic bytes, metadata files).</summary>
    public required Func<string, bool> Sniff { get; init; }

    /// <summary>Opens the path as a view: axes named in the file's own axis order when given, else the format's defaults; the dataset named (formats that <see cref="TakesDataset"/>).</summary>
    public required Func<string, ImageDimension[]?, string?, ImageView> Open { get; init; }

    /// <summary>Writes a view at a path, with the options of convert that apply to the format.</summary>
    public required Action<ImageView, string, WriteSettings, IProgress<double>> Write { get; init; }

    /// <summary>The options of convert that apply to it (--chunks, --codec, ...).</summary>
    public string[] Options { get; init; } = [];

    /// <summary>Whether an input of this format takes --dataset (a file of several arrays).</summary>
    public bool TakesDataset { get; init; }

    /// <summary>Whether the tool writes it (a format it only reads is never chosen for an output).</summary>
    public bool Writes { get; init; } = true;

    /// <summary>Whether the extension of <paramref name="path"/> names this format.</summary>
    public bool Names(string path) =>
        Extensions.Contains(Path.GetExtension(Path.TrimEndingDirectorySeparator(path)), StringComparer.OrdinalIgnoreCase);
}

/// <summary>The formats the tool knows, found by content and by name.</summary>
internal static class FileFormats
{
    private static readonly byte[] NpyMagic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private static readonly byte[] Hdf5Magic = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];
    private static readonly byte[][] TiffMagics = ["II*\0"u8.ToArray(), "MM\0*"u8.ToArray(), "II+\0"u8.ToArray(), "MM\0+"u8.ToArray()];

    public static readonly FileFormat Npy = new()
    {
        Name = ".npy",
        Extensions = [".npy"],
        Sniff = path => StartsWith(path, NpyMagic),
        Open = (path, axes, _) => OpenNpy(path, axes),
        Write = (view, path, _, progress) => NpyFile.Write(view, path, null, progress),
    };

    public static readonly FileFormat Zarr = new()
    {
        Name = "Zarr",
        Extensions = [".zarr"],
        IsFolder = true,
        Sniff = path => File.Exists(Path.Combine(path, "zarr.json")) || File.Exists(Path.Combine(path, ".zarray")) || File.Exists(Path.Combine(path, ".zgroup")),
        Open = (path, axes, _) => OpenZarr(path, axes),
        Write = WriteZarr,
        Options = ["--chunks", "--codec", "--zarr-format", "--shards", "--levels", "--downsample"],
    };

    /// <summary>HDF5: a dataset read (mapped when contiguous), named with --dataset when the file holds several; written as one chunked gzip dataset.</summary>
    public static readonly FileFormat Hdf5 = new()
    {
        Name = "HDF5",
        Extensions = [".h5", ".hdf5", ".hdf", ".he5"],
        Sniff = path => StartsWith(path, Hdf5Magic),
        Open = OpenHdf5,
        Write = WriteHdf5,
        Options = ["--chunks", "--codec"],
        TakesDataset = true,
    };

    /// <summary>TIFF and BigTIFF: OME-TIFF, ImageJ and plain stacks read (memory-mapped when uncompressed and contiguous); OME-TIFF written.</summary>
    public static readonly FileFormat Tiff = new()
    {
        Name = "TIFF",
        Extensions = [".tif", ".tiff"],
        Sniff = path => TiffMagics.Any(m => StartsWith(path, m)),
        Open = (path, axes, _) => OpenTiff(path, axes),
        Write = WriteTiff,
        Options = ["--codec", "--tile", "--levels", "--downsample"],
    };

    /// <summary>Every format, in the order a path is tried against them.</summary>
    public static readonly FileFormat[] All = [Npy, Zarr, Tiff, Hdf5];

    /// <summary>The format of what exists at <paramref name="path"/>, by its content first, then by its name; null when neither says.</summary>
    public static FileFormat? Of(string path)
    {
        if (Locations.IsRemote(path))
        {
            return OfRemote(path);
        }

        var folder = Directory.Exists(path);
        return All.FirstOrDefault(f => f.IsFolder == folder && f.Sniff(path))
            ?? All.FirstOrDefault(f => f.IsFolder == folder && f.Names(path));
    }

    /// <summary>
    /// The format of a remote address: by its name when it has a format's extension (no request), else a Zarr node
    /// when the server has its metadata there, else by the file's first bytes.
    /// </summary>
    private static FileFormat? OfRemote(string address)
    {
        var path = Locations.RemoteUri(address).AbsolutePath;
        if (All.FirstOrDefault(f => f.Names(path)) is { } named)
        {
            return named;
        }

        using (var store = Locations.OpenStore(address))
        {
            if (store.Contains("zarr.json") || store.Contains(".zarray") || store.Contains(".zgroup"))
            {
                return Zarr;
            }
        }

        using var file = Locations.OpenRead(address);
        var head = new byte[(int)Math.Min(8, file.Size)];
        file.Read(0, head);
        return head.AsSpan().StartsWith(NpyMagic) ? Npy
            : TiffMagics.Any(m => head.AsSpan().StartsWith(m)) ? Tiff
            : head.AsSpan().StartsWith(Hdf5Magic) ? Hdf5
            : null;
    }

    /// <summary>The format an output named <paramref name="path"/> is written in, by its extension; null for none.</summary>
    public static FileFormat? ForOutput(string path) => All.FirstOrDefault(f => f.Writes && f.Names(path));

    /// <summary>A Zarr array, or with --levels an OME-Zarr image whose coarser levels are computed streaming from the level above.</summary>
    private static void WriteZarr(ImageView view, string path, WriteSettings settings, IProgress<double> progress)
    {
        if (settings.Levels is { } count)
        {
            using var pyramid = LodImageViewFactory.Downsample(view, count, settings.Downsample);
            ZarrArray.Write(pyramid, path, settings.Zarr, progress);
        }
        else
        {
            ZarrArray.Write(view, path, settings.Zarr, progress);
        }
    }

    /// <summary>An HDF5 dataset, opened as IOLink.Hdf5 does; without named axes, named from its rank in NumPy order as a .npy is.</summary>
    private static ImageView OpenHdf5(string path, ImageDimension[]? axes, string? dataset)
    {
        var view = IOLink.Hdf5.Hdf5File.Open(path, dataset);
        if (axes is null && view.AxesInterpretation.IsKnown)
        {
            return view;
        }

        using (view)
        {
            if (axes is not null)
            {
                return Inputs.WithAxes(axes, () => ImageViewFactory.ReinterpretAxes(view, axes));
            }

            var type = Inputs.DefaultType(view.DimensionCount);
            return type == ImageTypeId.UNKNOWN ? ImageViewFactory.ExtractRegion(view, RegionXu64.CreateFullRegion(view.Shape))
                : ImageViewFactory.ReinterpretAxes(view, ArrayAxes.InNumpyOrder(type));
        }
    }

    /// <summary>One chunked HDF5 dataset, /data: gzip level 1 with shuffle unless --codec none; --chunks in the view's order.</summary>
    private static void WriteHdf5(ImageView view, string path, WriteSettings settings, IProgress<double> progress)
    {
        var level = settings.Codec switch
        {
            null or "gzip" or "zlib" or "deflate" => 1,
            "none" => 0,
            var other => throw new UsageException($"--codec {other} is not an HDF5 filter IOLink writes; an HDF5 output takes gzip (default) or none."),
        };
        long[]? chunks = null;
        if (settings.Chunks is { } text)
        {
            var shape = Inputs.ParseShape(text, "--chunks");
            if (shape.Size != view.DimensionCount)
            {
                throw new UsageException($"--chunks {text} gives {shape.Size} sizes for an input of {view.DimensionCount} dimensions ({view.Shape}); give one per dimension, in the same order.");
            }

            // The view's order (X first) reversed into the dataset's, a vector's components whole.
            chunks = [.. Enumerable.Range(0, shape.Size).Reverse().Select(d => (long)shape[d])];
            if (view.DataType.Dimension > 1)
            {
                chunks = [.. chunks, view.DataType.Dimension];
            }
        }

        IOLink.Hdf5.Hdf5File.Write(view, path, new IOLink.Hdf5.Hdf5WriteOptions { GzipLevel = level, Chunks = chunks }, progress);
    }

    /// <summary>An OME-TIFF: uncompressed and contiguous by default, tiled with --codec, with a SubIFD pyramid with --levels.</summary>
    private static void WriteTiff(ImageView view, string path, WriteSettings settings, IProgress<double> progress)
    {
        var compression = settings.Codec switch
        {
            null or "none" => IOLink.Tiff.TiffCompression.None,
            "zstd" => IOLink.Tiff.TiffCompression.Zstd,
            "zlib" or "gzip" or "deflate" => IOLink.Tiff.TiffCompression.Deflate,
            var other => throw new UsageException($"--codec {other} is not a TIFF compression; a TIFF output takes none, deflate (zlib) or zstd."),
        };
        var (width, height) = (0, 0);
        if (settings.Tile is { } tile)
        {
            var sizes = Inputs.ParseShape(tile, "--tile");
            if (sizes.Size != 2 || sizes[0] % 16 != 0 || sizes[1] % 16 != 0 || sizes[0] > 65536 || sizes[1] > 65536)
            {
                throw new UsageException($"--tile {tile}: give the tile width and height, each a multiple of 16 up to 65536 (e.g. --tile 256,256).");
            }

            (width, height) = ((int)sizes[0], (int)sizes[1]);
        }

        var options = new IOLink.Tiff.TiffWriteOptions
        {
            Compression = compression, TileWidth = width, TileHeight = height, Levels = settings.Levels ?? 1, Downsample = settings.Downsample,
        };
        IOLink.Tiff.TiffFile.Write(view, path, options, progress);
    }

    private static bool StartsWith(string path, byte[] magic)
    {
        // Only a regular file is read to tell its format: a FIFO or a device would block or be consumed.
        if (FileProbe.Kind(path, followLinks: true) != FileKind.Regular)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[magic.Length];
        using var file = File.OpenHandle(path);
        return System.IO.RandomAccess.Read(file, head, 0) == magic.Length && head.SequenceEqual(magic);
    }

    /// <summary>A .npy file, memory-mapped read-only; without axes, named from its rank in NumPy order (rule 2).</summary>
    private static ImageView OpenNpy(string path, ImageDimension[]? axes)
    {
        // A .npy in the other byte order cannot be a view over the file (nothing swaps there): it is read into
        // memory and swapped once, as NpyFile.Read does, when it fits in half of what the process may use.
        var header = NpyFile.ReadHeader(path);
        Func<AxisSpec, ImageView> open = header.ByteOrder == NumpyTypeString.NativeOrder ? a => NpyFile.Open(path, a) : a => ReadSwapped(path, header, a);
        if (axes is not null)
        {
            return Inputs.WithAxes(axes, () => open(AxisSpec.Named(axes)));
        }

        // Opened with its axes from the rank straight away, not renamed afterwards: a renamed view of a file read on
        // demand reads every region through a staging copy and a transpose (convert of a 256 MiB .npy took 2.2 s
        // that way, against 0.08 s for cp), where the file's own view writes its bytes as they are.
        // Without axes the view has one dimension per array axis (rule 1), so the header's shape gives the rank.
        var type = Inputs.DefaultType(header.Shape.Count);
        return open(type == ImageTypeId.UNKNOWN ? AxisSpec.Unknown : AxisSpec.Of(type));
    }

    private static ImageView ReadSwapped(string path, NpyHeader header, AxisSpec axes)
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        if (header.DataByteCount > limit)
        {
            throw new UsageException(
                $"'{path}' stores '{header.Descr}' items, in the other byte order than this machine's, and at {header.DataByteCount} bytes it is too large to swap in memory here; convert it in NumPy with a.astype(a.dtype.newbyteorder('=')).");
        }

        return NpyFile.Read(path, axes);
    }

    /// <summary>A TIFF's first image (a page, or a stack of pages alike) as IOLink.Tiff opens it; axes named when given.</summary>
    private static ImageView OpenTiff(string path, ImageDimension[]? axes)
    {
        var view = IOLink.Tiff.TiffFile.Open(path);
        if (axes is null)
        {
            return view;
        }

        using (view)
        {
            return Inputs.WithAxes(axes, () => ImageViewFactory.ReinterpretAxes(view, axes));
        }
    }

    /// <summary>A Zarr array or OME-Zarr image: axes as for .npy, except that OME-Zarr names its own.</summary>
    private static ImageView OpenZarr(string path, ImageDimension[]? axes)
    {
        if (axes is not null)
        {
            return Inputs.WithAxes(axes, () => ZarrArray.Open(path, false, axes));
        }

        var zarr = ZarrArray.Open(path);
        var type = Inputs.DefaultType(zarr.DimensionCount);
        if (zarr.AxesInterpretation.IsKnown || type == ImageTypeId.UNKNOWN)
        {
            return zarr;
        }

        zarr.Dispose();
        return ZarrArray.Open(path, false, type);
    }
}

/// <summary>What convert was told about how to write its output; each format takes the parts in its <see cref="FileFormat.Options"/>.</summary>
internal sealed record WriteSettings(ZarrOptions? Zarr, string? Codec, int? Levels, DownsampleMethod Downsample, string? Tile, string? Chunks = null);
