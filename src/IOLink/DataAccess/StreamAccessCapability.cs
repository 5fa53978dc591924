namespace IOLink;

/// <summary>What a <see cref="StreamAccess"/> can do.</summary>
[Flags]
public enum StreamAccessCapability
{
    /// <summary>Nothing; the capabilities of a disposed access.</summary>
    NONE = 0,

    /// <summary>Bytes can be read at the cursor.</summary>
    READ = 1,

    /// <summary>Bytes can be written at the cursor.</summary>
    WRITE = 2,

    /// <summary>The cursor can be moved, and the length is known.</summary>
    SEEK = 4,

    /// <summary>The bytes live in CPU memory that can be addressed directly (<see cref="StreamAccess.Buffer"/>).</summary>
    MEMORY_ACCESS = 8,
}
