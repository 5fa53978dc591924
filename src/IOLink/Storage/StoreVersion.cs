namespace IOLink.Storage;

/// <summary>
/// Which version of a stored value a read saw: equal versions mean the same bytes. A directory store takes it from
/// the file (device, inode, size, modification time), a memory store from a counter, an HTTP store from the ETag. A
/// cache keeps it with what it decoded and serves the decoded data only while the value still has that version, so
/// a value another writer (or process) replaced is read again, never served stale.
/// </summary>
/// <param name="Part1">A number identifying the version (its meaning is the store's).</param>
/// <param name="Part2">A second such number.</param>
/// <param name="Part3">A third such number.</param>
/// <param name="Part4">A fourth such number.</param>
/// <param name="Tag">A text identifying the version (an HTTP ETag), or null.</param>
public readonly record struct StoreVersion(long Part1, long Part2 = 0, long Part3 = 0, long Part4 = 0, string? Tag = null);
