namespace IOLink;

/// <summary>Named axes interpretations. Each value is the bit set of its dimensions (bit n for <see cref="ImageDimension"/> n).</summary>
public enum ImageTypeId
{
    /// <summary>The dimensions have no meaning attached; any rank.</summary>
    UNKNOWN = 0,

    /// <summary>COLUMN, ROW.</summary>
    IMAGE = 0b00011,

    /// <summary>COLUMN, ROW, SLICE.</summary>
    VOLUME = 0b00111,

    /// <summary>COLUMN, ROW, CHANNEL.</summary>
    MULTISPECTRAL_IMAGE = 0b01011,

    /// <summary>COLUMN, ROW, SLICE, CHANNEL.</summary>
    MULTISPECTRAL_VOLUME = 0b01111,

    /// <summary>COLUMN, ROW, SEQUENCE.</summary>
    IMAGE_SEQUENCE = 0b10011,

    /// <summary>COLUMN, ROW, SLICE, SEQUENCE.</summary>
    VOLUME_SEQUENCE = 0b10111,

    /// <summary>COLUMN, ROW, CHANNEL, SEQUENCE.</summary>
    MULTISPECTRAL_IMAGE_SEQUENCE = 0b11011,

    /// <summary>COLUMN, ROW, SLICE, CHANNEL, SEQUENCE.</summary>
    MULTISPECTRAL_VOLUME_SEQUENCE = 0b11111,
}
