namespace IOLink.Storage;

/// <summary>One read of <see cref="KeyValueStore.GetMany(IReadOnlyList{StoreRead}, int)"/>: a key and the bytes of its value wanted (default: all of them).</summary>
/// <param name="Key">The value's key.</param>
/// <param name="Range">The bytes to read; default is the whole value.</param>
public readonly record struct StoreRead(string Key, ByteRange Range = default);
