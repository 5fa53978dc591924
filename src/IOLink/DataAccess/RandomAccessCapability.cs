namespace IOLink;

/// <summary>What a <see cref="RandomAccess"/> can do. The values match <see cref="StreamAccessCapability"/>; a random access always seeks.</summary>
[Flags]
public enum RandomAccessCapability
{
    /// <summary>Nothing; the capabilities of a disposed access.</summary>
    NONE = 0,

    /// <summary>Bytes can be read at any offset.</summary>
    READ = 1,

    /// <summary>Bytes can be written at any offset below <see cref="RandomAccess.Size"/>.</summary>
    WRITE = 2,

    /// <summary>The bytes live in CPU memory that can be addressed directly (<see cref="RandomAccess.Buffer"/>).</summary>
    MEMORY_ACCESS = 8,
}
