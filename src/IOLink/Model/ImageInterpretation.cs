namespace IOLink;

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
