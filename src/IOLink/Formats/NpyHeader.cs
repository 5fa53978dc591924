using System.Globalization;
using System.Text;

namespace IOLink;

/// <summary>
/// The header of a NumPy <c>.npy</c> file: format version, element type, memory order and shape (in NumPy order).
/// Parsed as data, never evaluated.
/// </summary>
public sealed class NpyHeader
{
    /// <summary>NumPy's default limit on header size; larger headers are refused as NumPy refuses them.</summary>
    public const int MaxHeaderBytes = 10_000;

    private readonly long[] _shape;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    internal NpyHeader(int major, int minor, string descr, bool fortranOrder, long[] shape, long dataOffset)
    {
        MajorVersion = major;
        MinorVersion = minor;
        Descr = descr;
        FortranOrder = fortranOrder;
        _shape = shape;
        DataOffset = dataOffset;
        var type = NpyDtype.Parse(descr);
        DataType = type.ItemType;
        IsBool = type.IsBool;
        ByteOrder = type.Order;
        long bytes = DataType.ByteCount;
        try
        {
            foreach (var s in shape)
            {
                bytes = checked(bytes * s);
            }
        }
        catch (OverflowException)
        {
            throw new InvalidFileFormatException($"The .npy shape ({string.Join(", ", shape)}) of {descr} elements needs more than 2^63 bytes; the header is corrupt.");
        }

        DataByteCount = bytes;
    }

    /// <summary>The format's major version: 1, 2 or 3.</summary>
    public int MajorVersion { get; }

    /// <summary>The format's minor version.</summary>
    public int MinorVersion { get; }

    /// <summary>NumPy's type string, such as <c>&lt;u2</c>.</summary>
    public string Descr { get; }

    /// <summary>Whether the data is stored in Fortran order (first axis fastest) rather than C order (last axis fastest).</summary>
    public bool FortranOrder { get; }

    /// <summary>The array's shape, in NumPy order.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The shape as a span, for the readers' checks: indexing the array through IReadOnlyList jitted CoreLib's array-interface code in every process.</summary>
    internal ReadOnlySpan<long> Lengths => _shape;

    /// <summary>Where the data starts in the file, in bytes: a multiple of 64 in files NumPy writes.</summary>
    public long DataOffset { get; }

    /// <summary>The IOLink data type of one NumPy element (a bool is UINT8).</summary>
    public DataType DataType { get; }

    /// <summary>Whether the elements are NumPy bools (read as UINT8 with the BINARY interpretation).</summary>
    public bool IsBool { get; }

    /// <summary>The byte order the items are stored in (this machine's for one-byte items and <c>|</c> or <c>=</c>).</summary>
    public ByteOrder ByteOrder { get; }

    /// <summary>The size of the data in bytes.</summary>
    public long DataByteCount { get; }

    /// <summary>The shape written as NumPy prints it, such as <c>(6, 4, 12)</c>.</summary>
    public string ShapeText => NpyDtype.TupleText(_shape);

