using System.CommandLine;

using IOLink.Files;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink convert IN OUT</c>: raw and .npy in either direction, optionally reordering axes.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("IN") { Description = "A .npy file, a Zarr array (a folder holding zarr.json or .zarray) or OME-Zarr image, a TIFF (OME-TIFF, ImageJ, plain), an HDF5 dataset (--dataset), or a raw file described by --shape and --dtype." };
        var target = new Argument<string>("OUT") { Description = "What to write, by its extension: .npy, .zarr (a Zarr array), .tif/.tiff (an OME-TIFF), .h5 (an HDF5 dataset, /data), or raw data for .raw, .bin and .dat (and devices and FIFOs)." };
        var axes = new Option<string?>("--axes")
        {
            Description = "Name IN's dimensions in its own axis order (e.g. ROW,COLUMN,SLICE); OUT is written in NumPy order (.npy) or canonical order (raw), through a tiled copy.",
        };
        var chunks = new Option<string?>("--chunks")
        {
            Description = "For a .zarr OUT: the chunk size per dimension, in the view's order (X,Y,Z...); default: chunks of at most 1 MiB.",
        };
        var codec = new Option<string>("--codec")
        {
            Description = "For a .zarr OUT: how chunks are compressed: zstd (default), blosc-lz4 (zarr-python's default; needs libblosc1), gzip, zlib or none. For a .tif OUT: none (default, contiguous), deflate or zstd, in 256 x 256 tiles.",
            DefaultValueFactory = _ => "zstd",
        };
        codec.AcceptOnlyFromAmong("zstd", "blosc-lz4", "gzip", "zlib", "deflate", "none");
        var zarrFormat = new Option<string>("--zarr-format")
        {
            Description = "For a .zarr OUT: 3 (default, as zarr-python 3 writes) or 2 (for zarr-python 2 and older Dask).",
            DefaultValueFactory = _ => "3",
        };
        zarrFormat.AcceptOnlyFromAmong("2", "3");
        var shards = new Option<string?>("--shards")
        {
            Description = "For a .zarr OUT (Zarr v3): the shard size per dimension, in the view's order; each shard is one file holding a block of chunks (--chunks must divide it).",
        };
        var levels = new Option<string?>("--levels")
        {
            Description = "For a .zarr OUT: write an OME-Zarr image (0.5 in Zarr v3, 0.4 in v2) with this many resolution levels, each halving X, Y and Z of the one above. For a .tif OUT: a pyramid of each plane halved in X and Y, in SubIFDs.",
        };
        var downsample = new Option<string>("--downsample")
        {
            Description = "How --levels computes each level: mean (default: the mean of each 2x2x2 block) or nearest (every second element).",
            DefaultValueFactory = _ => "mean",
        };
        downsample.AcceptOnlyFromAmong("mean", "nearest");
        var tile = new Option<string?>("--tile")
        {
            Description = "For a .tif OUT: the tile width and height, multiples of 16 (e.g. 256,256); default: 256 x 256 tiles when compressed, contiguous strips when not.",
        };
        var regionOption = new Option<string?>("--region")
        {
            Description = "Write only this part of IN: START:END per dimension in the view's order (X first, as --chunks), ends exclusive, ':' for a whole dimension; e.g. 100:356,0:256,10:42.",
        };
        var bin = new Option<string?>("--bin")
        {
            Description = "Shrink X, Y and Z by N (2, 4, 8...): the mean of each NxNxN block, or every Nth element with --downsample nearest (then any N).",
        };
        var outType = new Option<string?>("--out-dtype")
        {
            Description = "Write this element type (such as uint8 or float): values kept (clamped to the type's range), or mapped with --rescale.",
        };
        var rescale = new Option<string?>("--rescale")
        {
            Description = "With --out-dtype: map the input range LO:HI ('auto': the data's own minimum and maximum, one more pass) linearly onto the output type's whole range (0:1 for floats).",
        };
        var spacing = new Option<string?>("--spacing")
        {
            Description = "The voxel size X,Y[,Z] written into outputs that carry calibration (OME-Zarr, OME-TIFF, HDF5), in --unit.",
        };
        var unit = new Option<string?>("--unit")
        {
            Description = "The unit of --spacing, such as um (micrometer, the default) or nm.",
        };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Replace OUT when it exists (a file, or a Zarr array IOLink would replace); without it, an existing OUT is left alone and the command fails, as cp -n would.",
        };
        var raw = new Cli.RawFileOptions();
        var command = new Command("convert", "Convert between raw, .npy, Zarr (OUT.zarr), TIFF (OUT.tif) and HDF5 (OUT.h5).") { input, target, axes, chunks, codec, zarrFormat, shards, levels, downsample, tile, regionOption, bin, outType, rescale, spacing, unit, overwrite };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(target)!;
            if (Storage.Locations.IsRemote(outPath)
                && !(Storage.Locations.IsS3(outPath) && (FileFormats.Zarr.Names(outPath) || FileFormats.Npy.Names(outPath))))
            {
                throw new UsageException(Storage.Locations.IsS3(outPath)
                    ? $"OUT '{outPath}': the tool writes .zarr and .npy outputs to S3; write other formats to a local OUT and upload it yourself."
                    : $"OUT '{outPath}' is on an HTTP server, which the tool reads but does not write; name a local OUT or an s3:// one.");
            }

            Inputs.CheckOutputIsNotInput(inPath, outPath);
            if (!Cli.IsSet(parse, overwrite) && Exists(outPath))
            {
                throw new UsageException($"OUT '{outPath}' exists; convert does not replace it unless told to: give --overwrite, or name a new OUT.");
            }

            // The output's format by its extension (FileFormats); none: raw data for .raw, .bin, .dat, devices and FIFOs.
            var format = OutputFormat(outPath);
            var chunkText = parse.GetValue(chunks);
            var given = Cli.Given(parse, chunks, codec, zarrFormat, shards, levels, tile);
            var binFactor = Cli.WholeNumber(parse, bin, "a factor such as 2 or 4");
            if (parse.GetResult(downsample) is { Implicit: false } && binFactor is null)
            {
                given.Add(downsample.Name);   // for --levels, unless it says how --bin shrinks
            }
            var taken = format?.Options ?? [];
            var refused = new List<string>();
            foreach (var name in given)
            {
                if (!taken.Contains(name))
                {
                    refused.Add(name);
                }
            }

            if (refused.Count > 0)
            {
                var verb = refused.Count == 1 ? "is" : "are";
                var forTiff = refused.All(FileFormats.Tiff.Options.Contains);
                var forZarr = refused.All(FileFormats.Zarr.Options.Contains);
                throw new UsageException(format == FileFormats.Tiff || format == FileFormats.Hdf5
                    ? $"{string.Join(", ", refused)} {verb} not for a{(format == FileFormats.Hdf5 ? "n" : "")} {format.Name} output; it takes {string.Join(", ", format.Options)}."
                    : forZarr && forTiff ? $"{string.Join(", ", refused)} {verb} for a Zarr or TIFF output; name OUT with the .zarr or .tif extension."
                    : forZarr ? $"{string.Join(", ", refused)} {verb} for a Zarr output; name OUT with the .zarr extension."
                    : $"{string.Join(", ", refused)} {verb} for a TIFF output; name OUT with the .tif extension.");
            }

            var levelCount = Cli.WholeNumber(parse, levels, "from 1 to 32 resolution levels");
            if (levelCount is < 1 or > 32)
            {
                throw new UsageException($"--levels {levelCount}: give from 1 to 32 resolution levels.");
            }

            var rawInput = raw.Parse(parse, inPath);
            string? readBack = null;
            var names = raw.AxesOf(parse, axes);
            using var whole = Inputs.Open(inPath, rawInput, names, error, raw.DatasetOf(parse));
            using var cropped = parse.GetValue(regionOption) is { } regionText ? ImageViewFactory.ExtractRegion(whole, ParseRegion(regionText, whole.Shape)) : null;
            var method = parse.GetValue(downsample) == "nearest" ? DownsampleMethod.Nearest : DownsampleMethod.Mean;
            using var binned = binFactor is { } factor ? Binned(cropped ?? whole, factor, method) : null;
            if (parse.GetValue(rescale) is not null && parse.GetValue(outType) is null)
            {
                throw new UsageException("--rescale maps values onto the type --out-dtype names; give --out-dtype too (such as --out-dtype uint8 --rescale auto).");
            }

            using var typed = parse.GetValue(outType) is { } typeText ? Typed(binned ?? cropped ?? whole, Inputs.ParseDataType(typeText), parse.GetValue(rescale)) : null;
            var view = typed ?? binned ?? cropped ?? whole;
            if (parse.GetValue(spacing) is { } spacingText)
            {
                Calibrate(view, spacingText, parse.GetValue(unit) ?? "micrometer");
            }
            else if (parse.GetValue(unit) is not null)
            {
                throw new UsageException("--unit names the unit of --spacing; give --spacing too.");
            }
            var zarrOptions = format == FileFormats.Zarr
                ? ZarrOptionsOf(chunkText, parse.GetValue(codec)!, parse.GetValue(zarrFormat) == "2" ? 2 : 3, parse.GetValue(shards), view)
                : null;
            var settings = new WriteSettings(zarrOptions, given.Contains("--codec") ? parse.GetValue(codec) : null, (int?)levelCount,
                method, parse.GetValue(tile), chunkText);
            ProgressBar.Run($"writing {Path.GetFileName(outPath.TrimEnd('/'))}", view.ByteCount, progress =>
            {
                if (format is not null)
                {
                    format.Write(view, outPath, settings, progress);
                }
                else if (rawInput is null)
                {
                    readBack = WriteData(view, outPath, names, progress);
                }
                else
                {
                    WriteRaw(view, outPath, progress);
                }
            });
            // Each part as a string: interpolating the structs themselves runs generic formatting code that is jitted in every run.
            output.WriteLine($"wrote {Inputs.Shown(outPath)}: {view.Shape.ToString()}, {view.DataType.ToString()}, axes {view.AxesInterpretation.ToString()}");
            if (readBack is not null)
            {
                output.WriteLine(readBack);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly string[] RawExtensions = [".raw", ".bin", ".dat"];

    /// <summary>--bin N: X, Y and Z shrunk by N, lazily (the mean of NxNxN blocks, by 2x steps; or every Nth element).</summary>
    private static ImageView Binned(ImageView view, long factor, DownsampleMethod method)
    {
        if (factor < 2)
        {
            throw new UsageException($"--bin {factor}: give a factor of 2 or more.");
        }

        if (factor > 1 << 16)
        {
            throw new UsageException($"--bin {factor}: give a factor from 2 to 65536.");
        }

        if (method == DownsampleMethod.Nearest)
        {
            var dims = view.AxesInterpretation.Dimensions;
            var steps = view.Shape.ToArray().Select((_, d) => d < dims.Length && dims[d] is ImageDimension.COLUMN or ImageDimension.ROW or ImageDimension.SLICE ? (ulong)factor : 1UL).ToArray();
            return ImageViewFactory.SubSample(view, new VectorXu64(steps));
        }

        if ((factor & (factor - 1)) != 0)
        {
            throw new UsageException($"--bin {factor}: the mean is taken in steps of 2, so give a power of two (2, 4, 8...), or --downsample nearest for any factor.");
        }

        var levels = System.Numerics.BitOperations.Log2((ulong)factor) + 1;
        using var pyramid = LodImageViewFactory.Downsample(view, levels, method);
        if (pyramid.LevelCount < levels)
        {
            throw new UsageException($"--bin {factor}: the input is too small to shrink that much ({view.Shape}).");
        }

        return ImageViewFactory.ExtractRegion(pyramid.Resolution(levels - 1), RegionXu64.CreateFullRegion(pyramid.Resolution(levels - 1).Shape));
    }

    /// <summary>--out-dtype T [--rescale LO:HI|auto]: values in type T, kept or mapped linearly onto T's whole range.</summary>
    private static ImageView Typed(ImageView view, DataType type, string? rescale)
    {
        if (rescale is null)
        {
            return ImageViewFactory.AdaptDataType(view, type);
        }

        (double Min, double Max) input;
        if (rescale == "auto")
        {
            Statistics.Result stats = default;
            ProgressBar.Run("finding the range", view.ByteCount, progress => stats = Statistics.Compute(view, progress));
            input = (stats.Min, stats.Max);
        }
        else
        {
            var parts = rescale.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lo)
                || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hi) || !(lo < hi))
            {
                throw new UsageException($"--rescale '{rescale}' is not LO:HI with LO below HI (such as 100:4000), nor 'auto'.");
            }

            input = (lo, hi);
        }

        if (!(input.Min < input.Max))
        {
            input = (input.Min, input.Min + 1);   // constant data: one value, drawn at the bottom of the range
        }

        var output = type.PrimitiveType == PrimitiveTypeId.FLOATING_POINT ? (0.0, 1.0)
            : type.PrimitiveType == PrimitiveTypeId.UNSIGNED_INTEGER ? (0.0, Math.Pow(2, type.BitDepth) - 1)
            : (-Math.Pow(2, type.BitDepth - 1), Math.Pow(2, type.BitDepth - 1) - 1);
        return ImageViewFactory.AdaptDynamicRange(view, type, input, output);
    }

    /// <summary>--spacing X,Y[,Z] --unit U: the voxel size written with the data.</summary>
    private static void Calibrate(ImageView view, string text, string unit)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || double.IsInfinity(values[i]))
            {
                throw new UsageException($"--spacing '{text}': '{parts[i]}' is not a positive size; give X,Y[,Z] such as 0.5,0.5,2.");
            }
        }

        if (parts.Length is < 2 or > 3)
        {
            throw new UsageException($"--spacing '{text}' gives {parts.Length} sizes; give X,Y or X,Y,Z.");
        }

        var spacing = view.Properties.SpatialSpacing;
        values.CopyTo(spacing, 0);
        view.Properties.SpatialSpacing = spacing;
        view.Properties.SpatialUnit = unit switch
        {
            "um" or "µm" or "micron" or "microns" => "micrometer",
            "nm" => "nanometer",
            "mm" => "millimeter",
            "m" => "meter",
            _ => unit,
        };
    }

    /// <summary>--region START:END,...: a box inside the view, one part per dimension in the view's order.</summary>
    private static RegionXu64 ParseRegion(string text, VectorXu64 shape)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != shape.Size)
        {
            throw new UsageException($"--region '{text}' has {parts.Length} part{(parts.Length == 1 ? "" : "s")} but IN has {shape.Size} dimensions ({shape}); give START:END for each, ':' for a whole one.");
        }

        var origin = new ulong[parts.Length];
        var size = new ulong[parts.Length];
        for (var d = 0; d < parts.Length; d++)
        {
            var bounds = parts[d].Split(':', StringSplitOptions.TrimEntries);
            long start = 0, end = (long)shape[d];
            if (bounds.Length != 2 || (bounds[0].Length > 0 && !Numbers.TryParseDigits(bounds[0], out start)) || (bounds[1].Length > 0 && !Numbers.TryParseDigits(bounds[1], out end)))
            {
                throw new UsageException($"--region '{text}': '{parts[d]}' is not START:END (whole numbers, either may be left out).");
            }

            if (start >= end || (ulong)end > shape[d])
            {
                throw new UsageException($"--region '{text}': {parts[d]} is not a part of dimension {d}, which has {shape[d]} elements (0:{shape[d]}); START must be below END.");
            }

            origin[d] = (ulong)start;
            size[d] = (ulong)(end - start);
        }

        return new RegionXu64(new VectorXu64(origin), new VectorXu64(size));
    }

    /// <summary>Whether OUT exists as something convert would replace: a file or folder (through a link: what it points to), or an S3 object; devices and FIFOs are written to, never replaced.</summary>
    private static bool Exists(string path)
    {
        if (Storage.Locations.IsRemote(path))
        {
            if (!Storage.Locations.IsS3(path) || FileFormats.Zarr.Names(path))
            {
                return false;   // a Zarr prefix in use is refused by the writer itself, which never replaces objects
            }

            using var access = TryOpen(path);
            return access is not null;
        }

        var kind = FileProbe.Kind(Path.GetFullPath(path), followLinks: true);
        return kind is FileKind.Regular or FileKind.Directory;
    }

    private static RandomAccess? TryOpen(string path)
    {
        try
        {
            return Storage.Locations.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The output's format follows its extension: one of <see cref="FileFormats.All"/> (.npy, .zarr), or null for raw
    /// data: .raw, .bin and .dat, and a device or FIFO, which has no format of its own. Anything else, an image
    /// format above all, is refused.
    /// </summary>
    private static FileFormat? OutputFormat(string path)
    {
        if (FileFormats.ForOutput(path) is { } format)
        {
            return format;
        }

        var extension = Path.GetExtension(path.TrimEnd('/'));
        if (RawExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var kind = FileProbe.Kind(Path.GetFullPath(path), followLinks: true);
        if (kind is FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Fifo or FileKind.Socket)
        {
            return null;
        }

        var hint = extension.ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp" or ".gif"
            ? $" To render a plane as an image, use: iolink slice FILE -o {Path.GetFileName(path)}"
            : "";
        throw new UsageException(
            $"OUT '{path}': iolink convert writes .npy, .zarr, .tif, .h5, or raw data (.raw, .bin, .dat), chosen by the extension.{hint}");
    }

    private static Zarr.ZarrOptions ZarrOptionsOf(string? chunks, string codec, int zarrFormat, string? shards, ImageView view)
    {
        var options = new Zarr.ZarrOptions
        {
            Format = zarrFormat == 2 ? Zarr.ZarrFormat.V2 : Zarr.ZarrFormat.V3,
            Codec = codec switch
            {
                "blosc-lz4" => Zarr.ZarrCodec.BloscLz4,
                "zlib" => Zarr.ZarrCodec.Zlib,
                "gzip" => Zarr.ZarrCodec.Gzip,
                "none" => Zarr.ZarrCodec.None,
                _ => Zarr.ZarrCodec.Zstd,
            },
        };
        if (options.Format == Zarr.ZarrFormat.V3 && options.Codec == Zarr.ZarrCodec.Zlib)
        {
            throw new UsageException("--codec zlib is a Zarr v2 codec; use gzip (the same deflate data) for Zarr v3, or --zarr-format 2.");
        }

        if (shards is not null)
        {
            if (options.Format != Zarr.ZarrFormat.V3)
            {
                throw new UsageException("--shards needs Zarr v3 (the sharding codec is v3's); drop --zarr-format 2.");
            }

            var shape = Inputs.ParseShape(shards, "--shards");
            if (shape.Size != view.DimensionCount)
            {
                throw new UsageException($"--shards {shards} gives {shape.Size} sizes for an input of {view.DimensionCount} dimensions ({view.Shape}); give one per dimension, in the same order.");
            }

            options.Shards = shape;
        }
        if (chunks is not null)
        {
            var shape = Inputs.ParseShape(chunks, "--chunks");

            if (shape.Size != view.DimensionCount)
            {
                throw new UsageException($"--chunks {chunks} gives {shape.Size} sizes for an input of {view.DimensionCount} dimensions ({view.Shape}); give one per dimension, in the same order.");
            }

            options.Chunks = shape;
        }

        return options;
    }

    /// <summary>Writes a view densely in canonical order (first dimension fastest), through <see cref="OutputFile"/>.</summary>
    /// <summary>
    /// Raw data from a file that has an array order of its own (.npy, Zarr, TIFF, HDF5): its elements in that order, as
    /// numpy.ndarray.tofile writes them (a .npy's payload byte for byte); returns how to read the file back.
    /// </summary>
    private static string WriteData(ImageView view, string path, ImageDimension[]? fileOrder, IProgress<double> progress)
    {
        // The file's own axis order when --axes or --layout named it (so its bytes keep their order), else NumPy's.
        var order = fileOrder is not null && fileOrder.Length == view.DimensionCount ? fileOrder : null;
        long[] shape = [];
        OutputFile.Write(path, view.ByteCount, stream => shape = NpyFile.WriteData(view, stream, order, progress));
        var layout = IOLink.Interop.ArrayAxes.Export(view, order);
        var components = layout.HasComponentAxis ? 1 : 0;
        // The raw options list the dimensions first fastest: the array's axes reversed, its components in the element type.
        var dims = layout.Dimensions.ToArray()[..^components].Reverse().ToArray();
        var lengths = shape[..^components].Reverse();
        var named = view.AxesInterpretation.IsKnown ? $" --axes {string.Join(",", dims.Select(d => view.AxesInterpretation.Dimensions[d]))}" : "";
        return $"  (NumPy order {(shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})")}, C order; read it back with --shape {string.Join(",", lengths)} --dtype {view.DataType}{named})";
    }

    private static void WriteRaw(ImageView view, string path, IProgress<double> progress)
    {
        OutputFile.Write(path, view.ByteCount, stream =>
        {
            // Slabs in canonical order follow each other in the dense file, so it is written front to back.
            var slabs = RegionSlabs.For(view, 64L << 20);
            var buffer = GC.AllocateUninitializedArray<byte>((int)slabs.MaxByteCount);
            long done = 0;
            foreach (var region in slabs)
            {
                var bytes = buffer.AsSpan(0, (int)((long)region.ElementCount * view.DataType.ByteCount));
                view.ReadRegion(region, bytes);
                stream.Write(bytes);
                done += bytes.Length;
                progress.Report((double)done / view.ByteCount);
            }
        });
    }
}
