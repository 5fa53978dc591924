using System.CommandLine;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink convert IN OUT</c>: raw and .npy in either direction, optionally reordering axes.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("IN") { Description = "A .npy file, or a raw file described by --shape and --dtype." };
        var target = new Argument<string>("OUT") { Description = "The file to write: .npy, or raw for any other name." };
        var axes = new Option<string?>("--axes")
        {
            Description = "Name IN's dimensions in its own axis order (e.g. ROW,COLUMN,SLICE); OUT is written in NumPy order (.npy) or canonical order (raw), through a tiled copy.",
        };
        var raw = new Cli.RawFileOptions();
        var command = new Command("convert", "Convert between raw and .npy files.") { input, target, axes };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(target)!;
            if (Path.GetFullPath(inPath) == Path.GetFullPath(outPath))
            {
                throw new UsageException("IN and OUT are the same file; write to another name.");
            }

            using var view = Inputs.Open(inPath, raw.Parse(parse), Inputs.ParseAxes(parse.GetValue(axes)));
            ProgressBar.Run($"writing {Path.GetFileName(outPath)}", view.ByteCount, progress =>
            {
                if (Inputs.IsNpy(outPath))
                {
                    NpyFile.Write(view, outPath, null, progress);
                }
                else
                {
                    WriteRaw(view, outPath, progress);
                }
            });
            output.WriteLine($"wrote {outPath}: {view.Shape}, {view.DataType}, axes {view.AxesInterpretation}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Writes a view densely in canonical order (first dimension fastest) under a temporary name, then moves it into place.</summary>
    private static void WriteRaw(ImageView view, string path, IProgress<double> progress)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.partial");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var rank = view.DimensionCount;
                var depth = (long)view.Shape[rank - 1];
                var slice = view.ByteCount / depth;
                var step = Math.Max(1, (64L << 20) / slice);
                var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(int.MaxValue, Math.Min(step, depth) * slice));
                step = Math.Max(1, buffer.Length / slice);
                for (long z = 0; z < depth; z += step)
                {
                    var n = Math.Min(step, depth - z);
                    var origin = new ulong[rank];
                    var size = view.Shape.ToArray();
                    origin[rank - 1] = (ulong)z;
                    size[rank - 1] = (ulong)n;
                    var bytes = buffer.AsSpan(0, (int)(n * slice));
                    view.ReadRegion(new RegionXu64(origin, size), bytes);
                    stream.Write(bytes);
                    progress.Report((double)(z + n) / depth);
                }
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