    /// <summary>Reads and checks a header from the start of <paramref name="stream"/>, leaving the stream at the data.</summary>
    /// <exception cref="InvalidFileFormatException">The bytes are not a valid .npy header IOLink can read.</exception>
    public static NpyHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        ReadExactly(stream, prefix[..8], "the magic string and version");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidFileFormatException("This is not a .npy file: it does not start with \\x93NUMPY. Write it with numpy.save, or read raw data with its shape and type.");
        }

        int major = prefix[6];
        int minor = prefix[7];
        if (minor != 0)
        {
            throw new InvalidFileFormatException($".npy format version {major}.{minor} is not supported; IOLink reads versions 1.0, 2.0 and 3.0, as NumPy does.");
        }

        long headerLength;
        int prefixLength;
        switch (major)
        {
            case 1:
                ReadExactly(stream, prefix[8..10], "the header length");
                headerLength = BitConverter.ToUInt16(prefix[8..10]);
                prefixLength = 10;
                break;
            case 2:
            case 3:
                ReadExactly(stream, prefix[8..12], "the header length");
                headerLength = BitConverter.ToUInt32(prefix[8..12]);
                prefixLength = 12;
                break;
            default:
                throw new InvalidFileFormatException($".npy format version {major}.{minor} is not supported; IOLink reads versions 1.0, 2.0 and 3.0.");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidFileFormatException(
                $"The .npy header is {headerLength} bytes, over the {MaxHeaderBytes}-byte limit NumPy also applies; the file is corrupt or not made by NumPy.");
        }

        var bytes = new byte[headerLength];
        ReadExactly(stream, bytes, "the header");
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        var text = encoding.GetString(bytes);
        return Parse(text, major, minor, prefixLength + headerLength);
    }

    /// <summary>Reads the header of the .npy file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is not a valid .npy file IOLink can read.</exception>
    public static NpyHeader Read(string path)
    {
        if (Storage.Locations.IsRemote(path))
        {
            using var remote = Storage.Locations.OpenRead(path);
            using var remoteStream = remote.AsStream();
            return Read(remoteStream, path);
        }

        using var stream = NpyFile.OpenRead(Storage.Locations.LocalPath(path));
        return Read(stream, path);
    }

    /// <summary>The header of the file the user named <paramref name="path"/>: its errors name it, as the readers' own do.</summary>
    internal static NpyHeader Read(Stream stream, string path)
    {
        try
        {
            return Read(stream);
        }
        catch (InvalidFileFormatException e)
        {
            throw new InvalidFileFormatException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>The header dictionary as NumPy writes it (without padding).</summary>
    public override string ToString() =>
        $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {ShapeText}, }}";

    /// <summary>The complete header block: magic, version, length and the dictionary padded to a multiple of 64 bytes.</summary>
    internal static byte[] Encode(string descr, ReadOnlySpan<long> shape)
    {
        var text = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NpyDtype.TupleText(shape)}, }}";
        var major = 1;
        var prefix = 10;
        var total = Pad(prefix + text.Length + 1);
        if (total - prefix > ushort.MaxValue)
        {
            major = 2;
            prefix = 12;
            total = Pad(prefix + text.Length + 1);
        }

        var result = new byte[total];
        Magic.CopyTo(result, 0);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            BitConverter.TryWriteBytes(result.AsSpan(8, 2), (ushort)(total - prefix));
        }
        else
        {
            BitConverter.TryWriteBytes(result.AsSpan(8, 4), (uint)(total - prefix));
        }

        // The header is ASCII (a type string and numbers), copied and padded by plain loops: Encoding.Latin1 and
        // Span.Fill run CoreLib code that machines with AVX-512 jit in every process's first write.
        for (var i = 0; i < text.Length; i++)
        {
            result[prefix + i] = (byte)text[i];
        }

        for (var i = prefix + text.Length; i < total - 1; i++)
        {
            result[i] = (byte)' ';
        }

        result[^1] = (byte)'\n';
        return result;

        static int Pad(int n) => (n + 63) / 64 * 64;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = stream.Read(buffer[done..]);
            if (n == 0)
            {
                throw new InvalidFileFormatException($"The .npy file ends inside {what}; it is truncated.");
            }

            done += n;
        }
    }

    private static NpyHeader Parse(string text, int major, int minor, long dataOffset)
    {
        // Headers of versions 1.0 and 2.0 may come from Python 2, whose long integers end in L; NumPy drops that L.
        var parser = new LiteralParser(text, allowLongSuffix: major <= 2);
        var dict = parser.ParseDictionary();
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        foreach (var (key, value) in dict)
        {
            // A dictionary of reference types and plain loops below: lists of tuples and ConvertAll<long> are generic
            // code no ReadyToRun image holds, jitted in every process's first .npy.
            switch (key)
            {
                case "descr" when value is string s:
                    descr = s;
                    break;
                case "descr":
                    throw new InvalidFileFormatException("The .npy file holds a structured dtype (its 'descr' is not a type string); IOLink reads plain numeric and bool arrays only.");
                case "fortran_order" when value is bool b:
                    fortran = b;
                    break;
                case "shape" when value is Tuple items && items.Items.TrueForAll(i => i is long n && n >= 0):
                    if (items.Items.Count > ImageView.MaxDimensionCount)
                    {
                        throw new InvalidFileFormatException(
                            $"The .npy array has {items.Items.Count} dimensions; NumPy and IOLink support at most {ImageView.MaxDimensionCount}.");
                    }

                    shape = new long[items.Items.Count];
                    for (var i = 0; i < shape.Length; i++)
                    {
                        shape[i] = (long)items.Items[i];
                    }

                    break;
                case "shape":
                    throw new InvalidFileFormatException(
                        "The .npy header's 'shape' is not a tuple of non-negative integers (such as (3,) or (480, 640)); NumPy refuses it too, the file is corrupt.");
                default:
                    throw new InvalidFileFormatException($"The .npy header has an unexpected entry '{key}'; it needs exactly 'descr' (a string), 'fortran_order' (True or False) and 'shape' (a tuple of sizes).");
            }
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw new InvalidFileFormatException("The .npy header misses 'descr', 'fortran_order' or 'shape'; the file is corrupt.");
        }

        return new NpyHeader(major, minor, descr, fortran.Value, shape, dataOffset);
    }

    /// <summary>A Python tuple in the header; lists and parenthesized values are other things, as in Python.</summary>
    private sealed record Tuple(List<object> Items);

    /// <summary>A Python list in the header (NumPy refuses a list as a shape).</summary>
    private sealed record PyList(List<object> Items);

    /// <summary>
    /// Reads the subset of Python literals a .npy header can hold, with Python's own rules (NumPy reads the header
    /// with ast.literal_eval): one dictionary with string keys whose values are strings, True/False, integers
    /// (underscores between digits, no leading zeros, an optional sign, 0x/0o/0b prefixes), tuples (a single
    /// item needs its comma) and lists. Whitespace is what Python skips (ASCII). Anything else is refused, never run.
    /// </summary>
    private ref struct LiteralParser(string text, bool allowLongSuffix)
    {
        private readonly string _text = text;
        private readonly bool _allowLongSuffix = allowLongSuffix;
        private int _pos;

        public Dictionary<string, object> ParseDictionary()
        {
            SkipSpace();
            Expect('{');
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (TryTake('}'))
                {
                    break;
                }

                var key = ParseValue() as string ?? throw Error("a string key");
                SkipSpace();
                Expect(':');
                var value = ParseValue();
                if (!result.TryAdd(key, value))
                {
                    throw new InvalidFileFormatException($"The .npy header names '{key}' twice; the file is corrupt.");
                }

                SkipSpace();
                if (!TryTake(','))
                {
                    SkipSpace();
                    Expect('}');
                    break;
                }
            }

            SkipSpace();
            if (_pos != _text.Length)
            {
                throw Error("the end of the header after the dictionary");
            }

            return result;
        }

        private object ParseValue()
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Error("a value");
            }

            var c = _text[_pos];
            if (c is '\'' or '"')
            {
                return ParseString(c);
            }

            if (c == '(')
            {
                return ParseParenthesized();
            }

            if (c == '[')
            {
                return new PyList(ParseItems(']', out _));
            }

            if (c is '+' or '-')
            {
                _pos++;
                SkipSpace();
                if (ParseValue() is not long magnitude)
                {
                    throw Error("a number after the sign");
                }

                return c == '-' ? -magnitude : magnitude;
            }

            if (char.IsAsciiDigit(c))
            {
                return ParseInteger();
            }

            if (TryTakeWord("True"))
            {
                return true;
            }

            if (TryTakeWord("False"))
            {
                return false;
            }

            throw Error("a string, a number, True, False or a tuple");
        }

        private bool TryTakeWord(string word)
        {
            if (_pos + word.Length > _text.Length)
            {
                return false;
            }

            for (var i = 0; i < word.Length; i++)
            {
                if (_text[_pos + i] != word[i])
                {
                    return false;
                }
            }

            _pos += word.Length;
            return true;
        }

        private string ParseString(char quote)
        {
            _pos++;
            var start = _pos;
            while (_pos < _text.Length && _text[_pos] != quote)
            {
                if (_text[_pos] == '\\')
                {
                    throw new InvalidFileFormatException("The .npy header holds an escaped string, which NumPy never writes for the dtypes IOLink reads.");
                }

                _pos++;
            }

            if (_pos >= _text.Length)
            {
                throw Error("the end of a string");
            }

            return _text[start.._pos++];
        }

        /// <summary>A tuple, or (as in Python) the single value a pair of parentheses without a comma holds.</summary>
        private object ParseParenthesized()
        {
            var items = ParseItems(')', out var commas);
            return items.Count == 1 && commas == 0 ? items[0] : new Tuple(items);
        }

        private List<object> ParseItems(char close, out int commas)
        {
            _pos++;
            commas = 0;
            var items = new List<object>();
            while (true)
            {
                SkipSpace();
                if (TryTake(close))
                {
                    return items;
                }

                items.Add(ParseValue());
                SkipSpace();
                if (!TryTake(','))
                {
                    SkipSpace();
                    Expect(close);
                    return items;
                }

                commas++;
            }
        }

        /// <summary>A Python integer literal: decimal without leading zeros (or all zeros), or 0x/0o/0b, with single underscores between digits.</summary>
        private long ParseInteger()
        {
            var start = _pos;
            var radix = 10;
            if (_text[_pos] == '0' && _pos + 1 < _text.Length && char.ToLowerInvariant(_text[_pos + 1]) is 'x' or 'o' or 'b')
            {
                radix = char.ToLowerInvariant(_text[_pos + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
                _pos += 2;
                if (_pos < _text.Length && _text[_pos] == '_')
                {
                    _pos++;
                }
            }

            var digits = new System.Text.StringBuilder();
            while (_pos < _text.Length)
            {
                var ch = _text[_pos];
                if (char.IsAsciiHexDigit(ch) && Convert.ToInt32(ch.ToString(), 16) < radix)
                {
                    digits.Append(ch);
                    _pos++;
                }
                else if (ch == '_' && digits.Length > 0 && _pos + 1 < _text.Length && char.IsAsciiHexDigit(_text[_pos + 1]) && Convert.ToInt32(_text[_pos + 1].ToString(), 16) < radix)
                {
                    _pos++;
                }
                else
                {
                    break;
                }
            }

            var literal = _text[start.._pos];
            if (digits.Length == 0 || (radix == 10 && digits.Length > 1 && digits[0] == '0' && digits.ToString().Trim('0').Length > 0))
            {
                throw new InvalidFileFormatException($"The .npy header holds '{literal}', which is not a Python integer (leading zeros are not allowed); the file is corrupt.");
            }

            if (_pos < _text.Length && _text[_pos] is 'L' or 'l')
            {
                if (!_allowLongSuffix)
                {
                    throw new InvalidFileFormatException($"The .npy header holds '{literal}{_text[_pos]}', a Python 2 long integer, in a version 3.0 file; NumPy refuses it too.");
                }

                _pos++;
            }

            if (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.'))
            {
                throw new InvalidFileFormatException($"The .npy header holds '{_text[start..(_pos + 1)]}...', which is not an integer a shape can hold; the file is corrupt.");
            }

            try
            {
                var number = digits.ToString();
                var value = radix == 10 ? long.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture) : Convert.ToInt64(number, radix);
                return value >= 0 ? value : throw new OverflowException();
            }
            catch (Exception ex) when (ex is OverflowException or FormatException)
            {
                throw new InvalidFileFormatException($"The .npy header holds the number {literal}, too large for a size; the file is corrupt.");
            }
        }

        private void SkipSpace()
        {
            // Python skips ASCII blanks only; other Unicode spaces are syntax errors for it.
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                _pos++;
            }
        }

        private bool TryTake(char c)
        {
            if (_pos < _text.Length && _text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw Error($"'{c}'");
            }
        }

        private readonly InvalidFileFormatException Error(string expected) =>
            new($"The .npy header is not a valid dictionary: expected {expected} at character {_pos}. The file is corrupt or not written by NumPy.");
    }
}
