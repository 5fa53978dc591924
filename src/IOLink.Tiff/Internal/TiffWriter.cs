using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace IOLink.Tiff.Internal;

/// <summary>
/// Writes an image (and its reduced resolutions) as a TIFF: each plane's pixels first, band by band (a row of tiles
/// or one strip at a time, so memory stays bounded by one band whatever the image's size), compressed on every core,
/// then every directory at the end and the header's first-directory offset patched last. Planes are written T, C, Z
/// (Z fastest), as OME's XYZCT order says; an uncompressed image in strips is one contiguous run that reading maps.
/// </summary>
internal sealed class TiffWriter
{
    private const ushort NewSubfileType = 254, ImageWidth = 256, ImageLength = 257, BitsPerSample = 258, CompressionTag = 259, Photometric = 262,
        ImageDescription = 270, StripOffsets = 273, SamplesPerPixel = 277, RowsPerStrip = 278, StripByteCounts = 279, PlanarConfiguration = 284,
        Software = 305, TileWidthTag = 322, TileLengthTag = 323, TileOffsets = 324, TileByteCounts = 325, SubIfds = 330, ExtraSamples = 338,
        SampleFormat = 339;

    private readonly Stream _out;
    private readonly bool _big;
    private readonly TiffWriteOptions _options;
    private long _position;

    private TiffWriter(Stream output, bool big, TiffWriteOptions options)
    {
        _out = output;
        _big = big;
        _options = options;
    }

    /// <summary>One page as written: its size, where its strips or tiles went, and the directory entries it needs.</summary>
    private sealed class Page
    {
        public required long Width;
        public required long Height;
        public required long ChunkRows;
        public required long ChunkColumns;
        public required long[] Offsets;
        public required long[] Counts;
        public bool Reduced;
        public string? Description;
        public List<Page> Levels = [];
    }

    /// <summary>What every page of the image shares: sample type and count, compression, tiling.</summary>
    private sealed record Layout(DataType Sample, int Samples, int Compression, bool Tiled, long TileColumns, long TileRows);

    /// <summary>The planes of the image, in file order, each with its reduced resolutions (level 0 first).</summary>
    public sealed record Source(long PlaneCount, Func<long, ImageView[]> PlaneLevels, long Width, long Height, DataType Type);

    /// <summary>Writes <paramref name="source"/> to <paramref name="output"/> (a seekable stream) as a TIFF with <paramref name="description"/> on its first page.</summary>
    public static void Write(Stream output, Source source, string? description, TiffWriteOptions options, bool big, string path)
    {
        if (!output.CanSeek)
        {
            throw new IOException($"'{path}' is not a regular file; a TIFF is written with its directories' offsets filled in at the end, so write it to a file.");
        }

        var writer = new TiffWriter(output, big, options);
        writer.WriteAll(source, description);
    }

