namespace IOLink.Tiff.Internal;

/// <summary>
/// One TIFF page (image file directory) as an image: its size, samples, data type, compression, predictor, planar
/// configuration and the byte ranges of its strips or tiles, each checked against the file.
/// </summary>
internal sealed class TiffPage
{
    private const ushort NewSubfileTypeTag = 254, ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, CompressionTag = 259, Photometric = 262,
        ImageDescription = 270, StripOffsets = 273, SamplesPerPixelTag = 277, RowsPerStrip = 278, StripByteCounts = 279,
        PlanarConfiguration = 284, PredictorTag = 317, TileWidthTag = 322, TileLengthTag = 323, TileOffsets = 324, TileByteCounts = 325,
        SampleFormat = 339, XResolutionTag = 282, YResolutionTag = 283, SubIfdsTag = 330;

    /// <summary>The most bytes of an ImageDescription read (OME-XML of large plates is megabytes).</summary>
    public const int MaxDescription = 64 << 20;

    public required long Width { get; init; }

    public required long Height { get; init; }

    public required int SamplesPerPixel { get; init; }

    /// <summary>The type of one sample (UINT8 ... DOUBLE).</summary>
    public required DataType SampleType { get; init; }

    /// <summary>The TIFF compression value (1 none, 5 LZW, 8 and 32946 Deflate, 32773 PackBits, 50000 Zstandard).</summary>
    public required int Compression { get; init; }

    /// <summary>1 none, 2 horizontal differencing, 3 floating point.</summary>
    public required int Predictor { get; init; }

    /// <summary>Whether samples are stored in separate planes (PlanarConfiguration 2).</summary>
    public required bool Planar { get; init; }

    /// <summary>The rows and columns of one strip or tile (a strip is the image's width).</summary>
    public required long ChunkRows { get; init; }

    public required long ChunkColumns { get; init; }

    /// <summary>Whether the chunks are tiles (padded to whole tiles) rather than strips (the last strip is shorter).</summary>
    public required bool Tiled { get; init; }

    /// <summary>Each strip's or tile's offset and byte count, in the file's order (planes after each other when planar).</summary>
    public required long[] Offsets { get; init; }

    public required long[] ByteCounts { get; init; }

    /// <summary>The ImageDescription, or null.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the samples are single bits (a bilevel image), stored 8 to a byte, each row starting on a byte.</summary>
    public bool Bilevel { get; init; }

    /// <summary>Whether the page is a reduced-resolution image (NewSubfileType bit 0) or a mask.</summary>
    public bool Reduced { get; init; }

    /// <summary>The offsets of the page's SubIFDs (its reduced resolutions, as tifffile and Bio-Formats write pyramids); empty when none.</summary>
    public long[] SubIfds { get; init; } = [];

    /// <summary>Pixels per resolution unit along X and Y (XResolution, YResolution), or null.</summary>
    public double? XResolution { get; init; }

    public double? YResolution { get; init; }

    /// <summary>The strips or tiles along Y and X of one plane.</summary>
    public long ChunksDown => (Height + ChunkRows - 1) / ChunkRows;

    public long ChunksAcross => (Width + ChunkColumns - 1) / ChunkColumns;

    /// <summary>The compression as <c>iolink info</c> shows it.</summary>
    public string CompressionName => Compression switch
    {
        1 => "none",
        5 => "LZW",
        8 or 32946 => "Deflate",
        32773 => "PackBits",
        50000 => "Zstandard",
        _ => $"compression {Compression}",
    };

