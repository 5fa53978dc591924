using IOLink.Storage;

namespace IOLink.Cli;

/// <summary>Opens the files the commands work on: .npy files by their header, raw files from --shape/--dtype/--offset.</summary>
internal static class Inputs
{
    /// <summary>
    /// The axes a file of <paramref name="rank"/> dimensions gets without --axes: IMAGE, VOLUME, VOLUME_SEQUENCE and
    /// MULTISPECTRAL_VOLUME_SEQUENCE for 2 to 5 dimensions, so that a .npy file's (Z, Y, X) and a raw file's X-fastest
    /// data mean the same volume; UNKNOWN for one dimension or more than five.
    /// </summary>
    public static ImageTypeId DefaultType(int rank) => rank switch
    {
        2 => ImageTypeId.IMAGE,
        3 => ImageTypeId.VOLUME,
        4 => ImageTypeId.VOLUME_SEQUENCE,
        5 => ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE,
        _ => ImageTypeId.UNKNOWN,
    };

    /// <summary>
    /// Refuses an output that is the input, or would replace or land inside it: the same file or folder however it is
    /// spelled (a trailing slash, ./ and ../, a symbolic or hard link), a folder holding the input, or a path inside
    /// an input folder (a Zarr store).
    /// </summary>
    /// <exception cref="UsageException">The output overlaps the input.</exception>
    public static void CheckOutputIsNotInput(string input, string output)
    {
        var inIdentity = IOLink.Files.FileProbe.Identity(input);
        var same = inIdentity is not null && inIdentity == IOLink.Files.FileProbe.Identity(output);
        var inReal = IOLink.Files.FileProbe.RealPath(input);
        var outReal = IOLink.Files.FileProbe.RealPath(output);
        if (same || inReal == outReal)
        {
            throw new UsageException($"IN and OUT are the same file ({Shown(output)} is {Shown(input)}); write to another name.");
        }

        if (inReal.StartsWith(outReal + "/", StringComparison.Ordinal))
        {
            throw new UsageException($"OUT {Shown(output)} is a folder holding IN {Shown(input)}; writing it would replace the input. Write to another name.");
        }

        if (outReal.StartsWith(inReal + "/", StringComparison.Ordinal))
        {
            throw new UsageException($"OUT {Shown(output)} is inside IN {Shown(input)}; write outside the input.");
        }
    }

