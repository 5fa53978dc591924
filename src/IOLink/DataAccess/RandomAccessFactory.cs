using IOLink.DataAccess;
using IOLink.Memory;

namespace IOLink;

/// <summary>Makes <see cref="RandomAccess"/> objects over memory, files (read, write, memory-mapped) and seekable .NET streams.</summary>
public static class RandomAccessFactory
{
    /// <summary>A random access over <paramref name="size"/> bytes of new zeroed native memory, owned by the access (and the views made from it).</summary>
    /// <returns>An access with READ, WRITE and MEMORY_ACCESS.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    /// <exception cref="InsufficientMemoryException">The memory cannot be allocated.</exception>
    public static RandomAccess Allocate(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new MemoryRandomAccess(NativeMemoryBlock.Allocate(size), writable: true);
    }

    /// <summary>
    /// A random access over the caller's buffer, borrowed: read and written in place (no copy) and pinned until the
    /// access and every view made from it are disposed.
    /// </summary>
    /// <param name="buffer">The bytes; the access's size is its length.</param>
    /// <param name="writable">Whether the access has WRITE.</param>
    /// <returns>An access with READ, MEMORY_ACCESS and, when <paramref name="writable"/>, WRITE.</returns>
    public static RandomAccess FromBuffer(Memory<byte> buffer, bool writable = true) =>
        new MemoryRandomAccess(PinnedMemoryBlock.Pin(buffer), writable);

    /// <summary>
    /// A random access over native memory the caller owns, borrowed: never freed by the access; the caller keeps it
    /// valid until the access and every view made from it are disposed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is zero while <paramref name="size"/> is not.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static RandomAccess FromBuffer(nint address, long size, bool writable = true)
    {
        StreamAccessFactory.CheckBuffer(address, size);
        return new MemoryRandomAccess(new BorrowedMemoryBlock(address, size), writable);
    }

