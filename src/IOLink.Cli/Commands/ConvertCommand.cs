using System.CommandLine;

using IOLink.Files;

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

    /// <summary>Writes a view densely in canonical order (first dimension fastest), through <see cref="OutputFile"/>.</summary>
    private static void WriteRaw(ImageView view, string path, IProgress<double> progress)
    {
        OutputFile.Write(path, view.ByteCount, stream =>
        {
            // Slabs in canonical order follow each other in the dense file, so it is written front to back.
            var slabs = new RegionSlabs(view.Shape, view.DataType.ByteCount, 64L << 20);
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
