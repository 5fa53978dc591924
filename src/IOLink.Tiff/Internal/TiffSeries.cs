using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace IOLink.Tiff.Internal;

/// <summary>
/// One image of a TIFF file as tifffile calls it a series: its planes (pages of one size, type and layout) arranged
/// along named plane axes, its spatial calibration and channel names, and its reduced resolutions (SubIFDs of each
/// plane). A file is read as one of four kinds: OME-TIFF (OME-XML in the first page's description, one series per
/// Image), ImageJ (a hyperstack description), tifffile's shaped description, or plain pages (the first page and those
/// like it).
/// </summary>
internal sealed class TiffSeries
{
    /// <summary>OME, ImageJ, shaped or pages.</summary>
    public required string Kind { get; init; }

    /// <summary>The series' name (OME's Image Name), or empty.</summary>
    public string Name { get; init; } = "";

    /// <summary>The plane axes, outermost first, as OME and tifffile letter them (T, C, Z; Q for plain pages); lengths over 1 only.</summary>
    public required char[] PlaneAxes { get; init; }

    /// <summary>The length of each plane axis.</summary>
    public required long[] PlaneSizes { get; init; }

    /// <summary>Each plane's page, in C order over the plane axes (a contiguous stack taken at its word: <see cref="ShiftedPages"/>).</summary>
    public required IReadOnlyList<TiffPage> Planes { get; init; }

    /// <summary>The voxel size along X, Y and Z (NaN where the file does not say).</summary>
    public double[] Spacing { get; init; } = [double.NaN, double.NaN, double.NaN];

    /// <summary>The spacing's unit in UDUNITS-2 words, as OME-Zarr names it (<c>micrometer</c>), or empty.</summary>
    public string Unit { get; init; } = "";

    /// <summary>The channels' names, when the file gives them.</summary>
    public string?[]? ChannelNames { get; init; }

    /// <summary>The reduced resolutions a file stores after the series' pages in the main chain (pages with NewSubfileType 1), each level's planes.</summary>
    public List<TiffPage[]> ChainLevels { get; init; } = [];

    /// <summary>How many resolutions the series has: its own, and those its planes' SubIFDs or following reduced pages hold.</summary>
    public int LevelCount => 1 + Math.Max(ChainLevels.Count, Planes is ShiftedPages ? 0 : Planes.Min(p => p.SubIfds.Length));

    /// <summary>The axes as tifffile's <c>series.axes</c> writes them (<c>TCZYX</c>, <c>ZYXS</c>).</summary>
    public string AxesText
    {
        get
        {
            var first = Planes[0];
            var samples = first.SamplesPerPixel > 1 ? "S" : "";
            return new string(PlaneAxes) + (first.Planar ? samples : "") + "YX" + (first.Planar ? "" : samples);
        }
    }
}

/// <summary>
/// The pages of a contiguous stack whose directories are not read: page i is the first page's layout i page-sizes
/// further on, made when asked for (20,000 pages cost nothing until a chunked read wants one).
/// </summary>
internal sealed class ShiftedPages(TiffPage first, long pageBytes, int count) : IReadOnlyList<TiffPage>
{
    /// <summary>Where the first page's pixels start: the stack is one dense run from there.</summary>
    public long Start => first.Offsets[0];

    public int Count => count;

    public TiffPage this[int index] => (uint)index < (uint)count
        ? index == 0 ? first : first.Shifted(index * pageBytes)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"the stack has {count} pages");

    public IEnumerator<TiffPage> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Finds a TIFF file's series, reading each page's directory at most once.</summary>
internal sealed class TiffSeriesReader
{
    private const int MaxPlanes = TiffDirectory.MaxPages;
    private readonly TiffDirectory _directory;
    private readonly string _path;
    private readonly long _fileSize;
    private readonly Dictionary<int, TiffPage> _pages = [];

    public TiffSeriesReader(TiffDirectory directory, string path, long fileSize)
    {
        _directory = directory;
        _path = path;
        _fileSize = fileSize;
    }

    public TiffDirectory Directory => _directory;

    /// <summary>The file's name, as messages give it.</summary>
    public string Path => _path;