    private void WriteAll(Source source, string? description)
    {
        var sample = source.Type.ComponentType;
        var samples = (int)source.Type.Dimension;
        var compression = _options.Compression switch
        {
            TiffCompression.None => 1,
            TiffCompression.Deflate => 8,
            _ => 50000,
        };
        var tiled = _options.Compression != TiffCompression.None || _options.TileWidth > 0;
        var tileColumns = _options.TileWidth > 0 ? _options.TileWidth : Math.Min(256, RoundUp16(source.Width));
        var tileRows = _options.TileHeight > 0 ? _options.TileHeight : Math.Min(256, RoundUp16(source.Height));
        var layout = new Layout(sample, samples, compression, tiled, tileColumns, tileRows);

        // Header: byte order, version, first directory offset (patched at the end).
        Span<byte> header = stackalloc byte[16];
        header.Clear();
        header[0] = (byte)'I';
        header[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(_big ? 43 : 42));
        if (_big)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 8);
        }

        Emit(header[..(_big ? 16 : 8)]);
        var pages = new List<Page>();
        for (long p = 0; p < source.PlaneCount; p++)
        {
            var levels = source.PlaneLevels(p);
            try
            {
                var page = WritePixels(levels[0], layout);
                for (var k = 1; k < levels.Length; k++)
                {
                    var reduced = WritePixels(levels[k], layout);
                    reduced.Reduced = true;
                    page.Levels.Add(reduced);
                }

                pages.Add(page);
            }
            finally
            {
                foreach (var level in levels)
                {
                    level.Dispose();
                }
            }
        }

        pages[0].Description = description;
        var first = WriteDirectories(pages, layout);
        _out.Position = _big ? 8 : 4;
        Span<byte> offset = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(offset, first);
        _out.Write(offset[..(_big ? 8 : 4)]);
        _out.Position = _position;
    }

    private static long RoundUp16(long n) => (n + 15) / 16 * 16;

    /// <summary>Writes one plane's pixels (a 2-D view of X and Y) in strips or tiles, a band of rows at a time.</summary>
    private Page WritePixels(ImageView plane, Layout layout)
    {
        var width = (long)plane.Shape[0];
        var height = plane.DimensionCount > 1 ? (long)plane.Shape[1] : 1;
        var pixelBytes = (long)layout.Sample.ByteCount * layout.Samples;
        // Tiles: a row of tiles at a time. Strips (uncompressed only): about 8 MiB of rows each.
        var bandRows = layout.Tiled ? layout.TileRows : Math.Max(1, Math.Min(height, (8L << 20) / Math.Max(1, width * pixelBytes)));
        var columns = layout.Tiled ? layout.TileColumns : width;
        var across = (width + columns - 1) / columns;
        var down = (height + bandRows - 1) / bandRows;
        var page = new Page
        {
            Width = width, Height = height, ChunkRows = bandRows, ChunkColumns = columns,
            Offsets = new long[across * down], Counts = new long[across * down],
        };
        var band = new byte[checked(bandRows * width * pixelBytes)];
        var origin = new ulong[plane.DimensionCount];
        var size = plane.Shape.ToArray();
        for (long b = 0; b < down; b++)
        {
            var rows = Math.Min(bandRows, height - (b * bandRows));
            if (plane.DimensionCount > 1)
            {
                origin[1] = (ulong)(b * bandRows);
                size[1] = (ulong)rows;
            }

            var bytes = band.AsSpan(0, (int)(rows * width * pixelBytes));
            plane.ReadRegion(new RegionXu64(new VectorXu64(origin), new VectorXu64(size)), bytes);
            if (!layout.Tiled)
            {
                // A strip is the band's rows as they are (uncompressed: written straight from the band); the last
                // strip holds only the rows left.
                page.Offsets[b] = _position;
                page.Counts[b] = bytes.Length;
                Emit(bytes);
                continue;
            }

            var tiles = new ReadOnlyMemory<byte>[across];
            var bandCopy = band;
            Parallel.For(0, (int)across, new ParallelOptions { MaxDegreeOfParallelism = CopyParallelism.MaxDegreeOfParallelism }, t =>
            {
                // Each tile is padded to its full size with zeros past the image's edge, as TIFF tiles are.
                var tile = new byte[layout.TileRows * layout.TileColumns * pixelBytes];
                var x0 = t * layout.TileColumns;
                var tileWidth = Math.Min(layout.TileColumns, width - x0);
                for (long y = 0; y < rows; y++)
                {
                    bandCopy.AsSpan((int)(((y * width) + x0) * pixelBytes), (int)(tileWidth * pixelBytes))
                        .CopyTo(tile.AsSpan((int)(y * layout.TileColumns * pixelBytes)));
                }

                tiles[t] = Encode(tile, layout);
            });
            for (var t = 0; t < across; t++)
            {
                page.Offsets[(b * across) + t] = _position;
                page.Counts[(b * across) + t] = tiles[t].Length;
                Emit(tiles[t].Span);
            }
        }

        return page;
    }

    private ReadOnlyMemory<byte> Encode(ReadOnlySpan<byte> data, Layout layout)
    {
        switch (layout.Compression)
        {
            case 1:
                return data.ToArray();
            case 8:
            {
                using var buffer = new MemoryStream(data.Length / 2);
                using (var zlib = new ZLibStream(buffer, new ZLibCompressionOptions { CompressionLevel = _options.CompressionLevel ?? 6 }, leaveOpen: true))
                {
                    zlib.Write(data);
                }

                return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            }

            default:
            {
                using var compressor = new ZstdSharp.Compressor(_options.CompressionLevel ?? 3);
                return compressor.Wrap(data).ToArray();
            }
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        _position += bytes.Length;
    }

    /// <summary>Writes each page's directory (its reduced levels' first, which it points to), chained; returns the first main directory's offset.</summary>
    private long WriteDirectories(List<Page> pages, Layout layout)
    {
        if ((_position & 1) != 0)
        {
            Emit([0]);   // directories start on a word boundary
        }

        long first = 0;
        long previousNext = -1;
        foreach (var page in pages)
        {
            var subOffsets = new List<long>();
            foreach (var level in page.Levels)
            {
                subOffsets.Add(WriteDirectory(level, layout, [], out _));
            }

            var at = WriteDirectory(page, layout, subOffsets, out var nextField);
            if (previousNext < 0)
            {
                first = at;
            }
            else
            {
                Patch(previousNext, at);
            }

            previousNext = nextField;
        }

        return first;
    }

    private void Patch(long field, long value)
    {
        var here = _position;
        _out.Position = field;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _out.Write(bytes[..(_big ? 8 : 4)]);
        _out.Position = here;
    }

    /// <summary>One directory entry with its values as little-endian bytes.</summary>
    private readonly record struct Entry(ushort Tag, ushort Type, long Count, byte[] Values);

    private long WriteDirectory(Page page, Layout layout, List<long> subIfds, out long nextField)
    {
        var entries = new List<Entry>
        {
            Long(NewSubfileType, page.Reduced ? 1 : 0),
            Long(ImageWidth, page.Width),
            Long(ImageLength, page.Height),
            Shorts(BitsPerSample, Enumerable.Repeat(layout.Sample.BitDepth, layout.Samples).Select(b => (long)b)),
            Shorts(CompressionTag, [layout.Compression]),
            Shorts(Photometric, [layout.Samples is 3 or 4 && layout.Sample.BitDepth <= 16 && layout.Sample.PrimitiveType == PrimitiveTypeId.UNSIGNED_INTEGER ? 2 : 1]),
            Shorts(SamplesPerPixel, [layout.Samples]),
            Shorts(PlanarConfiguration, [1]),
            Ascii(Software, "IOLink"),
            Shorts(SampleFormat, Enumerable.Repeat(layout.Sample.PrimitiveType switch
            {
                PrimitiveTypeId.SIGNED_INTEGER => 2L,
                PrimitiveTypeId.FLOATING_POINT => 3L,
                _ => 1L,
            }, layout.Samples)),
        };
        if (page.Description is { } description)
        {
            entries.Add(Ascii(ImageDescription, description));
        }

        if (layout.Samples is 2 or 4)
        {
            // The sample past gray or RGB: unassociated alpha for RGBA, unspecified for gray + 1.
            entries.Add(Shorts(ExtraSamples, [layout.Samples == 4 && layout.Sample.BitDepth <= 16 ? 2 : 0]));
        }

        if (layout.Tiled)
        {
            entries.Add(Long(TileWidthTag, page.ChunkColumns));
            entries.Add(Long(TileLengthTag, page.ChunkRows));
            entries.Add(Offsets(TileOffsets, page.Offsets));
            entries.Add(Offsets(TileByteCounts, page.Counts));
        }
        else
        {
            entries.Add(Offsets(StripOffsets, page.Offsets));
            entries.Add(Long(RowsPerStrip, page.ChunkRows));
            entries.Add(Offsets(StripByteCounts, page.Counts));
        }

        if (subIfds.Count > 0)
        {
            entries.Add(new Entry(SubIfds, (ushort)(_big ? 18 : 13), subIfds.Count, Numbers(subIfds, _big ? 8 : 4)));
        }

        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));

        // [count][entries][next][values that do not fit in an entry]
        var countSize = _big ? 8 : 2;
        var entrySize = _big ? 20 : 12;
        var inline = _big ? 8 : 4;
        var offsetSize = _big ? 8 : 4;
        var start = _position;
        var valuesAt = start + countSize + (entries.Count * entrySize) + offsetSize;
        using var block = new MemoryStream();
        using var outOfLineOwner = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, entries.Count);
        block.Write(number[..countSize]);
        var outOfLine = outOfLineOwner;
        Span<byte> e = stackalloc byte[20];
        foreach (var entry in entries)
        {
            e.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(e, entry.Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], entry.Type);
            if (_big)
            {
                BinaryPrimitives.WriteInt64LittleEndian(e[4..], entry.Count);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(e[4..], checked((uint)entry.Count));
            }

            var value = e[(_big ? 12 : 8)..entrySize];
            if (entry.Values.Length <= inline)
            {
                entry.Values.CopyTo(value);
            }
            else
            {
                var where = valuesAt + outOfLine.Length;
                if (_big)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(value, where);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(value, checked((uint)where));
                }

                outOfLine.Write(entry.Values);
                if ((outOfLine.Length & 1) != 0)
                {
                    outOfLine.WriteByte(0);
                }
            }

            block.Write(e[..entrySize]);
        }

        nextField = start + block.Length;
        block.Write(new byte[offsetSize]);
        outOfLine.Position = 0;
        outOfLine.CopyTo(block);
        Emit(block.GetBuffer().AsSpan(0, (int)block.Length));
        return start;
    }

    private Entry Offsets(ushort tag, long[] values)
    {
        if (!_big && values.Any(v => v > uint.MaxValue))
        {
            throw new IOException("The TIFF grew past 4 GiB, which a classic TIFF cannot address; write it again with TiffWriteOptions.BigTiff = true.");
        }

        return new Entry(tag, (ushort)(_big ? 16 : 4), values.Length, Numbers(values, _big ? 8 : 4));
    }

    private static Entry Long(ushort tag, long value) => new(tag, 4, 1, Numbers([checked((uint)value)], 4));

    private static Entry Shorts(ushort tag, IEnumerable<long> values)
    {
        var list = values.ToList();
        return new Entry(tag, 3, list.Count, Numbers(list, 2));
    }

    private static Entry Ascii(ushort tag, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        return new Entry(tag, 2, bytes.Length, bytes);
    }

    private static byte[] Numbers(IEnumerable<long> values, int size)
    {
        var list = values.ToList();
        var bytes = new byte[list.Count * size];
        for (var i = 0; i < list.Count; i++)
        {
            var span = bytes.AsSpan(i * size, size);
            switch (size)
            {
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)list[i]);
                    break;
                case 4:
                    BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)list[i]);
                    break;
                default:
                    BinaryPrimitives.WriteInt64LittleEndian(span, list[i]);
                    break;
            }
        }

        return bytes;
    }

    /// <summary>
    /// The OME-XML of one image: its size along X, Y, Z, C and T in XYZCT order, its type, its voxel size in OME's
    /// unit symbols, a Channel per channel (with its samples per pixel and, when the view's metadata has them, names),
    /// and one TiffData for all its planes from the first page.
    /// </summary>
    public static string OmeXml(long x, long y, long z, long c, long t, DataType type, double[] spacing, string unit, string?[] channelNames, string name)
    {
        XNamespace ns = "http://www.openmicroscopy.org/Schemas/OME/2016-06";
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var inv = CultureInfo.InvariantCulture;
        var component = type.ComponentType;
        var typeName = (component.PrimitiveType, component.BitDepth) switch
        {
            (PrimitiveTypeId.UNSIGNED_INTEGER, var b) => $"uint{b}",
            (PrimitiveTypeId.SIGNED_INTEGER, var b) => $"int{b}",
            (PrimitiveTypeId.FLOATING_POINT, 32) => "float",
            _ => "double",
        };
        var samples = (long)type.Dimension;
        var pixels = new XElement(ns + "Pixels",
            new XAttribute("ID", "Pixels:0"),
            new XAttribute("DimensionOrder", "XYZCT"),
            new XAttribute("Type", typeName),
            new XAttribute("SizeX", x), new XAttribute("SizeY", y), new XAttribute("SizeZ", z),
            new XAttribute("SizeC", c * samples), new XAttribute("SizeT", t),
            new XAttribute("BigEndian", "false"), new XAttribute("Interleaved", samples > 1 ? "true" : "false"));
        var symbol = unit switch
        {
            "micrometer" or "um" or "µm" => "µm",
            "nanometer" or "nm" => "nm",
            "millimeter" or "mm" => "mm",
            "centimeter" or "cm" => "cm",
            "meter" or "m" => "m",
            "picometer" or "pm" => "pm",
            "angstrom" => "Å",
            _ => null,
        };
        var axes = new[] { "X", "Y", "Z" };
        var any = symbol is not null || spacing.Any(s => s != 1);
        for (var k = 0; k < 3 && any; k++)
        {
            if (double.IsFinite(spacing[k]) && spacing[k] > 0 && (k < 2 || z > 1))
            {
                pixels.Add(new XAttribute("PhysicalSize" + axes[k], spacing[k].ToString("R", inv)));
                if (symbol is not null)
                {
                    pixels.Add(new XAttribute("PhysicalSize" + axes[k] + "Unit", symbol));
                }
            }
        }

        for (var i = 0; i < c; i++)
        {
            var channel = new XElement(ns + "Channel", new XAttribute("ID", $"Channel:0:{i}"), new XAttribute("SamplesPerPixel", samples));
            if (i < channelNames.Length && channelNames[i] is { } channelName)
            {
                channel.Add(new XAttribute("Name", channelName));
            }

            pixels.Add(channel);
        }

        pixels.Add(new XElement(ns + "TiffData", new XAttribute("IFD", 0), new XAttribute("PlaneCount", z * c * t)));
        var image = new XElement(ns + "Image", new XAttribute("ID", "Image:0"), pixels);
        if (name.Length > 0)
        {
            image.Add(new XAttribute("Name", name));
        }

        var ome = new XElement(ns + "OME",
            new XAttribute(XNamespace.Xmlns + "xsi", xsi),
            new XAttribute(xsi + "schemaLocation", "http://www.openmicroscopy.org/Schemas/OME/2016-06 http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd"),
            new XAttribute("UUID", "urn:uuid:" + Guid.NewGuid().ToString()),
            new XAttribute("Creator", "IOLink"),
            image);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + ome.ToString(SaveOptions.DisableFormatting);
    }
}
