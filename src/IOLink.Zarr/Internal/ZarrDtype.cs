using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using IOLink.Interop;

namespace IOLink.Zarr.Internal;

/// <summary>
/// A Zarr v2 <c>dtype</c> (a NumPy type string such as <c>&lt;u2</c> or <c>&gt;f4</c>), or a Zarr v3 <c>data_type</c>
/// (such as <c>uint16</c>) with the byte order of its <c>bytes</c> codec: the item type, its byte order and whether it is bool.
/// </summary>
internal sealed class ZarrDtype
{
    /// <summary>The Zarr v3 data types IOLink reads, with the NumPy kind and size of each.</summary>
    private static readonly Dictionary<string, string> V3Types = new(StringComparer.Ordinal)
    {
        ["bool"] = "b1", ["int8"] = "i1", ["int16"] = "i2", ["int32"] = "i4", ["int64"] = "i8",
        ["uint8"] = "u1", ["uint16"] = "u2", ["uint32"] = "u4", ["uint64"] = "u8",
        ["float16"] = "f2", ["float32"] = "f4", ["float64"] = "f8", ["complex64"] = "c8", ["complex128"] = "c16",
    };

    private ZarrDtype(NumpyTypeString type, string? v3Name = null)
    {
        Text = type.Text;
        ItemType = type.ItemType;
        Order = type.Order;
        IsBool = type.IsBool;
        V3Name = v3Name;
    }

    /// <summary>The NumPy type string of the stored items (a v2 array's as its metadata spells it).</summary>
    public string Text { get; }

    /// <summary>The Zarr v3 name of the type (<c>uint16</c>), or null for a v2 array's.</summary>
    public string? V3Name { get; }

    /// <summary>What one array item is (complex numbers are one item; vectors come from the axis rules).</summary>
    public DataType ItemType { get; }

    /// <summary>The byte order the items are stored in (the array's bytes codec swaps them on the way in and out when it is not this machine's).</summary>
    public ByteOrder Order { get; }

    /// <summary>Whether the items are NumPy bools (stored as one byte, 0 or 1).</summary>
    public bool IsBool { get; }

    /// <summary>The size of one item in bytes.</summary>
    public int ItemSize => ItemType.ByteCount;

    /// <summary>The dtype of a view's items, in this machine's byte order.</summary>
    public static ZarrDtype Native(DataType itemType) => new(NumpyTypeString.Native(itemType));

    /// <summary>NumPy's bool (<c>|b1</c>), for a v2 array of a BINARY view.</summary>
    public static ZarrDtype Bool() => NumpyTypeString.TryParse("|b1", out var type, out _) ? new ZarrDtype(type!) : throw new InvalidOperationException("|b1 is not a NumPy type string.");

    /// <summary>The v3 data type of a view's items, stored in <paramref name="order"/>.</summary>
    public static ZarrDtype V3(DataType itemType, ByteOrder order)
    {
        var native = NumpyTypeString.Native(itemType);
        var code = native.Text[1..];
        var name = V3Types.First(t => t.Value == code).Key;
        return V3(name, order);
    }

    /// <summary>Whether <paramref name="name"/> is a Zarr v3 data type IOLink reads.</summary>
    public static bool IsV3Name(string name) => V3Types.ContainsKey(name);

    /// <summary>A Zarr v3 data type (a name <see cref="IsV3Name"/> takes), its items stored in <paramref name="order"/>.</summary>
    public static ZarrDtype V3(string name, ByteOrder order)
    {
        var code = V3Types[name];
        var text = (code[1] == '1' && code.Length == 2 ? '|' : order == ByteOrder.LittleEndian ? '<' : '>') + code;
        return NumpyTypeString.TryParse(text, out var type, out var reason) ? new ZarrDtype(type!, name)
            : throw new InvalidOperationException($"The v3 data type {name} has no NumPy type ({reason}).");
    }

    /// <summary>Reads the <c>dtype</c> member; <paramref name="where"/> names the array in messages.</summary>
    public static ZarrDtype Parse(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            throw Unsupported(where, element.GetRawText(), "structured (record) dtypes hold no image data");
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw new InvalidFileFormatException($"{where}: 'dtype' must be a NumPy type string such as \"<u2\", not {element.GetRawText()}.");
        }

        var text = element.GetString()!;
        if (!NumpyTypeString.TryParse(text, out var type, out var reason))
        {
            throw Unsupported(where, text, reason);
        }