    /// <summary>The main chain's page <paramref name="index"/>, reading directories up to it; null past the last.</summary>
    public TiffPage? Page(int index)
    {
        if (_pages.TryGetValue(index, out var page))
        {
            return page;
        }

        while (_directory.Pages.Count <= index)
        {
            if (!_directory.ReadNext())
            {
                return null;
            }
        }

        page = TiffPage.Read(_directory, _directory.Pages[index], _path, $"page {index}", _fileSize, description: index == 0);
        _pages[index] = page;
        return page;
    }

    /// <summary>The pages a SubIFD offset of <paramref name="plane"/> points to.</summary>
    public TiffPage SubPage(TiffPage plane, int level, int planeIndex)
    {
        var ifd = _directory.ReadIfd(plane.SubIfds[level - 1], out _);
        return TiffPage.Read(_directory, ifd, _path, $"plane {planeIndex} level {level}", _fileSize, description: false);
    }

    /// <summary>The file's series: every one when <paramref name="all"/>, else the first (reading as few directories as that takes).</summary>
    /// <exception cref="InvalidFileFormatException">The file is damaged, or its metadata contradicts its pages.</exception>
    public List<TiffSeries> Read(bool all)
    {
        var first = Page(0)!;
        var text = first.Description;
        if (text is not null && text.Contains("<OME", StringComparison.Ordinal) && OmeDocument(text) is { } ome)
        {
            return OmeSeries(ome, all);
        }

        if (text is not null && text.StartsWith("ImageJ=", StringComparison.Ordinal))
        {
            return [ImageJSeries(first, text)];
        }

        var series = new List<TiffSeries> { PageStack(first, 0, text is not null && text.StartsWith('{') ? "shaped" : "pages") };
        if (all)
        {
            // The rest of the chain: each further run of alike pages is a series of its own (tifffile's generic rule).
            var next = series[0].Planes.Count + series[0].ChainLevels.Count;
            while (Page(next) is { } page)
            {
                if (page.Reduced)
                {
                    next++;
                    continue;
                }

                var more = PageStack(page, next, "pages");
                series.Add(more);
                next += more.Planes.Count + more.ChainLevels.Count;
            }
        }

        return series;
    }

    /// <summary>
    /// Page <paramref name="start"/> and every following page like it, as one series with one plane axis (none for a
    /// single page); the reduced pages right after it are its lower resolutions. A contiguous uncompressed stack whose
    /// first page says how many pages it has (tifffile's <c>{"shape": [...]}</c>, ImageJ's <c>images=</c>), and whose
    /// second page follows the first, is taken at its word, as tifffile takes it: the other directories are not read,
    /// so opening it costs the same for 2 pages or 20,000.
    /// </summary>
    private TiffSeries PageStack(TiffPage first, int start, string kind, long? declared = null)
    {
        var planes = new List<TiffPage> { first };
        if (Page(start + 1) is { } second && !second.Reduced && first.Matches(second))
        {
            declared ??= start == 0 ? DeclaredPages(first) : null;
            if (declared is > 2 && ContiguousPage(first) is { } pageBytes
                && second.Offsets[0] == first.Offsets[0] + pageBytes && first.Offsets[0] + (declared.Value * pageBytes) <= _fileSize)
            {
                return new TiffSeries { Kind = kind, PlaneAxes = ['Q'], PlaneSizes = [declared.Value], Planes = new ShiftedPages(first, pageBytes, (int)declared.Value) };
            }

            planes.Add(second);
            for (var i = start + 2; Page(i) is { } page && !page.Reduced && first.Matches(page); i++)
            {
                planes.Add(page);
            }
        }

        // Reduced-resolution pages right after a single page are its pyramid (as some slide scanners write it).
        var levels = new List<TiffPage[]>();
        if (planes.Count == 1)
        {
            for (var i = start + 1; Page(i) is { } page && page.Reduced && page.SampleType == first.SampleType && page.SamplesPerPixel == first.SamplesPerPixel; i++)
            {
                levels.Add([page]);
            }
        }

        return planes.Count == 1
            ? new TiffSeries { Kind = kind, PlaneAxes = [], PlaneSizes = [], Planes = [.. planes], ChainLevels = levels }
            : new TiffSeries { Kind = kind, PlaneAxes = ['Q'], PlaneSizes = [planes.Count], Planes = [.. planes] };
    }

