namespace IOLink;

/// <summary>How the bits of one component are read.</summary>
public enum PrimitiveTypeId
{
    /// <summary>Not a valid primitive type; found only in a default <see cref="DataType"/>.</summary>
    UNKNOWN = 0,

    /// <summary>An unsigned integer.</summary>
    UNSIGNED_INTEGER = 1,

    /// <summary>A two's complement signed integer.</summary>
    SIGNED_INTEGER = 2,

    /// <summary>An IEEE 754 floating point number.</summary>
    FLOATING_POINT = 3,

    /// <summary>Unicode text (UTF-8): the strings of a table column (<see cref="DataFrameView"/>); no view holds it.</summary>
    UNICODE_STRING = 4,
}
