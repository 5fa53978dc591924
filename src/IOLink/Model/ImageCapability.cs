namespace IOLink;

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