    private TiffSeries ImageJSeries(TiffPage first, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        long Count(string key) => values.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPlanes ? n : 1;
        var images = Count("images");
        var channels = Count("channels");
        var slices = Count("slices");
        var frames = Count("frames");
        if (channels * slices * frames != images)
        {
            // images= alone (or counts that do not multiply out): the pages are slices, as ImageJ opens them.
            (channels, slices, frames) = (1, images, 1);
        }

        var stack = PageStack(first, 0, "ImageJ", images);
        if (stack.Planes.Count != images)
        {
            throw new InvalidFileFormatException(
                $"'{_path}' is an ImageJ file whose description says images={images} but holds {stack.Planes.Count} page(s) of its first image's size and type; the file is truncated or damaged.");
        }

        var axes = new List<char>();
        var sizes = new List<long>();
        foreach (var (axis, size) in new[] { ('T', frames), ('Z', slices), ('C', channels) })
        {
            if (size > 1)
            {
                axes.Add(axis);
                sizes.Add(size);
            }
        }

        // ImageJ keeps the pixel size in the resolution tags (pixels per unit) and the unit and Z step in the description.
        var spacing = new[] { Reciprocal(first.XResolution), Reciprocal(first.YResolution), double.NaN };
        if (values.TryGetValue("spacing", out var step) && double.TryParse(step, NumberStyles.Float, CultureInfo.InvariantCulture, out var z) && z > 0 && double.IsFinite(z))
        {
            spacing[2] = z;
        }

        var unit = values.TryGetValue("unit", out var u) ? UnitWord(u.Replace("\\u00B5", "µ", StringComparison.Ordinal)) : "";
        return new TiffSeries { Kind = "ImageJ", PlaneAxes = [.. axes], PlaneSizes = [.. sizes], Planes = stack.Planes, Spacing = spacing, Unit = unit, ChainLevels = stack.ChainLevels };
    }

    private static double Reciprocal(double? pixelsPerUnit) => pixelsPerUnit is > 0 and < double.PositiveInfinity ? 1 / pixelsPerUnit.Value : double.NaN;

