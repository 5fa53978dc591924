using System.Runtime.InteropServices;

namespace IOLink.Files;

/// <summary>
/// Tells what a path names (regular file, directory, device, FIFO, link) before the library opens or replaces it.
/// On Linux this is <c>statx</c>, whose record has the same layout on every architecture; elsewhere the runtime's
/// file attributes, which cannot tell devices and FIFOs apart from files. Formats and stores outside the core use
/// it to refuse what they must not open or replace, and stamps to tell a cached block from a rewritten file.
/// </summary>
public static unsafe partial class FileProbe
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;

    /// <summary>STATX_TYPE | STATX_MTIME | STATX_INO | STATX_SIZE.</summary>
    private const uint StatxStampMask = 0x1 | 0x40 | 0x100 | 0x200;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int StatxSize = 256;

    /// <summary>The kind of file at <paramref name="path"/>; a last symbolic link is followed only when <paramref name="followLinks"/> is true.</summary>
    /// <exception cref="IOException">The path cannot be examined (for example, a loop of symbolic links).</exception>
    /// <exception cref="UnauthorizedAccessException">A folder on the path cannot be searched.</exception>
    public static FileKind Kind(string path, bool followLinks)
    {
        return OperatingSystem.IsLinux() ? LinuxKind(path, followLinks) : PortableKind(path, followLinks);
    }

    private static FileKind LinuxKind(string path, bool followLinks)
    {
        var record = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, record) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                2 or 20 => FileKind.Missing, // ENOENT, ENOTDIR
                13 => throw new UnauthorizedAccessException($"'{path}' cannot be examined: permission denied on a folder of its path."),
                40 => throw new IOException($"'{path}' is a loop of symbolic links; name the file itself."),
                _ => throw new IOException($"'{path}' cannot be examined: {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        var mode = *(ushort*)(record + ModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Regular,
        };
    }

    private static FileKind PortableKind(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
        {
            return FileKind.Missing;
        }

        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return FileKind.SymbolicLink;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null || !target.Exists ? FileKind.Missing : target is DirectoryInfo ? FileKind.Directory : FileKind.Regular;
        }

        return Directory.Exists(path) ? FileKind.Directory : FileKind.Regular;
    }

    /// <summary>
    /// What identifies one version of the file at <paramref name="path"/> (the last link not followed): its device,
    /// inode, size and modification time; null when it is missing. A file replaced by a rename always gets a new
    /// stamp; one rewritten in place gets one unless size and time stay within the file system's timestamp grain.
    /// </summary>
    /// <exception cref="IOException">The path cannot be examined off Linux.</exception>
    public static FileStamp? Stamp(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(0, 0, info.Length, info.LastWriteTimeUtc.Ticks, 0) : null;
        }

        var record = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxStampMask, record) != 0)
        {
            return null;
        }

        return StampOf(record);
    }

    /// <summary>
    /// The file or folder <paramref name="path"/> ends up at, every link followed and no part of it a <c>.</c> or
    /// <c>..</c>: the path itself when it exists, else its folder's real path and its name; on platforms without
    /// <c>realpath</c>, the full path.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or not a valid path.</exception>
    public static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!OperatingSystem.IsLinux())
        {
            return full;
        }

        var resolved = RealPathOf(full, 0);
        if (resolved != 0)
        {
            try
            {
                return Marshal.PtrToStringUTF8(resolved)!;
            }
            finally
            {
                NativeMemory.Free((void*)resolved);
            }
        }

        var parent = Path.GetDirectoryName(full);
        return parent is null || parent == full ? full : Path.Combine(RealPath(parent), Path.GetFileName(full));
    }

    /// <summary>The device and inode of what <paramref name="path"/> names, links followed; null when it is missing (or off Linux).</summary>
    public static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var record = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxStampMask, record) != 0)
        {
            return null;
        }

        var stamp = StampOf(record);
        return (stamp.Device, stamp.Inode);
    }

    /// <summary>The stamp (see <see cref="Stamp(string)"/>) of the open file <paramref name="handle"/>.</summary>
    /// <exception cref="IOException">The open file cannot be examined.</exception>
    public static FileStamp Stamp(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileStamp(0, 0, System.IO.RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle).Ticks, 0);
        }

        var record = stackalloc byte[StatxSize];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxStampMask, record) != 0)
            {
                throw new IOException($"An open file cannot be examined: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return StampOf(record);
    }

    private static FileStamp StampOf(byte* record) => new(
        ((ulong)*(uint*)(record + 136) << 32) | *(uint*)(record + 140),
        *(ulong*)(record + 32),
        *(long*)(record + 40),
        *(long*)(record + 112),
        *(uint*)(record + 120));

    /// <summary>A word for messages: "a character device", "a FIFO", ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        _ => kind.ToString(),
    };

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathOf(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* record);
}

/// <summary>One version of a file: device, inode, size and modification time (seconds and nanoseconds).</summary>
/// <param name="Device">The device the file is on (0 off Linux).</param>
/// <param name="Inode">The file's inode (0 off Linux).</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="ModifiedSeconds">The last modification time: seconds since 1970 (ticks off Linux).</param>
/// <param name="ModifiedNanoseconds">The last modification time: the nanoseconds within that second.</param>
public readonly record struct FileStamp(ulong Device, ulong Inode, long Size, long ModifiedSeconds, uint ModifiedNanoseconds);
