namespace IOLink.Interop;

/// <summary>
/// A NumPy type string (<c>dtype.str</c>: a byte order, a kind and a size, such as <c>&lt;u2</c>, <c>&gt;f4</c>,
/// <c>|b1</c>), as .npy headers and Zarr metadata spell an item type: what the item is, its stored byte order and
/// whether it is bool. The one parser for both, with one byte-order rule: the order is read and reported, never
/// refused here; a reader that cannot swap (a memory map) says so, the others swap on the way in and out.
/// </summary>
public sealed record NumpyTypeString
{
    private NumpyTypeString(string text, DataType itemType, ByteOrder order, bool isBool)
    {
        Text = text;
        ItemType = itemType;
        Order = order;
        IsBool = isBool;
    }

    /// <summary>The type string as it was spelled.</summary>
    public string Text { get; }

    /// <summary>What one item is (a complex number is one item; vectors come from the axis rules).</summary>
    public DataType ItemType { get; }

    /// <summary>The stored byte order (this machine's for <c>=</c>, <c>|</c> and one-byte items).</summary>
    public ByteOrder Order { get; }

    /// <summary>Whether the items are NumPy bools (one byte, 0 or 1).</summary>
    public bool IsBool { get; }

    /// <summary>Whether the stored bytes must be swapped on this machine (each component reversed; a complex number's two parts apart).</summary>
    public bool Swaps => Order != NativeOrder;

    /// <summary>This machine's byte order.</summary>
    public static ByteOrder NativeOrder => BitConverter.IsLittleEndian ? ByteOrder.LittleEndian : ByteOrder.BigEndian;

    /// <summary>The type string of items of <paramref name="itemType"/> (a scalar or complex type) in this machine's byte order.</summary>
    /// <exception cref="ArgumentException"><paramref name="itemType"/> has several components that are not a complex number.</exception>
    public static NumpyTypeString Native(DataType itemType)
    {
        if (itemType.Dimension != 1 && itemType.Interpretation != DataTypeInterpretation.COMPLEX)
        {
            throw new ArgumentException($"A NumPy item is one scalar or complex number; {itemType} has {itemType.Dimension} components (use its component type).", nameof(itemType));
        }

        return new(NumpyDataTypes.TypeString(itemType), itemType, NativeOrder, isBool: false);
    }

    /// <summary>Reads a type string; false, with the reason in words that follow "it", when it is none IOLink reads.</summary>
    public static bool TryParse(string text, out NumpyTypeString? type, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        type = null;
        var kind = text.Length >= 2 ? text[1] : '\0';
        if (kind is 'O' or 'V' or 'S' or 'U' or 'M' or 'm' or 'a')
        {
            reason = "object, string, void and datetime arrays hold no image data (and object arrays would need pickling, which IOLink never does)";
            return false;
        }

        if (text.Length < 3 || text[0] is not ('<' or '>' or '|' or '=' or '!'))
        {
            reason = "it is not a NumPy type string (a byte order <, >, |, = or !, a kind and a size, such as <u2)";
            return false;
        }

        // Digits only: .NET's parser would also take trailing NUL characters ("<u2\0").
        if (!Internal.Digits.TryParse(text.AsSpan(2), out int size))
        {
            reason = "it is not a NumPy type string (a byte order <, >, |, = or !, a kind and a size, such as <u2)";
            return false;
        }

        if (NumpyDataTypes.FromKind(kind, size) is not { } itemType)
        {
            reason = "it has no IOLink data type";
            return false;
        }

        var order = itemType.ComponentByteCount == 1 || text[0] is '|' or '=' ? NativeOrder
            : text[0] == '<' ? ByteOrder.LittleEndian : ByteOrder.BigEndian;
        type = new NumpyTypeString(text, itemType, order, kind == 'b');
        reason = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