    /// <summary>Parses OME-XML with no DTD, no external entities and bounded size; null when the text is not well-formed XML (tifffile then reads the pages as they are).</summary>
    private static XElement? OmeDocument(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = TiffPage.MaxDescription,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            var root = XElement.Load(reader);
            return root.Name.LocalName == "OME" ? root : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private List<TiffSeries> OmeSeries(XElement root, bool all)
    {
        var ns = root.Name.Namespace;
        var result = new List<TiffSeries>();
        var index = 0;
        foreach (var image in root.Elements(ns + "Image"))
        {
            var where = $"'{_path}': OME-XML Image {index}";
            index++;
            var pixels = image.Element(ns + "Pixels") ?? throw new InvalidFileFormatException($"{where} has no Pixels element; the OME-XML is damaged.");
            if (pixels.Elements(ns + "BinData").Any())
            {
                continue;   // pixels stored in the XML itself, not in this TIFF's pages
            }

            result.Add(OmeImage(image, pixels, ns, where));
            if (!all)
            {
                break;
            }
        }

        if (result.Count == 0)
        {
            throw new InvalidFileFormatException($"'{_path}' is an OME-TIFF whose OME-XML describes no image stored in its pages.");
        }

        return result;
    }

    private TiffSeries OmeImage(XElement image, XElement pixels, XNamespace ns, string where)
    {
        var order = (string?)pixels.Attribute("DimensionOrder") ?? "XYZCT";
        if (order.Length != 5 || !order.StartsWith("XY", StringComparison.Ordinal) || order.Order().SequenceEqual("CTXYZ") is false)
        {
            throw new InvalidFileFormatException($"{where} has DimensionOrder '{order}'; OME allows XY followed by Z, C and T in some order.");
        }

        long Size(string axis)
        {
            var text = (string?)pixels.Attribute("Size" + axis) ?? "1";
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= int.MaxValue ? n
                : throw new InvalidFileFormatException($"{where} has Size{axis}=\"{text}\"; sizes are whole numbers from 1 to 2^31 - 1.");
        }

        var sizes = new Dictionary<char, long> { ['Z'] = Size("Z"), ['C'] = Size("C"), ['T'] = Size("T") };
        var channels = pixels.Elements(ns + "Channel").ToList();
        var samplesText = channels.Count > 0 ? (string?)channels[0].Attribute("SamplesPerPixel") : null;
        var samples = samplesText is not null && long.TryParse(samplesText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= 1 ? s : 1;
        if (sizes['C'] % samples != 0)
        {
            throw new InvalidFileFormatException($"{where} has SizeC={sizes['C']} and {samples} samples per pixel, which does not divide it; the OME-XML is damaged.");
        }

        sizes['C'] /= samples;
        var outer = order[2..].Reverse().ToArray();   // XYZCT: planes vary Z fastest, so the plane axes are T, C, Z
        var planeCount = sizes['Z'] * sizes['C'] * sizes['T'];
        if (planeCount > MaxPlanes)
        {
            throw new InvalidFileFormatException($"{where} has {planeCount} planes; IOLink reads at most {MaxPlanes}.");
        }

        var ifds = new long[planeCount];
        Array.Fill(ifds, -1);
        var tiffData = pixels.Elements(ns + "TiffData").ToList();
        if (tiffData.Count == 0)
        {
            for (var p = 0; p < planeCount; p++)
            {
                ifds[p] = p;
            }
        }

        foreach (var data in tiffData)
        {
            if (data.Element(ns + "UUID") is { } uuid && (string?)uuid.Attribute("FileName") is { } fileName
                && !string.Equals(fileName, System.IO.Path.GetFileName(_path), StringComparison.Ordinal))
            {
                throw new InvalidFileFormatException(
                    $"{where} keeps planes in another file ('{fileName}'), a multi-file OME-TIFF; IOLink reads OME-TIFFs whose planes are all in the file opened.");
            }

            long Attribute(string name, long fallback)
            {
                var text = (string?)data.Attribute(name);
                return text is null ? fallback
                    : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= int.MaxValue ? n
                    : throw new InvalidFileFormatException($"{where} has a TiffData {name}=\"{text}\"; it is a whole number from 0.");
            }

            var ifd = Attribute("IFD", 0);
            var position = new Dictionary<char, long> { ['Z'] = Attribute("FirstZ", 0), ['C'] = Attribute("FirstC", 0), ['T'] = Attribute("FirstT", 0) };
            long firstPlane = 0;
            foreach (var axis in outer)
            {
                if (position[axis] >= sizes[axis])
                {
                    throw new InvalidFileFormatException($"{where} has a TiffData at First{axis}={position[axis]}, past Size{axis}={sizes[axis]}.");
                }

                firstPlane = (firstPlane * sizes[axis]) + position[axis];
            }

            var count = Attribute("PlaneCount", data.Attribute("IFD") is null ? planeCount - firstPlane : 1);
            if (count > planeCount - firstPlane)
            {
                throw new InvalidFileFormatException($"{where} has a TiffData of {count} planes from plane {firstPlane}, past its {planeCount} planes.");
            }

            for (long k = 0; k < count; k++)
            {
                ifds[firstPlane + k] = ifd + k;
            }
        }

        var missing = Array.IndexOf(ifds, -1L);
        if (missing >= 0)
        {
            throw new InvalidFileFormatException($"{where}: plane {missing} (in {order} order) is in no TiffData; the OME-XML does not say which page holds it.");
        }

        var planes = new TiffPage[planeCount];
        for (var p = 0; p < planeCount; p++)
        {
            var page = ifds[p] < MaxPlanes ? Page((int)ifds[p]) : null;
            planes[p] = page ?? throw new InvalidFileFormatException(
                $"{where} puts plane {p} in page {ifds[p]}, but the file has {_directory.Pages.Count} pages; the file is truncated or its OME-XML is wrong.");
            if (p > 0 && !planes[0].Matches(page))
            {
                throw new InvalidFileFormatException(
                    $"{where}: page {ifds[p]} (plane {p}) differs in size, type or layout from page {ifds[0]}; an image's planes share one.");
            }
        }

        if (planes[0].SamplesPerPixel != samples && !(samples == 1 && tiffData.Count == 0))
        {
            throw new InvalidFileFormatException(
                $"{where} says {samples} samples per pixel but its pages hold {planes[0].SamplesPerPixel}; the OME-XML does not describe this file.");
        }

        var axes = new List<char>();
        var lengths = new List<long>();
        foreach (var axis in outer)
        {
            if (sizes[axis] > 1)
            {
                axes.Add(axis);
                lengths.Add(sizes[axis]);
            }
        }

        var (spacing, unit) = OmeSpacing(pixels);
        var names = channels.Count == 0 ? null : channels.Select(c => (string?)c.Attribute("Name")).ToArray();
        return new TiffSeries
        {
            Kind = "OME",
            Name = (string?)image.Attribute("Name") ?? "",
            PlaneAxes = [.. axes],
            PlaneSizes = [.. lengths],
            Planes = planes,
            Spacing = spacing,
            Unit = unit,
            ChannelNames = names is not null && names.Any(n => n is not null) ? names : null,
        };
    }

    /// <summary>The physical sizes along X, Y and Z, in the unit of the first one given (OME's default is micrometres).</summary>
    private static (double[] Spacing, string Unit) OmeSpacing(XElement pixels)
    {
        var spacing = new[] { double.NaN, double.NaN, double.NaN };
        string? unit = null;
        double unitMeters = 0;
        var axes = "XYZ";
        for (var k = 0; k < 3; k++)
        {
            var text = (string?)pixels.Attribute("PhysicalSize" + axes[k]);
            if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var size) || !(size > 0) || !double.IsFinite(size))
            {
                continue;
            }

            var word = UnitWord((string?)pixels.Attribute("PhysicalSize" + axes[k] + "Unit") ?? "µm");
            var meters = Meters(word);
            if (unit is null)
            {
                (unit, unitMeters) = (word, meters);
                spacing[k] = size;
            }
            else if (word == unit)
            {
                spacing[k] = size;
            }
            else if (meters > 0 && unitMeters > 0)
            {
                spacing[k] = size * meters / unitMeters;
            }
        }

        return (spacing, unit ?? "");
    }

