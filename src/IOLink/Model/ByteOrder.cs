namespace IOLink;

/// <summary>The byte order of items in stored bytes.</summary>
public enum ByteOrder
{
    /// <summary>Least significant byte first (x86, ARM; NumPy's <c>&lt;</c>).</summary>
    LittleEndian,

    /// <summary>Most significant byte first (NumPy's <c>&gt;</c>).</summary>
    BigEndian,
}