    /// <summary>Reads a page's description; what IOLink does not read (JPEG, odd bit depths) is refused by name.</summary>
    /// <exception cref="InvalidFileFormatException">The page is damaged or of a kind IOLink does not read.</exception>
    public static TiffPage Read(TiffDirectory directory, TiffDirectory.Ifd ifd, string name, string label, long fileSize, bool description)
    {
        var where = $"'{name}' {label}";
        var width = directory.Integer(ifd, ImageWidth, 0);
        var height = directory.Integer(ifd, ImageLength, 0);
        if (width < 1 || height < 1 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new InvalidFileFormatException($"{where} is {width} x {height} pixels; a page has 1 to 2^31 - 1 rows and columns.");
        }

        var samples = directory.Integer(ifd, SamplesPerPixelTag, 1);
        if (samples is < 1 or > 64)
        {
            throw new InvalidFileFormatException($"{where} has {samples} samples per pixel; IOLink reads 1 to 64.");
        }

        var bits = directory.Integers(ifd, BitsPerSample, 64) ?? [1];
        if (bits.Length == 0 || bits.Any(b => b != bits[0]))
        {
            throw new InvalidFileFormatException($"{where} has samples of different bit depths ({string.Join(", ", bits)}); IOLink reads pages whose samples share one type.");
        }

        var format = directory.Integers(ifd, SampleFormat, 64)?.FirstOrDefault(1) ?? 1;
        // 1-bit samples (bilevel images, as tifffile writes bool arrays) are unpacked to one byte each: BINARY.
        var bilevel = bits[0] == 1 && format is 1 or 4;
        if (bilevel && samples != 1)
        {
            throw new InvalidFileFormatException($"{where} has {samples} 1-bit samples per pixel; IOLink reads 1-bit images of one sample.");
        }

        DataType sampleType = (format, bits[0]) switch
        {
            (1 or 4, 1) => DataTypeId.UINT8,
            (1 or 4, 8) => DataTypeId.UINT8,
            (1 or 4, 16) => DataTypeId.UINT16,
            (1 or 4, 32) => DataTypeId.UINT32,
            (1 or 4, 64) => DataTypeId.UINT64,
            (2, 8) => DataTypeId.INT8,
            (2, 16) => DataTypeId.INT16,
            (2, 32) => DataTypeId.INT32,
            (2, 64) => DataTypeId.INT64,
            (3, 32) => DataTypeId.FLOAT,
            (3, 64) => DataTypeId.DOUBLE,
            _ => throw new InvalidFileFormatException(
                $"{where} holds {bits[0]}-bit samples of sample format {format}; IOLink reads 1-bit (bilevel), 8- to 64-bit integers and 32- and 64-bit floats (12-bit, 16-bit float and complex samples are not read yet)."),
        };

        var compression = (int)directory.Integer(ifd, CompressionTag, 1);
        if (compression is not (1 or 5 or 8 or 32946 or 32773 or 50000))
        {
            var known = compression switch
            {
                6 or 7 => "JPEG",
                34712 or 33003 or 33005 => "JPEG 2000",
                34925 => "LZMA",
                50001 => "WebP",
                2 or 3 or 4 => "CCITT (fax)",
                _ => $"compression {compression}",
            };
            throw new InvalidFileFormatException($"{where} is compressed with {known}, which IOLink does not decode; it reads uncompressed, LZW, Deflate, PackBits and Zstandard TIFFs (tifffile: compression='zlib').");
        }

        var predictor = (int)directory.Integer(ifd, PredictorTag, 1);
        if (predictor is not (1 or 2 or 3) || (predictor == 3 && sampleType.PrimitiveType != PrimitiveTypeId.FLOATING_POINT) || (bilevel && predictor != 1))
        {
            throw new InvalidFileFormatException($"{where} has predictor {predictor} for {sampleType} samples; IOLink reads none (1), horizontal (2) and floating point (3, for floats).");
        }

        var planar = directory.Integer(ifd, PlanarConfiguration, 1) == 2 && samples > 1;
        var tiled = ifd.Entries.ContainsKey(TileWidthTag);
        long rows, columns;
        if (tiled)
        {
            columns = directory.Integer(ifd, TileWidthTag, 0);
            rows = directory.Integer(ifd, TileLengthTag, 0);
            if (columns < 1 || rows < 1 || columns > 1 << 16 || rows > 1 << 16)
            {
                throw new InvalidFileFormatException($"{where} has tiles of {columns} x {rows}; tiles are 1 to 65536 pixels on a side.");
            }
        }
        else
        {
            columns = width;
            rows = Math.Clamp(directory.Integer(ifd, RowsPerStrip, height), 1, height);
        }

        var planes = planar ? samples : 1;
        var perPlane = ((height + rows - 1) / rows) * ((width + columns - 1) / columns);
        var expected = perPlane * planes;
        var offsets = directory.Integers(ifd, tiled ? TileOffsets : StripOffsets, expected)
            ?? throw new InvalidFileFormatException($"{where} has no {(tiled ? "TileOffsets" : "StripOffsets")}; it holds no image data.");
        var counts = directory.Integers(ifd, tiled ? TileByteCounts : StripByteCounts, expected)
            ?? throw new InvalidFileFormatException($"{where} has no {(tiled ? "TileByteCounts" : "StripByteCounts")}; IOLink needs them to find the data.");
        if (offsets.Length != expected || counts.Length != expected)
        {
            throw new InvalidFileFormatException($"{where} lists {offsets.Length} offsets and {counts.Length} byte counts for {expected} {(tiled ? "tiles" : "strips")}; the file is damaged.");
        }

        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] < 0 || counts[i] < 0 || offsets[i] > fileSize || counts[i] > fileSize - offsets[i])
            {
                throw new InvalidFileFormatException($"{where}: {(tiled ? "tile" : "strip")} {i} lies at bytes {offsets[i]} to {offsets[i] + counts[i]}, past the end of the file ({fileSize} bytes); the file is truncated or damaged.");
            }
        }

        var itemBytes = (long)sampleType.ByteCount * (planar ? 1 : samples);
        var rowBytes = bilevel ? (columns + 7) / 8 : columns * itemBytes;   // what one row of a strip or tile stores
        if (rows * columns * itemBytes > int.MaxValue - 64)
        {
            throw new InvalidFileFormatException($"{where} has {(tiled ? "tiles" : "strips")} of {columns} x {rows} pixels, larger than 2 GiB each; IOLink decodes each into one buffer.");
        }

        // No codec expands data past its own limit (Deflate 1032:1, LZW about 2730:1, PackBits 64:1, Zstandard's run-length blocks 32768:1; uncompressed
        // 1:1): a strip or tile that claims more pixels than its stored bytes can hold is damaged, or a decompression
        // bomb, and is refused before anything is allocated for it.
        var ratio = compression switch { 1 => 1L, 32773 => 64L, 5 => 2731L, 50000 => 32768L, _ => 1032L };
        var down = (height + rows - 1) / rows;
        for (var i = 0; i < counts.Length; i++)
        {
            var chunkRows = tiled ? rows : Math.Min(rows, height - (i % down * rows));
            var pixels = chunkRows * rowBytes;
            if (counts[i] > 0 && pixels > (counts[i] * ratio) + (compression == 1 ? 0 : 64))
            {
                throw new InvalidFileFormatException(
                    $"{where}: {(tiled ? "tile" : "strip")} {i} holds {counts[i]} bytes for {pixels} bytes of pixels, more than {(compression == 1 ? "uncompressed data holds" : "its compression can expand to")}; the file is damaged.");
            }
        }

        _ = directory.Integer(ifd, Photometric, 1);
        return new TiffPage
        {
            Width = width, Height = height, SamplesPerPixel = (int)samples, SampleType = sampleType, Compression = compression, Predictor = predictor,
            Planar = planar, ChunkRows = rows, ChunkColumns = columns, Tiled = tiled, Offsets = offsets, ByteCounts = counts, Bilevel = bilevel,
            Description = description ? directory.Text(ifd, ImageDescription, MaxDescription) : null,
            Reduced = (directory.Integer(ifd, NewSubfileTypeTag, 0) & 1) != 0,
            SubIfds = directory.Integers(ifd, SubIfdsTag, 64) ?? [],
            XResolution = directory.Rational(ifd, XResolutionTag),
            YResolution = directory.Rational(ifd, YResolutionTag),
        };
    }

    /// <summary>Whether <paramref name="other"/> has this page's shape, type and chunk layout, so both can be frames of one stack.</summary>
    public bool Matches(TiffPage other) =>
        other.Width == Width && other.Height == Height && other.SamplesPerPixel == SamplesPerPixel && other.SampleType == SampleType
        && other.Compression == Compression && other.Predictor == Predictor && other.Planar == Planar && other.ChunkRows == ChunkRows
        && other.ChunkColumns == ChunkColumns && other.Tiled == Tiled && other.Bilevel == Bilevel;

    /// <summary>This page's layout with its data <paramref name="shift"/> bytes further on (the next page of a contiguous stack whose directories are not read).</summary>
    public TiffPage Shifted(long shift) => new()
    {
        Width = Width, Height = Height, SamplesPerPixel = SamplesPerPixel, SampleType = SampleType, Compression = Compression,
        Predictor = Predictor, Planar = Planar, ChunkRows = ChunkRows, ChunkColumns = ChunkColumns, Tiled = Tiled, Bilevel = Bilevel,
        Offsets = Array.ConvertAll(Offsets, o => o + shift), ByteCounts = ByteCounts,
    };
}