    /// <summary>A length unit as UDUNITS-2 spells it (as OME-Zarr wants it): <c>µm</c>, <c>um</c> and <c>micron</c> are <c>micrometer</c>.</summary>
    public static string UnitWord(string unit) => unit.Trim() switch
    {
        "µm" or "μm" or "um" or "micron" or "microns" or "micrometre" => "micrometer",
        "nm" or "nanometre" => "nanometer",
        "mm" or "millimetre" => "millimeter",
        "cm" or "centimetre" => "centimeter",
        "m" or "metre" => "meter",
        "pm" => "picometer",
        "Å" or "angstrom" => "angstrom",
        "pixel" or "pixels" => "",
        var other => other,
    };

    /// <summary>A length unit's size in metres, or 0 when it is not one IOLink knows.</summary>
    public static double Meters(string word) => word switch
    {
        "meter" => 1,
        "centimeter" => 1e-2,
        "millimeter" => 1e-3,
        "micrometer" => 1e-6,
        "nanometer" => 1e-9,
        "picometer" => 1e-12,
        "angstrom" => 1e-10,
        _ => 0,
    };

    /// <summary>How many pages the first page's description says the image has (tifffile's shape, ImageJ's images=), or null.</summary>
    private static long? DeclaredPages(TiffPage first)
    {
        var text = first.Description;
        if (text is null || !text.StartsWith('{'))
        {
            return null;
        }

        long pixels = first.Width * first.Height * first.SamplesPerPixel;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(text, new System.Text.Json.JsonDocumentOptions { MaxDepth = 8 });
            if (!json.RootElement.TryGetProperty("shape", out var shape) || shape.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return null;
            }

            long total = 1;
            foreach (var n in shape.EnumerateArray())
            {
                if (!n.TryGetInt64(out var length) || length < 1 || total > long.MaxValue / length)
                {
                    return null;
                }

                total *= length;
            }

            return total % pixels == 0 && total / pixels <= MaxPlanes ? total / pixels : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The bytes of the page's pixels when they are stored uncompressed in one dense run; null otherwise.</summary>
    private static long? ContiguousPage(TiffPage page)
    {
        if (page.Compression != 1 || page.Predictor != 1 || page.Planar || page.Tiled || page.Bilevel)
        {
            return null;
        }

        var rowBytes = page.Width * page.SamplesPerPixel * page.SampleType.ByteCount;
        var next = page.Offsets[0];
        for (var i = 0; i < page.Offsets.Length; i++)
        {
            var rows = Math.Min(page.ChunkRows, page.Height - (i * page.ChunkRows));
            if (page.Offsets[i] != next || page.ByteCounts[i] < rows * rowBytes)
            {
                return null;
            }

            next += rows * rowBytes;
        }

        return page.Height * rowBytes;
    }
}
