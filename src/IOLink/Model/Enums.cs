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
}

/// <summary>What the components of one element mean together.</summary>
public enum DataTypeInterpretation
{
    /// <summary>One plain value (or components without a stated meaning).</summary>
    RAW = 0,

    /// <summary>A complex number: real then imaginary component.</summary>
    COMPLEX = 1,

    /// <summary>A vector whose components are stored side by side.</summary>
    VECTOR = 2,

    /// <summary>A square matrix stored row by row.</summary>
    MATRIX = 3,
}

/// <summary>What one dimension of a view means. The values are the canonical storage order.</summary>
public enum ImageDimension
{
    /// <summary>X, the fastest varying dimension of an image.</summary>
    COLUMN = 0,

    /// <summary>Y.</summary>
    ROW = 1,

    /// <summary>Z.</summary>
    SLICE = 2,

    /// <summary>C, one channel of a multi-channel image.</summary>
    CHANNEL = 3,

    /// <summary>T, one step of a time series.</summary>
    SEQUENCE = 4,
}

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

/// <summary>What the values of a view mean.</summary>
public enum ImageInterpretation
{
    /// <summary>Nothing is stated.</summary>
    UNKNOWN = 0,

    /// <summary>Intensities.</summary>
    GRAYSCALE,

    /// <summary>Integer labels of objects.</summary>
    LABEL,

    /// <summary>0 and 1.</summary>
    BINARY,

    /// <summary>Red, green, blue.</summary>
    RGB,

    /// <summary>Hue, saturation, value.</summary>
    HSV,

    /// <summary>CIE L*a*b*.</summary>
    CIELAB,

    /// <summary>Luma and two chroma components.</summary>
    YUV,

    /// <summary>Several spectral bands.</summary>
    MULTISPECTRAL,
}

/// <summary>What a view can do.</summary>
[Flags]
public enum ImageCapability
{
    /// <summary>Nothing.</summary>
    NONE = 0,

    /// <summary>Elements and regions can be read.</summary>
    READ = 1,

    /// <summary>Elements and regions can be written.</summary>
    WRITE = 2,

    /// <summary>Shape and data type can be changed in place.</summary>
    RESHAPE = 4,

    /// <summary>Elements live in addressable CPU memory with a known layout (base address and byte strides).</summary>
    MEMORY_ACCESS = 8,
}
