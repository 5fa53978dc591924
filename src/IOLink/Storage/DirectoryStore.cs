using System.Buffers;
using IOLink.DataAccess;
using IOLink.Files;

namespace IOLink.Storage;

/// <summary>
/// A store in a folder: each key is a file below it (<c>0/3/1</c> is the file <c>1</c> in the folder <c>0/3</c>).
/// Nothing inside the folder is followed when it is a symbolic link, at any part of a key, on reads and writes: a
/// planted <c>store/0 -> /elsewhere</c> could otherwise pass outside files off as data, or have them replaced. FIFOs,
/// devices and folders are refused as values. Values are written under a temporary name in their folder and renamed
/// into place, so a reader or a crash never sees a torn value.
/// </summary>
/// <remarks>
/// The folder itself is what the user named and is taken as it is (a link to it is followed). Each part of a key is
/// examined with <c>lstat</c> before it is opened; a link swapped in between is not caught (that needs <c>openat2</c>
/// with RESOLVE_NO_SYMLINKS). A value's version is its file's device, inode, size and modification time.
/// </remarks>
public sealed class DirectoryStore : KeyValueStore
{
    private readonly bool _readOnly;

    /// <summary>A store in the folder <paramref name="path"/>, which must exist.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="readOnly">Whether writes and deletions are refused.</param>
    /// <param name="name">How messages name the store (default: <paramref name="path"/> as given).</param>
    /// <exception cref="DirectoryNotFoundException">There is no folder at <paramref name="path"/>.</exception>
    public DirectoryStore(string path, bool readOnly = false, string? name = null)
        : base(name ?? path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Root = Path.GetFullPath(path);
        if (FileProbe.Kind(Root, followLinks: true) != FileKind.Directory)
        {
            throw new DirectoryNotFoundException($"The store '{Name}' is not a folder: {(File.Exists(Root) ? "it is a file" : "there is nothing at that path")}. Name an existing folder.");
        }

        _readOnly = readOnly;
    }

    /// <summary>The store's folder (a full path).</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public override bool IsReadOnly => _readOnly;

    /// <summary>What is at <paramref name="key"/>: <see cref="FileKind.Missing"/> when a part of it is missing or not a folder.</summary>
    /// <exception cref="InvalidFileFormatException">A part of the key is a symbolic link.</exception>
    public FileKind KindOf(string key) => KindOf(key, out _);

    /// <summary>What is at <paramref name="key"/>, and its full path, each of its parts checked not to be a symbolic link (for a key that names a folder of the store, such as an array inside a group).</summary>
    /// <exception cref="InvalidFileFormatException">A part of the key is a symbolic link.</exception>
    public FileKind KindOf(string key, out string path)
    {
        CheckKey(key);
        return StorePaths.Probe(Root, key, Name, out path);
    }

    /// <inheritdoc/>
    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        if (FileOf(key) is not { } path)
        {
            return null;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Taken before the bytes are read: a change made while they are read gives the file a newer version.
            var version = VersionOf(FileProbe.Stamp(handle));
            var size = System.IO.RandomAccess.GetLength(handle);
            var (start, count) = range.Within(size);
            if (count > maxLength)
            {
                throw TooLarge(key, count, maxLength);
            }

            var bytes = ArrayPool<byte>.Shared.Rent((int)count);
            var done = 0;
            while (done < count)
            {
                var n = System.IO.RandomAccess.Read(handle, bytes.AsSpan(done, (int)count - done), start + done);
                if (n == 0)
                {
                    break;   // shortened while read: the reader sees fewer bytes, and decoders report it as truncated
                }

                done += n;
            }

            return new StoreValue(bytes, done, version, size, start);
        }
        catch (FileNotFoundException)
        {
            return null;   // removed since the probe
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    protected override StoreVersion? VersionCore(string key) =>
        FileProbe.Stamp(Path.Combine(Root, key)) is { } stamp ? VersionOf(stamp) : null;

    /// <inheritdoc/>
    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value) =>
        // Every folder of a nested key is the store's own, never a link to elsewhere; the rename replaces a link at
        // the key itself rather than writing through it.
        VersionOf(OutputFile.ReplaceEntry(StorePaths.ForWrite(Root, key, Name), value));

    /// <inheritdoc/>
    protected override bool DeleteCore(string key)
    {
        var kind = StorePaths.Probe(Root, key, Name, out var path);
        if (kind == FileKind.Missing)
        {
            return false;
        }

        if (kind != FileKind.Regular)
        {
            throw new IOException($"{Name}: '{key}' is {FileProbe.Describe(kind)}, not a value of the store; it is left alone.");
        }

        try
        {
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> ListCore(string prefix)
    {
        var start = Root;
        if (prefix.Length > 0)
        {
            if (StorePaths.Probe(Root, prefix, Name, out start) != FileKind.Directory)
            {
                yield break;
            }
        }

        var pending = new Stack<(string Folder, string Key)>();
        pending.Push((start, prefix));
        while (pending.Count > 0)
        {
            var (folder, relative) = pending.Pop();
            List<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(folder).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                if (OutputFile.IsTemporaryName(name))
                {
                    continue;   // a write in progress (or one a crash left), not a value
                }

                var key = relative.Length == 0 ? name : relative + "/" + name;
                // Links are listed by nobody: they are not the store's values, and are never followed.
                switch (FileProbe.Kind(entry, followLinks: false))
                {
                    case FileKind.Regular:
                        yield return key;
                        break;
                    case FileKind.Directory:
                        pending.Push((entry, key));
                        break;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override RandomAccess? OpenRandomAccessCore(string key)
    {
        if (FileOf(key) is not { } path)
        {
            return null;
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return new FileRandomAccess(handle, System.IO.RandomAccess.GetLength(handle), writable: false, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The path of the regular file at <paramref name="key"/>, or null when there is none; a link, folder, FIFO or device there is refused.</summary>
    private string? FileOf(string key)
    {
        var kind = StorePaths.Probe(Root, key, Name, out var path);
        return kind switch
        {
            FileKind.Missing => null,
            FileKind.Regular => path,
            _ => throw new InvalidFileFormatException($"{Name}: '{key}' is {FileProbe.Describe(kind)}, not a file; remove it."),
        };
    }

    private static StoreVersion VersionOf(FileStamp stamp) =>
        new((long)stamp.Device, (long)stamp.Inode, stamp.Size, (stamp.ModifiedSeconds * 1_000_000_000L) + stamp.ModifiedNanoseconds);
}
