using IOLink.DataAccess;
using IOLink.Memory;

namespace IOLink;

/// <summary>Makes <see cref="StreamAccess"/> objects over memory, files and .NET streams.</summary>
public static unsafe class StreamAccessFactory
{
    /// <summary>An empty, growable stream in native memory the access owns (freed on dispose).</summary>
    /// <returns>An access with READ, WRITE, SEEK and MEMORY_ACCESS; writing at or past its end makes it grow.</returns>
    public static StreamAccess Allocate() => MemoryStreamAccess.Allocate(0);

    /// <summary>An empty, growable stream in native memory the access owns, with room for <paramref name="initialCapacity"/> bytes before it first grows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative.</exception>
    public static StreamAccess Allocate(long initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        return MemoryStreamAccess.Allocate(initialCapacity);
    }

    /// <summary>
    /// A stream over the caller's buffer, borrowed: the bytes are read and written in place (no copy), the memory is
    /// pinned until the access is disposed, and the length is fixed to the buffer's (writing past it throws).
    /// </summary>
    /// <param name="buffer">The bytes; the stream's length is its length.</param>
    /// <param name="writable">Whether the access has WRITE.</param>
    /// <returns>An access with READ, SEEK, MEMORY_ACCESS and, when <paramref name="writable"/>, WRITE.</returns>
    public static StreamAccess FromBuffer(Memory<byte> buffer, bool writable = true)
    {
        var block = PinnedMemoryBlock.Pin(buffer);
        return MemoryStreamAccess.Borrow((byte*)block.Address, block.Length, writable, new BlockOwner(block));
    }

    /// <summary>
    /// A stream over native memory the caller owns, borrowed: never freed by the access; the caller keeps it valid
    /// until the access is disposed. The length is fixed to <paramref name="length"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is zero while <paramref name="length"/> is not.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static StreamAccess FromBuffer(nint address, long length, bool writable = true)
    {
        CheckBuffer(address, length);
        return MemoryStreamAccess.Borrow((byte*)address, length, writable, owner: null);
    }

    /// <summary>A stream reading the file at <paramref name="path"/> from its beginning; disposing the access closes the file.</summary>
    /// <returns>An access with READ and SEEK.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file (or its directory) does not exist; <see cref="FileNotFoundException.FileName"/> is the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read with the current permissions, or is a directory.</exception>
    /// <exception cref="IOException">The file cannot be opened for another reason.</exception>
    public static StreamAccess OpenFileRead(string path)
    {
        var file = FileOpener.OpenStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan, "for reading");
        return new DotNetStreamAccess(file, leaveOpen: false);
    }

    /// <summary>A stream writing the file at <paramref name="path"/>, created or emptied first; disposing the access closes the file.</summary>
    /// <returns>An access with WRITE and SEEK.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written with the current permissions, or is a directory.</exception>
    /// <exception cref="IOException">The file cannot be opened for another reason.</exception>
    public static StreamAccess OpenFileWrite(string path)
    {
        var file = FileOpener.OpenStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, FileOptions.None, "for writing");
        return new DotNetStreamAccess(file, leaveOpen: false);
    }

    /// <summary>
    /// A stream access over any .NET <see cref="Stream"/>: READ, WRITE and SEEK follow its <c>CanRead</c>,
    /// <c>CanWrite</c> and <c>CanSeek</c>; the access reads and writes it with the caller's buffers.
    /// </summary>
    /// <param name="stream">The stream; its current position is the access's starting position.</param>
    /// <param name="leaveOpen">false to dispose <paramref name="stream"/> when the access is disposed; true to leave it open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream can neither be read nor written (for example, it is disposed).</exception>
    public static StreamAccess FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead && !stream.CanWrite)
        {
            AccessThrowHelper.StreamUnusable(nameof(stream));
        }

        return new DotNetStreamAccess(stream, leaveOpen);
    }

    internal static void CheckBuffer(nint address, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (address == 0 && length != 0)
        {
            throw new ArgumentException($"The buffer address is zero but its length is {length}; pass the address of the first byte.", nameof(address));
        }
    }

    /// <summary>Releases a block's only reference when the access that borrowed it is disposed.</summary>
    private sealed class BlockOwner(MemoryBlock block) : IDisposable
    {
        public void Dispose() => block.Release();
    }
}
