using IOLink.Files;
using Microsoft.Win32.SafeHandles;

namespace IOLink.DataAccess;

/// <summary>Opens files for the factories and turns the runtime's errors into ones that name the path and the purpose.</summary>
internal static class FileOpener
{
    public static FileStream OpenStream(string path, FileMode mode, FileAccess access, FileShare share, FileOptions options, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new FileStream(path, mode, access, share, bufferSize: 4096, options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            Translate(ex, path, mode, purpose);
            throw;
        }
    }

    public static SafeFileHandle OpenHandle(string path, FileMode mode, FileAccess access, FileShare share, FileOptions options, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return File.OpenHandle(path, mode, access, share, options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            Translate(ex, path, mode, purpose);
            throw;
        }
    }

    /// <summary>
    /// Refuses, before opening, a path that names a directory, a device, a FIFO or a socket: random access, mapping and
    /// .npy reading need a regular file (opening a FIFO would wait for a writer forever). A missing path passes, so that
    /// opening it reports the usual not-found error.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The path is a directory.</exception>
    /// <exception cref="IOException">The path is a device, a FIFO or a socket.</exception>
    public static void RequireRegularFile(string path, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = FileProbe.Kind(path, followLinks: true);
        switch (kind)
        {
            case FileKind.Missing or FileKind.Regular:
                return;
            case FileKind.Directory:
                AccessThrowHelper.IsDirectory(path, purpose);
                break;
            default:
                AccessThrowHelper.NotRegularFile(path, purpose, FileProbe.Describe(kind));
                break;
        }
    }

    /// <summary>Throws the clearer exception for <paramref name="ex"/> (a not-found or access-denied error).</summary>
    private static void Translate(Exception ex, string path, FileMode mode, string purpose)
    {
        switch (ex)
        {
            case FileNotFoundException:
                AccessThrowHelper.FileNotFound(path, purpose, ex);
                break;
            case DirectoryNotFoundException when mode is FileMode.Open or FileMode.Truncate:
                AccessThrowHelper.FileNotFound(path, purpose, ex);
                break;
            case DirectoryNotFoundException:
                AccessThrowHelper.DirectoryNotFound(path, purpose, ex);
                break;
            case UnauthorizedAccessException:
                AccessThrowHelper.AccessDenied(path, purpose, ex);
                break;
        }
    }
}