    /// <summary>A random access reading the file at <paramref name="path"/>; its size is the file's length when opened.</summary>
    /// <returns>An access with READ. Each read is one positioned read of the file, safe from several threads.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file (or its directory) does not exist; <see cref="FileNotFoundException.FileName"/> is the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read with the current permissions, or is a directory.</exception>
    /// <exception cref="IOException">The path is a device, FIFO or socket rather than a regular file, or the file cannot be opened for another reason.</exception>
    public static RandomAccess OpenFileRead(string path)
    {
        FileOpener.RequireRegularFile(path, "for reading");
        var handle = FileOpener.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess, "for reading");
        return new FileRandomAccess(handle, System.IO.RandomAccess.GetLength(handle), writable: false, path);
    }

    /// <summary>
    /// A random access reading the file at <paramref name="uri"/>: an http or https address read by ranged GETs
    /// (the server must support <c>Range</c> requests), or a <c>file://</c> address read as a local file. Nothing but
    /// the first block is read until the access is.
    /// </summary>
    /// <param name="uri">The file's address.</param>
    /// <param name="options">Timeouts, retries and concurrency for a remote file; null for <see cref="Storage.RemoteOptions.Default"/>.</param>
    /// <returns>An access with READ; its size is the file's length when opened, and reads fail with an <see cref="IOException"/> if the file changes on the server.</returns>
    /// <exception cref="ArgumentException">The address is not absolute, or its scheme is not http, https or file.</exception>
    /// <exception cref="FileNotFoundException">The server has no such file (404), or there is no such local file.</exception>
    /// <exception cref="UnauthorizedAccessException">The server refused access (401, 403).</exception>
    /// <exception cref="IOException">The server could not be reached, failed past the retries, or ignores byte ranges.</exception>
    public static RandomAccess OpenUri(Uri uri, Storage.RemoteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.IsAbsoluteUri && uri.IsFile)
        {
            return OpenFileRead(uri.LocalPath);
        }

        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{uri}' is not an http://, https:// or file:// address.", nameof(uri));
        }

        return Remote.HttpRandomAccess.Open(uri, options ?? Storage.RemoteOptions.Default)
            ?? throw new FileNotFoundException($"The server has no file at {uri} (404 Not Found); check the address.", uri.ToString());
    }

    /// <summary>
    /// A random access reading and writing the file at <paramref name="path"/>, which is created when missing and then
    /// set to <paramref name="size"/> bytes: existing bytes below that size are kept, new ones read as zeros (sparse
    /// where the file system allows), bytes beyond it are cut off.
    /// </summary>
    /// <returns>An access with READ and WRITE.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written with the current permissions, or is a directory.</exception>
    /// <exception cref="IOException">The path is a device, FIFO or socket, or the file cannot be opened or sized for another reason (a full disk, say).</exception>
    public static RandomAccess OpenFileWrite(string path, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        FileOpener.RequireRegularFile(path, "for writing");
        var handle = FileOpener.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.RandomAccess, "for writing");
        return SizedFile(handle, size, path);
    }

    /// <summary>
    /// The file at <paramref name="path"/> mapped into memory: reads and writes are memory copies, and image views made
    /// from it with <see cref="ImageViewFactory.FromRandomAccess"/> are zero-copy memory views of the file.
    /// </summary>
    /// <remarks>
    /// A mapping reads the file's pages as memory: if another process truncates the file while it is mapped, the
    /// next read or write of a page past the new end is a bus error (SIGBUS) that ends the process, as with
    /// NumPy's memmap or any mapped file. Map only files nobody shortens while they are in use; read files that
    /// may change with <see cref="OpenFileRead"/> instead, which reports a short file as an error.
    /// </remarks>
    /// <param name="path">An existing, non-empty file; it stays open until the access and every view made from it are disposed.</param>
    /// <param name="writable">Whether the access (and views from it) can write; writes reach the file (shared mapping).</param>
    /// <returns>An access with READ, MEMORY_ACCESS and, when <paramref name="writable"/>, WRITE; its size is the file's length.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or the file is empty.</exception>
    /// <exception cref="FileNotFoundException">The file (or its directory) does not exist; <see cref="FileNotFoundException.FileName"/> is the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened with the current permissions, or is a directory.</exception>
    /// <exception cref="IOException">The path is a device, FIFO or socket, or the file cannot be opened or mapped for another reason.</exception>
    public static RandomAccess MapFile(string path, bool writable = false)
    {
        var purpose = writable ? "for mapping read-write" : "for mapping read-only";
        FileOpener.RequireRegularFile(path, purpose);
        var file = FileOpener.OpenStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, FileOptions.RandomAccess, purpose);
        if (file.Length == 0)
        {
            file.Dispose();
            AccessThrowHelper.EmptyFileCannotBeMapped(path);
        }

        return new MemoryRandomAccess(MappedFileBlock.Map(file, writable), writable);
    }

    /// <summary>
    /// A random access over a seekable .NET <see cref="Stream"/> whose size is the stream's length now: READ and WRITE
    /// follow <c>CanRead</c> and <c>CanWrite</c>. Each transfer seeks the stream under a lock, so concurrent reads are safe.
    /// </summary>
    /// <param name="stream">A seekable stream.</param>
    /// <param name="leaveOpen">false to dispose <paramref name="stream"/> with the access (and every view made from it); true to leave it open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek, or can neither be read nor written.</exception>
    public static RandomAccess FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead && !stream.CanWrite)
        {
            AccessThrowHelper.StreamUnusable(nameof(stream));
        }

        if (!stream.CanSeek)
        {
            AccessThrowHelper.StreamNotSeekable(nameof(stream));
        }

        return new StreamRandomAccess(stream, leaveOpen);
    }

    /// <summary>A read-write access on a new temporary file that the system deletes when the access (and its views) close it.</summary>
    internal static RandomAccess CreateTemporary(long size)
    {
        var path = Path.Combine(Path.GetTempPath(), $"iolink-{Guid.NewGuid():N}.raw");
        var handle = FileOpener.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            FileOptions.RandomAccess | FileOptions.DeleteOnClose, "for a temporary view on disk");
        return SizedFile(handle, size, path);
    }

    private static FileRandomAccess SizedFile(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long size, string path)
    {
        try
        {
            System.IO.RandomAccess.SetLength(handle, size);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new FileRandomAccess(handle, size, writable: true, path);
    }
}
