namespace IOLink.Files;

/// <summary>
/// Writes a file the way the library and the iolink tool write theirs: an output path is never replaced by
/// something the user did not name, a planted name is never followed, and a half-written file never takes the
/// place of a good one.
/// </summary>
/// <remarks>
/// A missing path or a regular file is written under an unpredictable temporary name in the target's own folder,
/// created exclusively (a name planted there, even a symbolic link, makes the create fail instead of being
/// followed), and renamed over the target when complete; an existing file keeps its permissions. A symbolic link
/// is written through: its final target is the file written, and the link stays. A device, FIFO or socket is
/// opened and written in place, never replaced, and its errors (such as "no space" from /dev/full) are reported.
/// A directory is refused.
/// </remarks>
public static class OutputFile
{
    private const int BufferSize = 1 << 16;
    private const int CreateAttempts = 16;

    /// <summary>Writes the file at <paramref name="path"/> with <paramref name="write"/>, as the remarks describe.</summary>
    /// <exception cref="IOException">The path is a directory, its folder is missing, or writing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file cannot be written with the current permissions.</exception>
    public static void Write(string path, Action<Stream> write) => Write(path, 0, write);

    /// <summary>
    /// Writes the file at <paramref name="path"/> with <paramref name="write"/>, as the remarks describe, reserving
    /// <paramref name="expectedLength"/> bytes for a new file first: the file system allocates its blocks in one go
    /// instead of as the writes arrive, which makes large writes several times faster on ext4 and XFS.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="expectedLength">How many bytes <paramref name="write"/> is about to write, or 0 if unknown.</param>
    /// <param name="write">Writes the file's content to the stream it is given.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedLength"/> is negative.</exception>
    /// <exception cref="IOException">The path is a directory, its folder is missing, or writing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file cannot be written with the current permissions.</exception>
    public static void Write(string path, long expectedLength, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        path = LocalOnly(path);
        var target = Path.GetFullPath(path);
        var kind = FileProbe.Kind(target, followLinks: false);
        if (kind == FileKind.SymbolicLink)
        {
            target = File.ResolveLinkTarget(target, returnFinalTarget: true)?.FullName ?? target;
            kind = FileProbe.Kind(target, followLinks: false);
        }

        switch (kind)
        {
            case FileKind.Missing or FileKind.Regular:
                Replace(path, target, kind == FileKind.Regular, expectedLength, write);
                break;
            case FileKind.Directory:
                throw new IOException($"'{path}' is a directory; name a file to write (for example {Path.Combine(path, "out" + Path.GetExtension(path))}).");
            default:
                WriteInPlace(path, target, kind, write);
                break;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> as a new file renamed over whatever has the name <paramref name="path"/>:
    /// a file, or a symbolic link, which is replaced and never followed. For the files inside a store the library
    /// keeps itself (Zarr chunks and metadata), whose names the user never chose one by one.
    /// </summary>
    /// <returns>The stamp of the file now at <paramref name="path"/> (see <see cref="FileProbe.Stamp(string)"/>).</returns>
    /// <exception cref="IOException">The path is a directory or something other than a file or link, or writing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written with the current permissions.</exception>
    public static FileStamp ReplaceEntry(string path, ReadOnlySpan<byte> content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // A handle and one positioned write: these are small files, written by the thousand (one per chunk).
        var (temp, handle) = CreateTemporary(path, folder, name => File.OpenHandle(name, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        try
        {
            FileStamp stamp;
            using (handle)
            {
                System.IO.RandomAccess.Write(handle, content, 0);
                stamp = FileProbe.Stamp(handle);
            }

            // A rename keeps the inode, size and modification time: the stamp is the entry's.
            File.Move(temp, path, overwrite: true);
            return stamp;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            var kind = FileProbe.Kind(path, followLinks: false);
            if (kind is not (FileKind.Missing or FileKind.Regular or FileKind.SymbolicLink))
            {
                throw new IOException($"'{path}' is {FileProbe.Describe(kind)}, where a file belongs; remove or rename it, or write the file elsewhere.", ex);
            }

            throw;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void WriteInPlace(string path, string target, FileKind kind, Action<Stream> write)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, BufferSize);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"'{path}' is {FileProbe.Describe(kind)} and cannot be opened for writing: {ex.Message}", ex);
        }

        using (stream)
        {
            write(stream);
        }
    }

    private static void Replace(string path, string target, bool exists, long expectedLength, Action<Stream> write)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': its folder '{folder}' does not exist; create it first.");
        }

        var (temp, stream) = CreateTemporary(path, folder, expectedLength);
        try
        {
            using (stream)
            {
                if (exists && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(target));
                }

                write(stream);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex.Message.Contains(temp, StringComparison.Ordinal))
        {
            File.Delete(temp);
            throw InUserWords(ex, temp, path, folder);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Creates a new file with a random name in <paramref name="folder"/>, never opening one that already exists.</summary>
    private static (string Path, FileStream Stream) CreateTemporary(string path, string folder, long expectedLength)
    {
        try
        {
            return CreateTemporary(path, folder, temp => new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,   // readable too: formats that read back what they wrote (HDF5) are written through it
                Share = FileShare.None,
                BufferSize = BufferSize,
                PreallocationSize = expectedLength,
            }));
        }
        catch (IOException ex) when (expectedLength > 0 && ex is not PathTooLongException)
        {
            // Either the reservation failed (no space, or more than the file system allows in one file; the new
            // file is gone then) or the file could not be created at all: creating it without a reservation tells
            // which, and reports the second kind as it is.
            var (plain, stream) = CreateTemporary(path, folder, 0);
            stream.Dispose();
            File.Delete(plain);
            throw new IOException(
                $"Cannot write '{path}': its file system has no room for the {expectedLength} bytes it needs; free some space or write it elsewhere.", ex);
        }
    }

