using System.CommandLine;
using IOLink.Files;
using SkiaSharp;

namespace IOLink.Cli.Commands;

/// <summary>
/// <c>iolink slice FILE [--at DIM=N,...] [--index N [--dimension SLICE]] [--plane COLUMN,ROW] [-o out.png]</c>: one
/// 2D plane as a PNG. Every dimension but the two drawn is fixed: as --at or --index says, else at its middle plane.
/// </summary>
internal static class SliceCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "A .npy file, a Zarr array (a folder holding zarr.json or .zarray) or OME-Zarr image, or a raw file described by --shape and --dtype." };
        var index = new Option<ulong>("--index", "-i")
        {
            Description = "Which plane along --dimension (the same as --at DIMENSION=N).",
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
                if (Numbers.TryParseDigits(token, out var n))
                {
                    return (ulong)n;
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
        var target = new Option<string?>("--output", "-o") { Description = "The PNG file to write; by default FILE's name with .png, in the current folder." };
        var at = new Option<string?>("--at")
        {
            Description = "The plane of each other dimension, such as SLICE=3,SEQUENCE=1 (X, Y, Z, C, T also name them); a dimension left out is cut at its middle.",
        };
        var drawn = new Option<string>("--plane")
        {
            Description = "The two dimensions drawn, across then down: COLUMN,ROW (default), or for example COLUMN,SLICE for an XZ picture.",
            DefaultValueFactory = _ => "COLUMN,ROW",
        };
        var axes = new Option<string?>("--axes")
        {
            Description = "Name the file's dimensions in its own axis order (e.g. ROW,COLUMN for an RGB image stored (H, W, 3)); by default 2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE.",
        };
        var window = new Option<string?>("--window")
        {
            Description = "The values drawn black and white: MIN,MAX, 'plane' for the plane's own range (the default; 8-bit data: 0,255), or 'volume' for the whole file's range (reads all of it).",
        };
        var mip = new Option<string?>("--mip")
        {
            Description = "Draw the maximum-intensity projection along a dimension not drawn (SLICE by default: --mip alone; or --mip SEQUENCE) instead of one plane of it.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var raw = new Cli.RawFileOptions();
        var command = new Command("slice", "Render one 2D plane of a file to PNG (grayscale windowed to the data's range, or RGB).")
        {
            file, at, index, dimension, drawn, target, axes, window, mip,
        };
        raw.AddTo(command);
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            var path = parse.GetValue(file)!;
            var outPath = parse.GetValue(target) ?? Path.GetFileNameWithoutExtension(path.TrimEnd('/')) + ".png";
            CheckPngOutput(outPath);
            Inputs.CheckOutputIsNotInput(path, outPath);
            var names = raw.AxesOf(parse, axes);
            var picture = Inputs.ParseAxes(parse.GetValue(drawn), "--plane")!;
            if (picture.Length != 2 || picture[0] == picture[1])
            {
                throw new UsageException($"--plane '{parse.GetValue(drawn)}' must name two different dimensions, across then down (such as COLUMN,ROW).");
            }

            var fixedPlanes = ParseAt(parse.GetValue(at));
            if (parse.GetResult(index) is { Implicit: false })
            {
                var along = Inputs.ParseAxes(parse.GetValue(dimension), "--dimension")!;
                if (along.Length != 1)
                {
                    throw new UsageException($"--dimension '{parse.GetValue(dimension)}' must name one dimension, such as SLICE, SEQUENCE or CHANNEL.");
                }

                if (!fixedPlanes.TryAdd(along[0], parse.GetValue(index)))
                {
                    throw new UsageException($"--index and --at both choose the {along[0]} plane; give it once.");
                }
            }

            foreach (var d in picture)
            {
                if (fixedPlanes.ContainsKey(d))
                {
                    throw new UsageException($"--at or --index fixes {d}, which --plane draws; fix only the other dimensions.");
                }
            }

            ImageDimension? projected = null;
            if (parse.GetResult(mip) is { Implicit: false })
            {
                var named = Inputs.ParseAxes(parse.GetValue(mip) ?? "SLICE", "--mip")!;
                if (named.Length != 1)
                {
                    throw new UsageException($"--mip '{parse.GetValue(mip)}' must name one dimension, such as SLICE or SEQUENCE.");
                }

                if (picture.Contains(named[0]) || fixedPlanes.ContainsKey(named[0]))
                {
                    throw new UsageException($"--mip projects along {named[0]}, which --plane draws or --at/--index fixes; project along another dimension.");
                }

                projected = named[0];
            }

            var windowText = parse.GetValue(window);
            var explicitWindow = ParseWindow(windowText);
            using var view = Inputs.Open(path, raw.Parse(parse, path), names, error, raw.DatasetOf(parse));
            var (plane, chosen) = Plane(view, picture, fixedPlanes, projected);
            using (plane)
            {
                CheckDrawable(plane, picture);
                var planeWindow = windowText == "plane";
                // Binary data (a NumPy bool array) draws 0 as black and 1 as white; other 8-bit data as stored; wider
                // data to the plane's own range (reading only the plane) unless the whole file's is asked for.
                var binary = view.Properties.ImageInterpretation == ImageInterpretation.BINARY && !planeWindow;
                var range = explicitWindow ?? (binary ? (0, 1) : windowText == "volume" && !Is8Bit(view.DataType) ? DataRange(view) : null);
                Render(plane, picture, outPath, range, planeWindow);
                var across = plane.Shape[plane.AxesInterpretation.IndexOf(picture[0])];
                var down = plane.Shape[plane.AxesInterpretation.IndexOf(picture[1])];
                var where = chosen.Length == 0 ? "" : $" at {chosen}";
                var drawn = plane.DataType.Interpretation == DataTypeInterpretation.COMPLEX ? "grayscale magnitude |z| of complex data" : plane.DataType.Dimension >= 3 ? "RGB" : "grayscale";
                output.WriteLine($"wrote {Inputs.Shown(outPath)}: {across}x{down} {drawn} from {view.AxesInterpretation} {view.Shape}{where}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>--at DIM=N,DIM=N: the plane of each dimension named.</summary>
    private static Dictionary<ImageDimension, ulong> ParseAt(string? text)
    {
        var result = new Dictionary<ImageDimension, ulong>();
        if (text is null)
        {
            return result;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !Numbers.TryParseDigits(pair[1], out var n))
            {
                throw new UsageException($"--at '{text}': '{part}' is not DIMENSION=N; write it like SLICE=3,SEQUENCE=1 (planes count from 0).");
            }

            ImageDimension[] dims;
            try
            {
                dims = Inputs.ParseAxes(pair[0])!;
            }
            catch (UsageException)
            {
                throw new UsageException($"--at '{text}': '{pair[0]}' is not a dimension; use COLUMN, ROW, SLICE, CHANNEL, SEQUENCE (or X, Y, Z, C, T).");
            }

            if (!result.TryAdd(dims[0], (ulong)n))
            {
                throw new UsageException($"--at '{text}' names {dims[0]} twice.");
            }
        }

        return result;
    }

    /// <summary>The plane drawn: the two dimensions of <paramref name="picture"/> whole, every other one at the plane given or its middle; and the planes chosen, as DIM=N text.</summary>
    private static (ImageView Plane, string Chosen) Plane(ImageView view, ImageDimension[] picture, Dictionary<ImageDimension, ulong> fixedPlanes, ImageDimension? projected = null)
    {
        var axes = view.AxesInterpretation;
        if (projected is { } p && !axes.Has(p))
        {
            throw new UsageException($"The file has no {p} dimension (axes {axes}) to project along; give --mip one of its dimensions.");
        }

        foreach (var d in picture)
        {
            if (!axes.Has(d))
            {
                throw new UsageException(axes.IsKnown
                    ? $"The file's axes {axes} have no {d} to draw; choose two of its dimensions with --plane."
                    : $"The file's axes are not named, so there is no {d} to draw; name them with --axes.");
            }
        }

        foreach (var (d, n) in fixedPlanes)
        {
            var k = axes.IndexOf(d);
            if (k < 0)
            {
                // A dimension the file does not have is one plane thick: plane 0 of it is the file itself.
                if (n == 0)
                {
                    continue;
                }

                throw new UsageException($"The file has no {d} dimension (axes {axes}), so it has no {d} plane {n}; leave {d} out.");
            }

            if (n >= view.Shape[k])
            {
                throw new UsageException($"--index {n} is past the last {d} ({view.Shape[k] - 1}).");
            }
        }

        var origin = new ulong[view.DimensionCount];
        var size = view.Shape.ToArray();
        var chosen = new List<string>();
        for (var k = 0; k < size.Length; k++)
        {
            var d = axes.Dimensions[k];
            if (picture.Contains(d) || d == projected)
            {
                continue;
            }

            var given = fixedPlanes.TryGetValue(d, out var n);
            origin[k] = given ? n : size[k] / 2;
            if (size[k] > 1)
            {
                chosen.Add($"{d}={origin[k]}{(given ? "" : " (middle)")}");
            }

            size[k] = 1;
        }

        using var box = ImageViewFactory.ExtractRegion(view, new RegionXu64(origin, size));
        if (projected is not { } along)
        {
            return (ImageViewFactory.ExtractRegion(box, RegionXu64.CreateFullRegion(box.Shape)), string.Join(", ", chosen));
        }

        var depth = box.Shape[axes.IndexOf(along)];
        chosen.Add($"maximum over {along} ({depth} plane{(depth == 1 ? "" : "s")})");
        return (MaximumProjection(box, axes.IndexOf(along)), string.Join(", ", chosen));
    }

    /// <summary>
    /// The maximum of each element over dimension <paramref name="k"/>, read one plane at a time (memory: two planes),
    /// as a view of one plane along it with the box's axes; NaNs are skipped, as imaging tools' projections do.
    /// </summary>
    private static ImageView MaximumProjection(ImageView box, int k)
    {
        var type = box.DataType;
        if (type.Dimension != 1)
        {
            throw new UsageException($"--mip projects scalar data; this file's elements are {type} (draw one plane, or one channel of it).");
        }

        Action<byte[], byte[]> max = (DataTypeId)type.Id switch
        {
            DataTypeId.UINT8 => Max<byte>,
            DataTypeId.INT8 => Max<sbyte>,
            DataTypeId.UINT16 => Max<ushort>,
            DataTypeId.INT16 => Max<short>,
            DataTypeId.UINT32 => Max<uint>,
            DataTypeId.INT32 => Max<int>,
            DataTypeId.UINT64 => Max<ulong>,
            DataTypeId.INT64 => Max<long>,
            DataTypeId.FLOAT => Max<float>,
            DataTypeId.DOUBLE => Max<double>,
            _ => throw new UsageException($"--mip projects numbers; this file's elements are {type}."),
        };
        var depth = box.Shape[k];
        var planeSize = box.Shape.ToArray();
        planeSize[k] = 1;
        var planeRegion = new RegionXu64(new VectorXu64(new ulong[planeSize.Length]), new VectorXu64(planeSize));
        var bytes = checked((int)((long)planeRegion.ElementCount * type.ByteCount));
        var result = new byte[bytes];
        var slab = new byte[bytes];
        for (ulong i = 0; i < depth; i++)
        {
            var origin = new ulong[planeSize.Length];
            origin[k] = i;
            box.ReadRegion(new RegionXu64(new VectorXu64(origin), new VectorXu64(planeSize)), i == 0 ? result : slab);
            if (i > 0)
            {
                max(result, slab);
            }
        }

        using var first = ImageViewFactory.ExtractRegion(box, planeRegion);
        var projection = ImageViewFactory.CopyInMemory(first);
        projection.WriteRegion(RegionXu64.CreateFullRegion(projection.Shape), result);
        return projection;
    }

    private static void Max<T>(byte[] into, byte[] other)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var a = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(into.AsSpan());
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(other.AsSpan());
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = T.MaxNumber(a[i], b[i]);
        }
    }

    /// <summary>Refuses, before any data is read, a plane whose PNG would not fit the bounded bitmap.</summary>
    private static void CheckDrawable(ImageView plane, ImageDimension[] picture)
    {
        var columns = plane.AxesInterpretation.IndexOf(picture[0]);
        var rows = plane.AxesInterpretation.IndexOf(picture[1]);
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
        if (text is null or "plane" or "volume")
        {
            return null;
        }

        // MIN,MAX, or LO:HI as --rescale writes a range.
        var parts = text.Split(text.Contains(':', StringComparison.Ordinal) ? ':' : ',');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var max)
            && max > min)
        {
            return (min, max);
        }

        throw new UsageException($"--window '{text}' is not MIN,MAX (or MIN:MAX) with MIN < MAX, nor 'plane' or 'volume'; write it like --window 0,4095.");
    }

    /// <summary>The whole file's value range, streamed slab by slab (with a progress bar when it is large).</summary>
    private static (double Min, double Max) DataRange(ImageView view)
    {
        Statistics.Result result = default;
        ProgressBar.Run("window", view.ByteCount, progress => result = Statistics.Compute(view, progress));
        return (result.Min, result.Max);
    }

    private static unsafe void Render(ImageView plane, ImageDimension[] picture, string path, (double Min, double Max)? window, bool planeWindow)
    {
        var type = plane.DataType;
        // Complex data is drawn as its magnitude |z| (grayscale); the message says so.
        var complex = type.Interpretation == DataTypeInterpretation.COMPLEX;
        if (!complex && type.Dimension is not (1 or 3 or 4))
        {
            throw new UsageException($"A {type} plane cannot be drawn; slice renders scalar (grayscale), complex (magnitude) and 3- or 4-component (RGB) data.");
        }

        var columns = plane.AxesInterpretation.IndexOf(picture[0]);
        var rows = plane.AxesInterpretation.IndexOf(picture[1]);
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
        else if (complex)
        {
            (min, max) = MagnitudeRange(plane);
        }
        else
        {
            var range = Statistics.Compute(plane);
            (min, max) = (range.Min, range.Max);
        }

        var scale = max > min ? 255.0 / (max - min) : 0;
        var components = complex ? 1 : (int)type.Dimension;
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
            if (complex)
            {
                values = Magnitudes(values);
            }

            for (var y = 0; y < n; y++)
            {
                var row = pixels + ((long)(y0 + y) * bitmap.RowBytes);
                for (var x = 0; x < width; x++)
                {
                    // The strip is dense in the view's order: the drawn dimension that comes first there is the faster.
                    var i = columns < rows ? ((long)y * width) + x : ((long)x * n) + y;
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

    /// <summary>|z| of each (real, imaginary) pair.</summary>
    private static double[] Magnitudes(double[] pairs)
    {
        var result = new double[pairs.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Sqrt((pairs[2 * i] * pairs[2 * i]) + (pairs[(2 * i) + 1] * pairs[(2 * i) + 1]));
        }

        return result;
    }

    /// <summary>The smallest and largest magnitude of a complex plane, read in strips.</summary>
    private static (double Min, double Max) MagnitudeRange(ImageView plane)
    {
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        var slabs = RegionSlabs.For(plane, StripBytes);
        var buffer = new byte[slabs.MaxByteCount];
        foreach (var region in slabs)
        {
            var bytes = buffer.AsSpan(0, (int)((long)region.ElementCount * plane.DataType.ByteCount));
            plane.ReadRegion(region, bytes);
            foreach (var m in Magnitudes(Statistics.ToDoubles(bytes, plane.DataType)))
            {
                (min, max) = (Math.Min(min, m), Math.Max(max, m));
            }
        }

        return (min, max);
    }

    /// <summary>
    /// slice writes PNG: OUT must be named .png, or be a device or FIFO (which has no format of its own), so that PNG
    /// bytes never land in a .jpg or over a data file.
    /// </summary>
    private static void CheckPngOutput(string path)
    {
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var kind = FileProbe.Kind(Path.GetFullPath(path), followLinks: true);
        if (kind is FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Fifo or FileKind.Socket)
        {
            return;
        }

        throw new UsageException($"-o {Inputs.Shown(path)}: iolink slice writes PNG images; name the output with the .png extension.");
    }

    /// <summary>The largest plane drawn: 16384 x 16384 pixels, a 1 GiB RGBA bitmap.</summary>
    private const long MaxPixels = 1L << 28;

    /// <summary>How much of the plane is read and converted at a time.</summary>
    private const long StripBytes = 4L << 20;

    private static byte Level(double value, double min, double scale) =>
        double.IsNaN(value) ? (byte)0 : (byte)Math.Clamp(Math.Round((value - min) * scale), 0, 255);
}
