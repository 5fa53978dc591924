namespace IOLink;

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