    /// <summary>
    /// Writes a folder (a chunked store, say) as <see cref="Write(string, Action{Stream})"/> writes a file:
    /// <paramref name="write"/> fills a new folder made under an unpredictable hidden name beside
    /// <paramref name="path"/>, which is renamed into place only once complete; a failure removes it and says what it
    /// means for <paramref name="path"/>, never naming the temporary folder.
    /// </summary>
    /// <remarks>
    /// With <paramref name="replaceExisting"/>, a folder already at <paramref name="path"/> is moved aside, the new one
    /// renamed into its place (the old one is put back if that fails) and the old one deleted with what it holds:
    /// the caller decides beforehand that it may go (a Zarr array is replaced, a group never is).
    /// </remarks>
    /// <param name="path">The folder to create, or to replace when <paramref name="replaceExisting"/>.</param>
    /// <param name="replaceExisting">Whether a folder at <paramref name="path"/> is replaced; otherwise one there is an error.</param>
    /// <param name="write">Fills the folder whose path it is given.</param>
    /// <exception cref="IOException">Something is at <paramref name="path"/> that may not be replaced, its parent folder is missing, or writing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The parent folder cannot be written with the current permissions.</exception>
    public static void WriteFolder(string path, bool replaceExisting, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        path = LocalOnly(path);
        var target = Path.GetFullPath(Path.TrimEndingDirectorySeparator(path));
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"'{path}' is a root folder; name a folder inside it.");
        if (!Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': its folder '{parent}' does not exist; create it first.");
        }

        var existing = FileProbe.Kind(target, followLinks: false);
        if (existing == FileKind.Directory && !replaceExisting)
        {
            throw new IOException($"'{path}' exists; name a new folder, or remove it first.");
        }

        if (existing is not (FileKind.Missing or FileKind.Directory))
        {
            throw new IOException($"'{path}' is {FileProbe.Describe(existing)}; name a folder.");
        }

        var (temp, _) = CreateTemporary(path, parent, name => FileProbe.Kind(name, followLinks: false) == FileKind.Missing
            ? Directory.CreateDirectory(name)
            : throw new IOException($"'{name}' exists."));
        try
        {
            write(temp);
            MoveFolderInto(temp, target, existing == FileKind.Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex.Message.Contains(temp, StringComparison.Ordinal))
        {
            DeleteFolder(temp);
            throw InUserWords(ex, temp, path, parent);
        }
        catch
        {
            DeleteFolder(temp);
            throw;
        }
    }