    /// <summary>
    /// A path as messages show it: as given, or in single quotes with control characters escaped when it holds any (a
    /// newline in a file name must not fake a line of the tool's output).
    /// </summary>
    public static string Shown(string path)
    {
        if (!path.Any(c => char.IsControl(c) || c == '\'' || (char.IsWhiteSpace(c) && c != ' ')))
        {
            return path;
        }

        var text = new System.Text.StringBuilder("'");
        foreach (var c in path)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\'' => "\\'",
                '\\' => "\\\\",
                _ when char.IsControl(c) || (char.IsWhiteSpace(c) && c != ' ') => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>The raw-file description, or null when no raw option was given.</summary>
    public sealed record RawOptions(VectorXu64 Shape, DataType Type, long Offset);

    public static RawOptions? ParseRaw(string? shape, string? dtype, long? offset)
    {
        if (shape is null && dtype is null)
        {
            if (offset is not null)
            {
                throw new UsageException("--offset describes a raw file and needs --shape and --dtype too.");
            }

            return null;
        }

        if (shape is null || dtype is null)
        {
            throw new UsageException("A raw file needs both --shape X,Y[,Z...] (first dimension fastest) and --dtype NAME (such as UINT16 or uint16).");
        }

        if (offset is < 0)
        {
            throw new UsageException($"--offset {offset} is negative; give the byte position of the first element.");
        }

        return new RawOptions(ParseShape(shape), ParseDataType(dtype), offset ?? 0);
    }

    /// <summary>Opens with the --axes names; names that do not fit the file are a usage error in the option's words.</summary>
    public static ImageView WithAxes(ImageDimension[] axes, Func<ImageView> open)
    {
        try
        {
            return open();
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            throw new UsageException($"--axes {string.Join(",", axes)} does not fit the file: {Cli.UserMessage(ex)}");
        }
    }

    /// <summary>
    /// A raw description must fit its file: too few bytes, or bytes left over without --offset, or a .npy file
    /// described as raw, are usage errors; bytes left over after an --offset are a warning that says how many.
    /// </summary>
    private static void CheckRawSize(string path, RawOptions raw, RandomAccess access, TextWriter? warnings)
    {
        // Checked on the access the view is made from: the file is opened once, and what is checked is what is read.
        var length = access.Size;
        var description = $"--shape {string.Join(",", raw.Shape.ToArray())} --dtype {raw.Type}";
        if (raw.Offset == 0 && length >= 6)
        {
            Span<byte> magic = stackalloc byte[6];
            access.Read(0, magic);
            if (magic.SequenceEqual((ReadOnlySpan<byte>)[0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']))
            {
                throw new UsageException($"'{path}' is a .npy file, which describes itself: leave out --shape and --dtype. (To read its bytes as raw data anyway, give --offset.)");
            }
        }

        var needed = ByteCount(raw.Shape, raw.Type);
        var available = length - raw.Offset;
        if (raw.Offset > 0 && raw.Offset >= length)
        {
            throw new UsageException($"--offset {raw.Offset} is past the end of '{path}', which holds {length} bytes; check the offset.");
        }

        if (available < needed)
        {
            throw new UsageException(
                $"'{path}' holds {length} bytes, but {description} needs {needed}" + (raw.Offset > 0 ? $" after --offset {raw.Offset}" : "") + "; check the shape and type.");
        }

        if (available > needed)
        {
            if (raw.Offset == 0)
            {
                throw new UsageException(
                    $"'{path}' holds {length} bytes, but {description} describes {needed}: {available - needed} bytes would be left over. Check the shape and type, or give --offset N to skip a header.");
            }

            warnings?.WriteLine($"iolink: warning: '{path}' holds {available - needed} more bytes after the {needed} that --offset {raw.Offset} {description} describes; they are ignored.");
        }
    }

    /// <summary>Sizes such as 512,512,100, as <paramref name="option"/> gives them; a usage error in that option's words otherwise.</summary>
    public static VectorXu64 ParseShape(string text, string option = "--shape")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!Numbers.TryParseDigits(parts[i], out var size) || size == 0)
            {
                throw new UsageException($"{option} '{text}' is not a list of positive sizes; write it like 512,512,100 (first dimension fastest).");
            }

            values[i] = (ulong)size;
        }

        return new VectorXu64(values);
    }

    private static readonly Dictionary<string, DataTypeId> NumpyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["uint8"] = DataTypeId.UINT8, ["int8"] = DataTypeId.INT8, ["uint16"] = DataTypeId.UINT16, ["int16"] = DataTypeId.INT16,
        ["uint32"] = DataTypeId.UINT32, ["int32"] = DataTypeId.INT32, ["uint64"] = DataTypeId.UINT64, ["int64"] = DataTypeId.INT64,
        ["float32"] = DataTypeId.FLOAT, ["float64"] = DataTypeId.DOUBLE, ["complex64"] = DataTypeId.COMPLEX_FLOAT, ["complex128"] = DataTypeId.COMPLEX_DOUBLE,
    };

    public static DataType ParseDataType(string text)
    {
        if (Enum.TryParse<DataTypeId>(text, ignoreCase: true, out var id) && id != DataTypeId.UNKNOWN && Enum.IsDefined(id) && !int.TryParse(text, out _))
        {
            return id;
        }

        if (NumpyNames.TryGetValue(text, out id))
        {
            return id;
        }

        if (text.Equals("FLOAT16", StringComparison.OrdinalIgnoreCase) || text.Equals("float16", StringComparison.OrdinalIgnoreCase))
        {
            return new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16);
        }

