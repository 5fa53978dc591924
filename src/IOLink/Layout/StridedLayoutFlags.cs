namespace IOLink.Layout;

/// <summary>What kind of layout a <see cref="StridedLayout"/> is; length-1 dimensions never affect a flag.</summary>
[Flags]
internal enum StridedLayoutFlags
{
    /// <summary>Nothing special: some gaps, overlaps or permuted strides.</summary>
    None = 0,

    /// <summary>Dense with the first dimension fastest.</summary>
    DenseCanonical = 1,

    /// <summary>Dense with the last dimension fastest.</summary>
    DenseC = 2,

    /// <summary>Some dimension longer than 1 has a negative stride.</summary>
    NegativeStride = 4,
}