    private static void MoveFolderInto(string temp, string target, bool replace)
    {
        if (!replace)
        {
            Directory.Move(temp, target);
            return;
        }

        var old = temp[..^".partial".Length] + ".old";
        Directory.Move(target, old);
        try
        {
            Directory.Move(temp, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }

        Directory.Delete(old, recursive: true);
    }

    private static void DeleteFolder(string temp)
    {
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Makes a new file or folder with <paramref name="open"/> under a random name in <paramref name="folder"/>,
    /// drawing another name while one exists; a failure names <paramref name="path"/>, the user's output, never the
    /// temporary name.
    /// </summary>
    internal static (string Path, T File) CreateTemporary<T>(string path, string folder, Func<string, T> open)
    {
        for (var attempt = 1; ; attempt++)
        {
            var temp = TemporaryName(folder);
            try
            {
                return (temp, open(temp));
            }
            catch (IOException) when (attempt < CreateAttempts && FileProbe.Kind(temp, followLinks: false) != FileKind.Missing)
            {
                // Something already has this name; draw another.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not PathTooLongException)
            {
                throw InUserWords(ex, temp, path, folder);
            }
        }
    }

    private const string LowerHexDigits = "0123456789abcdef";

    /// <summary>Whether a file name is one of the temporary names writes use (<c>.iolink-</c>, 16 hex digits, <c>.partial</c>).</summary>
    internal static bool IsTemporaryName(string name) =>
        name.Length == 32 && name.StartsWith(".iolink-", StringComparison.Ordinal) && name.EndsWith(".partial", StringComparison.Ordinal)
        && IsLowerHex(name.AsSpan(8, 16));

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An unpredictable hidden name in <paramref name="folder"/> for an output being written (64 random bits: short
    /// enough that any valid target name leaves room for it).
    /// </summary>
    /// <remarks>
    /// The bits come from <see cref="Guid.NewGuid"/>, which draws from the operating system's secure random source
    /// as <c>RandomNumberGenerator</c> does, without loading the cryptography library (OpenSSL on Linux: about
    /// 13 ms of every <c>iolink convert</c>). Its hex digits 12 and 16 (version and variant) are fixed and skipped.
    /// </remarks>
    internal static string TemporaryName(string folder)
    {
        // Bytes 0-5 and 10-11 of the GUID are random (7 and 8 carry its version and variant), written as hex by a
        // loop: Guid.ToString's vectorized formatting is jitted in every process on machines with AVX-512.
        Span<byte> bits = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bits);
        Span<char> name = stackalloc char[32];
        ".iolink-".CopyTo(name);
        ".partial".CopyTo(name[24..]);
        var n = 8;
        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 4, 5, 10, 11])
        {
            name[n++] = LowerHexDigits[bits[i] >> 4];
            name[n++] = LowerHexDigits[bits[i] & 0xF];
        }

        return Path.Combine(folder, new string(name));
    }

    /// <summary>The same failure, saying what it means for the user's output <paramref name="path"/> rather than naming the temporary <paramref name="temp"/>.</summary>
    internal static Exception InUserWords(Exception ex, string temp, string path, string folder)
    {
        if (ex is UnauthorizedAccessException)
        {
            return new UnauthorizedAccessException(
                $"Cannot write '{path}': permission denied in its folder '{folder}'. Write it to a folder you can write to, or change the folder's permissions.", ex);
        }

        var reason = ex.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal).Replace($"'{temp}'", "the new file", StringComparison.Ordinal)
            .Replace(temp, "the new file", StringComparison.Ordinal).TrimEnd('.', ' ');
        var hint = reason.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)
            ? "its file system is mounted read-only; write it elsewhere"
            : reason.Contains("No space", StringComparison.OrdinalIgnoreCase) ? "free some space or write it elsewhere" : "fix the cause or write it elsewhere";
        return new IOException($"Cannot write '{path}' in its folder '{folder}': {reason}. {char.ToUpperInvariant(hint[0])}{hint[1..]}.", ex);
    }

    /// <summary>The local path a write goes to (a file:// address's path); a remote address is refused rather than taken for a relative path.</summary>
    private static string LocalOnly(string path)
    {
        if (Storage.Locations.IsRemote(path))
        {
            throw new NotSupportedException($"Cannot write '{path}': this format is written to local files only; write it to a local path and upload that (.npy and Zarr are written to s3:// addresses directly).");
        }

        return Storage.Locations.LocalPath(path);
    }
}