        throw new UsageException($"--dtype '{text}' is not a data type; use an IOLink name (UINT8, UINT16, FLOAT, VEC3_UINT8, ...) or a NumPy one (uint16, float32, ...).");
    }

    /// <summary>Dimension names such as ROW,COLUMN (or Y,X), as <paramref name="option"/> gives them; a usage error in that option's words otherwise.</summary>
    public static ImageDimension[]? ParseAxes(string? text, string option = "--axes")
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new ImageDimension[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            result[i] = parts[i].ToUpperInvariant() switch
            {
                "X" or "COLUMN" => ImageDimension.COLUMN,
                "Y" or "ROW" => ImageDimension.ROW,
                "Z" or "SLICE" => ImageDimension.SLICE,
                "C" or "CHANNEL" => ImageDimension.CHANNEL,
                "T" or "SEQUENCE" => ImageDimension.SEQUENCE,
                _ => throw new UsageException($"{option} '{text}': '{parts[i]}' is not a dimension; use COLUMN, ROW, SLICE, CHANNEL, SEQUENCE (or X, Y, Z, C, T)."),
            };
        }

        return result;
    }

    /// <summary>
    /// --layout: the file's axes as letters (t, c, z, y, x, as OME and tifffile name them), in its own order; a last
    /// <c>s</c> names colour samples, which become the components of a vector element (RGB) and so are not a dimension.
    /// </summary>
    public static ImageDimension[] ParseLayout(string text)
    {
        var letters = text.Trim().ToLowerInvariant();
        var samples = letters.EndsWith('s');
        var dims = samples ? letters[..^1] : letters;
        if (dims.Length == 0 || dims.Contains('s'))
        {
            throw new UsageException($"--layout '{text}': name each axis with t, c, z, y or x (s only last, for colour samples), e.g. --layout tczyx or --layout yxs.");
        }

        var result = new ImageDimension[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            result[i] = dims[i] switch
            {
                'x' => ImageDimension.COLUMN,
                'y' => ImageDimension.ROW,
                'z' => ImageDimension.SLICE,
                'c' => ImageDimension.CHANNEL,
                't' => ImageDimension.SEQUENCE,
                _ => throw new UsageException($"--layout '{text}': '{dims[i]}' is not an axis letter; use t, c, z, y, x (and s last for colour samples), e.g. --layout tczyx."),
            };
            if (result.AsSpan(0, i).Contains(result[i]))
            {
                throw new UsageException($"--layout '{text}' names '{dims[i]}' twice; name each axis once.");
            }
        }

        return result;
    }

    /// <summary>
    /// Opens FILE as a view. A .npy file is memory-mapped read-only (axes named by <paramref name="axes"/> in the
    /// array's axis order when given, else by <see cref="DefaultType"/> in NumPy order); a raw file is read through a file access with the raw options, its
    /// dimensions named in view order by <paramref name="axes"/>; an HDF5 file's <paramref name="dataset"/> (the only one when null).
    /// </summary>

    public static ImageView Open(string path, RawOptions? raw, ImageDimension[]? axes, TextWriter? warnings = null, string? dataset = null)
    {
        if (dataset is not null)
        {
            var format = !Locations.IsRemote(path) && (Directory.Exists(path) || !File.Exists(path)) ? null : FileFormats.Of(path);
            if (raw is not null || format is not { TakesDataset: true })
            {
                throw new UsageException($"--dataset names a dataset of an HDF5 file; '{path}' is {(raw is not null ? "raw data" : format is null ? "not one" : "a " + format.Name + " file")}, so leave it out.");
            }
        }

        var view = OpenInput(path, raw, axes, warnings, dataset, out var opened);
        if (axes is null && opened == FileFormats.Npy && warnings is not null)
        {
            // The rank rules take (H, W, 3) for a volume of 3 slices: say so when the last axis looks like colour. A
            // .npy of rank 3 or 4 opened by its rank is a VOLUME or VOLUME_SEQUENCE in NumPy order, so its NumPy
            // shape is the view's reversed, and its last axis the view's first dimension.
            var rank = view.DimensionCount;
            if (rank is 3 or 4 && view.Shape[0] is 3 or 4)
            {
                var shape = new System.Text.StringBuilder();
                for (var d = rank - 1; d >= 0; d--)
                {
                    shape.Append(view.Shape[d]).Append(d > 0 ? ", " : "");
                }

                warnings.WriteLine($"iolink: note: '{path}' has shape ({shape}), read as {view.AxesInterpretation} by its rank; if its last axis holds colour, give --layout {(rank == 3 ? "yxs" : "zyxs")}.");
            }
        }

        return view;
    }

    private static ImageView OpenInput(string path, RawOptions? raw, ImageDimension[]? axes, TextWriter? warnings, string? dataset, out FileFormat? format)
    {
        format = null;
        if (Locations.IsRemote(path) && raw is null)
        {
            // A server is asked what is at the address: a Zarr node's metadata, or a file's first bytes.
            var remote = format = FileFormats.Of(path)
                ?? throw new InvalidFileFormatException($"'{path}' is neither a Zarr array nor a .npy, TIFF or HDF5 file (by its name and its first bytes); describe raw data with --shape and --dtype.");
            return remote.Open(path, axes, dataset);
        }

        if (Locations.IsRemote(path))
        {
            return OpenRaw(path, raw!, axes, warnings);
        }

        if (Directory.Exists(path))
        {
            // A folder is a store of one of the formats, or not an input at all. FIFOs and devices are refused by the readers.
            var store = FileFormats.Of(path);
            if (store is null)
            {
                throw new IOException($"'{path}' is a directory; name a .npy or raw file, or a Zarr array (a folder holding zarr.json or .zarray).");
            }

            if (raw is not null)
            {
                throw new UsageException($"'{path}' is a {store.Name} array, which describes itself; leave out --shape, --dtype and --offset.");
            }

            return store.Open(path, axes, dataset);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no file '{path}'; check the path.", path);
        }

        if (raw is null)
        {
            format = FileFormats.Of(path)
                ?? throw new UsageException($"'{path}' is not a .npy file; describe raw data with --shape X,Y[,Z...] and --dtype NAME (and --offset N for a header).");
            return format.Open(path, axes, dataset);
        }

        return OpenRaw(path, raw, axes, warnings);
    }

    /// <summary>A raw file (local or remote) as a view of the raw options' shape and type.</summary>
    private static ImageView OpenRaw(string path, RawOptions raw, ImageDimension[]? axes, TextWriter? warnings)
    {
        using var access = Locations.OpenRead(path);
        CheckRawSize(path, raw, access, warnings);
        var view = ImageViewFactory.FromRandomAccess(access, raw.Offset, raw.Shape, raw.Type);
        var type = DefaultType(raw.Shape.Size);
        if (axes is null && type == ImageTypeId.UNKNOWN)
        {
            return view;
        }

        using (view)
        {
            return axes is null ? ImageViewFactory.Reinterpret(view, type) : WithAxes(axes, () => ImageViewFactory.ReinterpretAxes(view, axes));
        }
    }

    /// <summary>The bytes a raw file of <paramref name="shape"/> holds; an ArgumentException (exit 1) past 2^63.</summary>
    private static long ByteCount(VectorXu64 shape, DataType type)
    {
        long n = type.ByteCount;
        foreach (var s in shape.ToArray())
        {
            if (s > long.MaxValue || (n != 0 && (long)s > long.MaxValue / n))
            {
                throw new ArgumentException($"A {type} view of shape {shape} would need more than 2^63 bytes; use a smaller shape.", nameof(shape));
            }

            n *= (long)s;
        }

        return n;
    }
}