        return new ZarrDtype(type!);
    }

    /// <summary>
    /// The bytes of one item holding <c>fill_value</c>, in this machine's byte order: a number, true/false,
    /// "NaN", "Infinity", "-Infinity", [real, imaginary] for complex types; null reads as zeros.
    /// </summary>
    public byte[] FillBytes(JsonElement fill, string where)
    {
        var bytes = new byte[ItemSize];
        if (fill.ValueKind == JsonValueKind.Null)
        {
            return bytes;
        }

        if (ItemType.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            if (fill.ValueKind != JsonValueKind.Array || fill.GetArrayLength() != 2)
            {
                throw BadFill(where, fill, "a complex fill value is [real, imaginary]");
            }

            var half = ItemSize / 2;
            FloatFill(bytes.AsSpan(0, half), fill[0], where);
            FloatFill(bytes.AsSpan(half), fill[1], where);
            return bytes;
        }

        if (IsBool)
        {
            bytes[0] = fill.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number when fill.TryGetInt64(out var b) && b is 0 or 1 => (byte)b,
                _ => throw BadFill(where, fill, "a bool fill value is true or false"),
            };
            return bytes;
        }

        switch (ItemType.PrimitiveType)
        {
            case PrimitiveTypeId.FLOATING_POINT:
                FloatFill(bytes, fill, where);
                break;
            case PrimitiveTypeId.UNSIGNED_INTEGER:
                if (fill.ValueKind != JsonValueKind.Number || !fill.TryGetUInt64(out var u) || (ItemSize < 8 && u >> (8 * ItemSize) != 0))
                {
                    throw BadFill(where, fill, $"it is not an integer that {Text} holds");
                }

                Span<byte> wideU = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(wideU, u);
                wideU[..ItemSize].CopyTo(bytes);
                FixOrder(bytes);
                break;
            default:
                var min = -(1L << ((8 * ItemSize) - 1));
                if (fill.ValueKind != JsonValueKind.Number || !fill.TryGetInt64(out var i) || (ItemSize < 8 && (i < min || i > -min - 1)))
                {
                    throw BadFill(where, fill, $"it is not an integer that {Text} holds");
                }

                Span<byte> wideI = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(wideI, i);
                wideI[..ItemSize].CopyTo(bytes);
                FixOrder(bytes);
                break;
        }

        return bytes;
    }

    /// <summary>The JSON of a fill value given as one item's bytes in this machine's byte order (what <see cref="FillBytes"/> reads back).</summary>
    public string FillJson(ReadOnlySpan<byte> item)
    {
        if (IsBool)
        {
            return item[0] != 0 ? "true" : "false";
        }

        if (ItemType.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            var half = ItemSize / 2;
            return $"[{FloatJson(item[..half])}, {FloatJson(item[half..])}]";
        }

        return ItemType.PrimitiveType switch
        {
            PrimitiveTypeId.FLOATING_POINT => FloatJson(item),
            PrimitiveTypeId.UNSIGNED_INTEGER => ReadUnsigned(item).ToString(CultureInfo.InvariantCulture),
            _ => ReadSigned(item).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Little-endian bytes to this machine's order.</summary>
    private static void FixOrder(Span<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            bytes.Reverse();
        }
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> item) => item.Length switch
    {
        1 => item[0],
        2 => BitConverter.ToUInt16(item),
        4 => BitConverter.ToUInt32(item),
        _ => BitConverter.ToUInt64(item),
    };

    private static long ReadSigned(ReadOnlySpan<byte> item) => item.Length switch
    {
        1 => (sbyte)item[0],
        2 => BitConverter.ToInt16(item),
        4 => BitConverter.ToInt32(item),
        _ => BitConverter.ToInt64(item),
    };

    private static string FloatJson(ReadOnlySpan<byte> item)
    {
        var value = item.Length switch
        {
            2 => (double)BitConverter.ToHalf(item),
            4 => BitConverter.ToSingle(item),
            _ => BitConverter.ToDouble(item),
        };
        return double.IsNaN(value) ? "\"NaN\""
            : double.IsPositiveInfinity(value) ? "\"Infinity\""
            : double.IsNegativeInfinity(value) ? "\"-Infinity\""
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A float fill value into <paramref name="bytes"/> (one float, this machine's order): a number, "NaN",
    /// "Infinity", "-Infinity", or (Zarr v3) the float's bits as hexadecimal, "0x7fc00000" for a float32 NaN.
    /// </summary>
    private static void FloatFill(Span<byte> bytes, JsonElement fill, string where)
    {
        if (fill.ValueKind == JsonValueKind.String && fill.GetString() is { } text && text.StartsWith("0x", StringComparison.Ordinal))
        {
            if (text.Length != 2 + (2 * bytes.Length) || !ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
            {
                throw BadFill(where, fill, $"a float's bits in hexadecimal are \"0x\" and {2 * bytes.Length} hex digits for a {8 * bytes.Length}-bit float");
            }

            Span<byte> wide = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(wide, bits);
            wide[..bytes.Length].CopyTo(bytes);
            FixOrder(bytes);
            return;
        }

        WriteFloat(bytes, Real(fill, where));
    }

    private static double Real(JsonElement fill, string where) => fill.ValueKind switch
    {
        JsonValueKind.Number => fill.GetDouble(),
        JsonValueKind.String => fill.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => throw BadFill(where, fill, "a float fill value is a number, \"NaN\", \"Infinity\", \"-Infinity\" or (Zarr v3) the float's bits as \"0x\" and hex digits"),
        },
        _ => throw BadFill(where, fill, "a float fill value is a number, \"NaN\", \"Infinity\" or \"-Infinity\""),
    };

    private static void WriteFloat(Span<byte> bytes, double value)
    {
        switch (bytes.Length)
        {
            case 2: BitConverter.TryWriteBytes(bytes, (Half)value); break;
            case 4: BitConverter.TryWriteBytes(bytes, (float)value); break;
            default: BitConverter.TryWriteBytes(bytes, value); break;
        }
    }

    private static InvalidFileFormatException BadFill(string where, JsonElement fill, string why) =>
        new($"{where}: the fill_value {fill.GetRawText()} cannot be read: {why}.");

    private static InvalidFileFormatException Unsupported(string where, string text, string why) =>
        new($"{where}: the dtype '{text}' cannot be read: {why}.");
}
