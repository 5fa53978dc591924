using System.CommandLine;
using System.Globalization;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink info FILE</c>: shape, data type, axes, size and layout; <c>--stats</c> adds min, max and mean.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A .npy file, a Zarr array (a folder holding zarr.json or .zarray) or OME-Zarr image, a TIFF, an HDF5 dataset (--dataset), or a raw file described by --shape and --dtype." };
        var stats = new Option<bool>("--stats") { Description = "Also compute min, max and mean (reads all the data)." };
        var axes = new Option<string?>("--axes")
        {
            Description = "Name the dimensions in the file's own axis order, e.g. SLICE,ROW,COLUMN; by default 2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE.",
        };
        var raw = new Cli.RawFileOptions();
        var command = new Command("info", "Show what a .npy, Zarr, TIFF, HDF5 or raw file holds.") { file, stats, axes };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var path = parse.GetValue(file)!;
            var rawOptions = raw.Parse(parse, path);
            var names = raw.AxesOf(parse, axes);
            using var view = Inputs.Open(path, rawOptions, names, error, raw.DatasetOf(parse));
            Line(output, "file", path);
            Line(output, "kind", Kind(view, path));
            if (view is Zarr.ZarrArray zarr)
            {
                var stored = Storage.Locations.IsRemote(zarr.Path) ? -1 : ZarrStoredBytes(zarr.Path);
                Line(output, "format", $"Zarr {(zarr.Format == Zarr.ZarrFormat.V3 ? "v3" : "v2")} array" + (zarr.Path == path ? "" : $" ('{zarr.Path}')"));
                if (zarr.Path != path && Zarr.ZarrArray.DescribeOme(path) is { } ome)
                {
                    Line(output, "image", ome);
                }

                Line(output, "array shape", $"({string.Join(", ", zarr.ArrayShape)}) (NumPy order)");
                if (zarr.DimensionNames is { } dimensionNames)
                {
                    Line(output, "dimensions", string.Join(", ", dimensionNames.Select(n => n ?? "(unnamed)")));
                }

                if (zarr.ArrayShards is { } arrayShards)
                {
                    Line(output, "shards", $"({string.Join(", ", arrayShards)}), {zarr.ShardCount} in all, {zarr.ShardIndex}");
                    Line(output, "chunks", $"({string.Join(", ", zarr.ArrayChunks)}) inside the shards, {zarr.ChunkCount} in all");
                }
                else
                {
                    Line(output, "chunks", $"({string.Join(", ", zarr.ArrayChunks)}), {zarr.ChunkCount} in all");
                }

                Line(output, "data type", $"{view.DataType} ('{zarr.Dtype}')");
                Line(output, "codec", zarr.Codec);
                Line(output, "stored", stored < 0
                    ? Storage.Locations.IsS3(zarr.Path) ? "in an S3 bucket (the size stored is not summed)" : "on an HTTP server, which does not list its files (the size stored is not known)"
                    : $"{stored.ToString("N0", CultureInfo.InvariantCulture)} bytes ({(double)stored / view.ByteCount:P1} of the raw size)");
            }
            else if (rawOptions is null && FileFormats.Of(path) == FileFormats.Tiff)
            {
                var tiff = IOLink.Tiff.TiffFile.Describe(path);
                Line(output, "format", $"{(tiff.Kind == "OME" ? "OME-" : tiff.Kind == "ImageJ" ? "ImageJ " : "")}{(tiff.BigTiff ? "BigTIFF" : "TIFF")}, {(tiff.ByteOrder == ByteOrder.LittleEndian ? "little" : "big")}-endian, {tiff.PageCount} page{(tiff.PageCount == 1 ? "" : "s")}"
                    + (tiff.StackPages > 1 && tiff.Kind is "pages" or "shaped" ? $" ({tiff.StackPages} alike, read as one stack)" : ""));
                Line(output, "page", $"{tiff.Width} x {tiff.Height}, {tiff.SamplesPerPixel} sample{(tiff.SamplesPerPixel == 1 ? "" : "s")} of {(tiff.Bilevel ? "1 bit (read as BINARY UINT8)" : tiff.SampleType)}{(tiff.Planar ? " (planar)" : "")}");
                Line(output, "layout", $"{tiff.Layout}, {tiff.Compression}{(tiff.Predictor == 1 ? "" : tiff.Predictor == 2 ? " with horizontal predictor" : " with floating-point predictor")}"
                    + (tiff.Mappable ? "; contiguous, memory-mapped" : ""));
                for (var i = 0; i < tiff.Series.Count; i++)
                {
                    Line(output, tiff.Series.Count == 1 ? "image" : $"image {i}", TiffImage(tiff.Kind, tiff.Series[i]));
                }
            }
            else if (rawOptions is null && FileFormats.Of(path) == FileFormats.Hdf5)
            {
                var datasets = IOLink.Hdf5.Hdf5File.Describe(path);
                Line(output, "format", $"HDF5, {datasets.Count} dataset{(datasets.Count == 1 ? "" : "s")}");
                foreach (var d in datasets.Take(20))
                {
                    var chunks = d.Chunks is { } c ? $" in chunks ({string.Join(", ", c)})" : "";
                    var filters = d.Filters.Length > 0 ? ", " + string.Join("+", d.Filters) : "";
                    Line(output, "dataset", $"{d.Path} ({string.Join(", ", d.Shape)}) {d.DataType}{(d.BigEndian ? " big-endian" : "")}, {d.Layout}{chunks}{filters}");
                }

                if (datasets.Count > 20)
                {
                    Line(output, "dataset", $"... and {datasets.Count - 20} more");
                }

                Line(output, "mapped", view.Support(ImageCapability.MEMORY_ACCESS) ? "yes (contiguous, this machine's byte order)" : "no (read chunk by chunk)");
            }
            else if (rawOptions is null)
            {
                var header = NpyFile.ReadHeader(path);
                Line(output, "format", $"NumPy .npy {header.MajorVersion}.{header.MinorVersion}, data at byte {header.DataOffset}");
                Line(output, "array shape", $"{header.ShapeText} (NumPy order)");
                Line(output, "data type", $"{header.DataType} ('{header.Descr}'{(header.IsBool ? ", bool" : string.Empty)})");
                Line(output, "layout", header.FortranOrder ? "Fortran order (first axis fastest)" : "C order (last axis fastest)");
            }
            else
            {
                Line(output, "format", $"raw, data at byte {rawOptions.Offset} of {(Storage.Locations.IsRemote(path) ? RawLength(path) : new FileInfo(path).Length)}");
                Line(output, "data type", view.DataType.ToString());
                Line(output, "layout", "dense, first dimension fastest");
            }

            Line(output, "view shape", view.Shape.ToString());
            Line(output, "axes", view.AxesInterpretation.ToString());
            if (names is null && view.AxesInterpretation.IsKnown && AxesFromRank(view, path, rawOptions))
            {
                // The file does not name its axes: say which rule named them, and how to name them otherwise.
                Line(output, "assumed", $"{view.AxesInterpretation} from the rank ({view.DimensionCount} dimensions{(rawOptions is null ? ", NumPy order" : ", first fastest")}); name the axes with --layout or --axes if not");
            }

            Line(output, "byte size", view.ByteCount.ToString("N0", CultureInfo.InvariantCulture));
            if (parse.GetValue(stats))
            {
                Statistics.Result result = default;
                ProgressBar.Run("statistics", view.ByteCount, progress => result = Statistics.Compute(view, progress));
                if (result.Imaginary is { } imaginary)
                {
                    // Complex data: the real and the imaginary parts apart, never mixed into one figure.
                    Line(output, "min", $"{Format(result.Min)} (real), {Format(imaginary.Min)} (imaginary)");
                    Line(output, "max", $"{Format(result.Max)} (real), {Format(imaginary.Max)} (imaginary)");
                    Line(output, "mean", $"{Format(result.Mean)} (real), {Format(imaginary.Mean)} (imaginary)");
                }
                else
                {
                    Line(output, "min", Format(result.Min));
                    Line(output, "max", Format(result.Max));
                    Line(output, "mean", Format(result.Mean));
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>What kind of view the input is: an image, or the levels of a multi-resolution image (this view being the first).</summary>
    private static string Kind(ImageView view, string path)
    {
        if (view is not Zarr.ZarrArray zarr || zarr.Path == path || Zarr.ZarrArray.LevelPaths(path).Count < 2)
        {
            return "image";
        }

        using var lod = Zarr.ZarrArray.OpenLod(path);
        var shapes = Enumerable.Range(0, lod.LevelCount).Select(level =>
        {
            using var resolution = lod.Resolution(level);
            return resolution.Shape.ToString();
        });
        return $"multi-resolution image, {lod.LevelCount} levels: {string.Join(", ", shapes)}; shown below: level 0";
    }

    private static void Line(TextWriter output, string name, string value) => output.WriteLine($"{name,-12}{value}");

    /// <summary>The bytes of the chunk and metadata files of a Zarr array's folder (links not followed).</summary>
    /// <summary>Whether the view's axes came from the rank rule, not from the file: raw data, a .npy file, a Zarr array with neither dimension names nor OME-Zarr axes.</summary>
    private static bool AxesFromRank(ImageView view, string path, Inputs.RawOptions? raw) =>
        raw is not null
        || (view is Zarr.ZarrArray zarr ? zarr.DimensionNames is null && zarr.Path == path && Zarr.ZarrArray.DescribeOme(path) is null : FileFormats.Of(path) == FileFormats.Npy);

    private static long RawLength(string address)
    {
        using var file = Storage.Locations.OpenRead(address);
        return file.Size;
    }

    private static long ZarrStoredBytes(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length);

    private static string Format(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>One TIFF image as info shows it: its axes and shape as tifffile gives them, its levels, voxel size and channels.</summary>
    private static string TiffImage(string kind, IOLink.Tiff.TiffSeriesDescription image)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var text = $"{kind} {image.Axes} ({string.Join(", ", image.Shape)})";
        if (image.Name.Length > 0)
        {
            text += $" '{image.Name}'";
        }

        if (image.Levels > 1)
        {
            text += $", {image.Levels} levels";
        }

        var known = image.Spacing.Where(double.IsFinite).ToArray();
        if (known.Length > 0)
        {
            text += ", voxel " + string.Join(" x ", image.Spacing.Select(v => double.IsFinite(v) ? v.ToString("G6", inv) : "?")) + (image.Unit.Length > 0 ? " " + image.Unit : "");
        }

        if (image.ChannelNames is { } names)
        {
            text += ", channels " + string.Join(", ", names);
        }

        return text;
    }
}
