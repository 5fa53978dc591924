using System.CommandLine;

using IOLink.Files;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink convert IN OUT</c>: raw and .npy in either direction, optionally reordering axes.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("IN") { Description = "A .npy file, a Zarr array (a folder holding .zarray) or OME-Zarr image, or a raw file described by --shape and --dtype." };
        var target = new Argument<string>("OUT") { Description = "What to write, by its extension: .npy, .zarr (a Zarr array), or raw data for .raw, .bin and .dat (and devices and FIFOs)." };
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
            Description = "For a .zarr OUT: how chunks are compressed: zstd (default), blosc-lz4 (zarr-python's default; needs libblosc1), zlib or none.",
            DefaultValueFactory = _ => "zstd",
        };
        codec.AcceptOnlyFromAmong("zstd", "blosc-lz4", "zlib", "none");
        var raw = new Cli.RawFileOptions();
        var command = new Command("convert", "Convert between raw, .npy and Zarr (OUT.zarr).") { input, target, axes, chunks, codec };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(target)!;
            Inputs.CheckOutputIsNotInput(inPath, outPath);

            // The output's format by its extension (FileFormats); none: raw data for .raw, .bin, .dat, devices and FIFOs.
            var format = OutputFormat(outPath);
            var chunkText = parse.GetValue(chunks);
            if (format is not { TakesChunkOptions: true } && (chunkText is not null || parse.GetResult(codec) is { Implicit: false }))
            {
                throw new UsageException("--chunks and --codec are for a Zarr output; name OUT with the .zarr extension.");
            }

            using var view = Inputs.Open(inPath, raw.Parse(parse), Inputs.ParseAxes(parse.GetValue(axes)), error);
            var zarrOptions = format is { TakesChunkOptions: true } ? ZarrOptionsOf(chunkText, parse.GetValue(codec)!, view) : null;
            ProgressBar.Run($"writing {Path.GetFileName(outPath.TrimEnd('/'))}", view.ByteCount, progress =>
            {
                if (format is not null)
                {
                    format.Write(view, outPath, zarrOptions, progress);
                }
                else
                {
                    WriteRaw(view, outPath, progress);
                }
            });
            output.WriteLine($"wrote {Inputs.Shown(outPath)}: {view.Shape}, {view.DataType}, axes {view.AxesInterpretation}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly string[] RawExtensions = [".raw", ".bin", ".dat"];

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

        var hint = extension.ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".tif" or ".tiff" or ".bmp" or ".gif"
            ? $" To render a plane as an image, use: iolink slice FILE -o {Path.GetFileName(path)}"
            : "";
        throw new UsageException(
            $"OUT '{path}': iolink convert writes .npy, .zarr, or raw data (.raw, .bin, .dat), chosen by the extension.{hint}");
    }

    private static Zarr.ZarrOptions ZarrOptionsOf(string? chunks, string codec, ImageView view)
    {
        var options = new Zarr.ZarrOptions
        {
            Codec = codec switch
            {
                "blosc-lz4" => Zarr.ZarrCodec.BloscLz4,
                "zlib" => Zarr.ZarrCodec.Zlib,
                "none" => Zarr.ZarrCodec.None,
                _ => Zarr.ZarrCodec.Zstd,
            },
        };
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
