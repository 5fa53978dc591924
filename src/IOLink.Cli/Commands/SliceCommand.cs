using System.CommandLine;
using IOLink.Files;
using SkiaSharp;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink slice FILE --index N [--dimension SLICE] -o out.png</c>: one 2D plane as a PNG.</summary>
internal static class SliceCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A .npy file, or a raw file described by --shape and --dtype." };
        var index = new Option<ulong>("--index", "-i")
        {
            Description = "Which plane along --dimension.",
            Required = true,
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
                if (ulong.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }

                result.AddError($"--index {token} is not a plane number: planes are counted from 0 (0, 1, 2, ...).");
                return 0;
            },
        };
        var dimension = new Option<string>("--dimension", "-d")
        {
            Description = "The dimension the planes are taken along: SLICE (default), SEQUENCE or CHANNEL.",
            DefaultValueFactory = _ => "SLICE",
        };
        var target = new Option<string>("--output", "-o") { Description = "The PNG file to write.", Required = true };
        var axes = new Option<string?>("--axes")
        {
            Description = "Name the file's dimensions in its own axis order (e.g. ROW,COLUMN for an RGB image stored (H, W, 3)); by default a 2D file is an IMAGE and a 3D file a VOLUME.",
        };
        var window = new Option<string?>("--window")
        {
            Description = "The values drawn black and white: MIN,MAX, or 'plane' for the plane's own range. By default the whole file's range (8-bit data: 0,255).",
        };
        var raw = new Cli.RawFileOptions();
        var command = new Command("slice", "Render one 2D plane of a file to PNG (grayscale windowed to the data's range, or RGB).")
        {
            file, index, dimension, target, axes, window,
        };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var path = parse.GetValue(file)!;
            var outPath = parse.GetValue(target)!;
            var names = Inputs.ParseAxes(parse.GetValue(axes));
            var along = Inputs.ParseAxes(parse.GetValue(dimension))!;
            if (along.Length != 1 || along[0] is ImageDimension.COLUMN or ImageDimension.ROW)
            {
                throw new UsageException($"--dimension '{parse.GetValue(dimension)}' must be one of SLICE, SEQUENCE or CHANNEL.");
            }

            var windowText = parse.GetValue(window);
            var explicitWindow = ParseWindow(windowText);
            using var view = Inputs.Open(path, raw.Parse(parse), names, error);
            using var plane = Plane(view, along[0], parse.GetValue(index));
            CheckDrawable(plane);
            var planeWindow = windowText == "plane";
            // Binary data (a NumPy bool array) draws 0 as black and 1 as white; other 8-bit data as stored.
            var binary = view.Properties.ImageInterpretation == ImageInterpretation.BINARY && !planeWindow;
            var range = explicitWindow ?? (binary ? (0, 1) : planeWindow || Is8Bit(view.DataType) ? null : DataRange(view));
            Render(plane, outPath, range, planeWindow);
            output.WriteLine($"wrote {outPath}: {plane.Shape[0]}x{plane.Shape[1]} {(plane.DataType.Dimension >= 3 ? "RGB" : "grayscale")} from {view.AxesInterpretation} {view.Shape}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static ImageView Plane(ImageView view, ImageDimension along, ulong index)
    {
        var axes = view.AxesInterpretation;
        if (!axes.Has(ImageDimension.COLUMN) || !axes.Has(ImageDimension.ROW))
        {
            throw new UsageException($"The file's axes {axes} have no COLUMN and ROW to draw; name them with --axes.");
        }

        var origin = new ulong[view.DimensionCount];
        var size = view.Shape.ToArray();
        var k = axes.IndexOf(along);
        if (k >= 0)
        {
            if (index >= view.Shape[k])
            {
                throw new UsageException($"--index {index} is past the last {along} ({view.Shape[k] - 1}).");
            }

            origin[k] = index;
            size[k] = 1;
        }
        else if (index != 0)
        {
            throw new UsageException($"The file has no {along} dimension (axes {axes}); leave out --index or use 0.");
        }

        for (var d = 0; d < size.Length; d++)
        {
            var dim = axes.Dimensions[d];
            if (dim is not (ImageDimension.COLUMN or ImageDimension.ROW) && size[d] != 1)
            {
                throw new UsageException($"The file has {size[d]} planes along {dim}; pick one with --dimension {dim} --index N.");
            }
        }

        return ImageViewFactory.ExtractRegion(view, new RegionXu64(origin, size));
    }

    /// <summary>Refuses, before any data is read, a plane whose PNG would not fit the bounded bitmap.</summary>
    private static void CheckDrawable(ImageView plane)
    {
        var columns = plane.AxesInterpretation.IndexOf(ImageDimension.COLUMN);
        var rows = plane.AxesInterpretation.IndexOf(ImageDimension.ROW);
        var pixelCount = (decimal)plane.Shape[columns] * plane.Shape[rows];
        if (pixelCount > MaxPixels)
        {
            throw new NotSupportedException(
                $"The plane is {plane.Shape[columns]} x {plane.Shape[rows]} = {pixelCount} pixels; slice draws planes of up to {MaxPixels} pixels (16384 x 16384) into a PNG. Draw a sub-sampled or smaller copy of the data instead.");
        }
    }

    private static bool Is8Bit(DataType type) => type.BitDepth == 8 && type.PrimitiveType == PrimitiveTypeId.UNSIGNED_INTEGER;

    private static (double Min, double Max)? ParseWindow(string? text)
    {
        if (text is null or "plane")
        {
            return null;
        }

        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var max)
            && max > min)
        {
            return (min, max);
        }

        throw new UsageException($"--window '{text}' is not MIN,MAX with MIN < MAX (or 'plane'); write it like --window 0,4095.");
    }

    /// <summary>The whole file's value range, streamed slab by slab (with a progress bar when it is large).</summary>
    private static (double Min, double Max) DataRange(ImageView view)
    {
        Statistics.Result result = default;
        ProgressBar.Run("window", view.ByteCount, progress => result = Statistics.Compute(view, progress));
        return (result.Min, result.Max);
    }

    private static unsafe void Render(ImageView plane, string path, (double Min, double Max)? window, bool planeWindow)
    {
        var type = plane.DataType;
        if (type.Dimension is not (1 or 3 or 4) || type.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            throw new UsageException($"A {type} plane cannot be drawn; slice renders scalar (grayscale) and 3- or 4-component (RGB) data.");
        }

        var columns = plane.AxesInterpretation.IndexOf(ImageDimension.COLUMN);
        var rows = plane.AxesInterpretation.IndexOf(ImageDimension.ROW);
        var width = (int)plane.Shape[columns];
        var height = (int)plane.Shape[rows];

        // A window given or measured on the whole data wins; 8-bit data is otherwise shown as stored, and wider
        // data windowed to the plane's own range (streamed, like the whole-data range).
        double min, max;
        if (window is { } w)
        {
            (min, max) = w;
        }
        else if (Is8Bit(type) && !planeWindow)
        {
            (min, max) = (0, 255);
        }
        else
        {
            var range = Statistics.Compute(plane);
            (min, max) = (range.Min, range.Max);
        }

        var scale = max > min ? 255.0 / (max - min) : 0;
        var components = (int)type.Dimension;
        var color = components == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, color, SKAlphaType.Opaque));
        var pixels = (byte*)bitmap.GetPixels();

        // Strips of whole rows: memory stays at the bitmap plus one strip, whatever the plane's size.
        var rowBytes = (long)width * type.ByteCount;
        var stripRows = (int)Math.Clamp(StripBytes / rowBytes, 1, height);
        var strip = new byte[stripRows * rowBytes];
        var origin = new ulong[plane.DimensionCount];
        var size = plane.Shape.ToArray();
        for (var y0 = 0; y0 < height; y0 += stripRows)
        {
            var n = Math.Min(stripRows, height - y0);
            origin[rows] = (ulong)y0;
            size[rows] = (ulong)n;
            var bytes = strip.AsSpan(0, (int)(n * rowBytes));
            plane.ReadRegion(new RegionXu64(origin, size), bytes);
            var values = Statistics.ToDoubles(bytes, type);
            for (var y = 0; y < n; y++)
            {
                var row = pixels + ((long)(y0 + y) * bitmap.RowBytes);
                for (var x = 0; x < width; x++)
                {
                    var i = ((long)y * width) + x;
                    if (components == 1)
                    {
                        row[x] = Level(values[i], min, scale);
                    }
                    else
                    {
                        for (var c = 0; c < 3; c++)
                        {
                            row[(x * 4) + c] = Level(values[(i * components) + c], min, scale);
                        }

                        row[(x * 4) + 3] = 255;
                    }
                }
            }
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("The PNG encoder produced nothing; the plane may be too large for PNG.");
        OutputFile.Write(path, stream => encoded.SaveTo(stream));
    }

    /// <summary>The largest plane drawn: 16384 x 16384 pixels, a 1 GiB RGBA bitmap.</summary>
    private const long MaxPixels = 1L << 28;

    /// <summary>How much of the plane is read and converted at a time.</summary>
    private const long StripBytes = 4L << 20;

    private static byte Level(double value, double min, double scale) =>
        double.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(Math.Round((value - min) * scale), 0, 255);
}
