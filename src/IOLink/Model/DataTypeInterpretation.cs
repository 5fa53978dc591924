namespace IOLink;

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
