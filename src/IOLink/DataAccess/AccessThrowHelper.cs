using System.Diagnostics.CodeAnalysis;

namespace IOLink.DataAccess;

/// <summary>One method per error condition of the data-access layer, so that every message says what was wrong and what to do.</summary>
internal static class AccessThrowHelper
{
    [DoesNotReturn]
    public static void Disposed(object access) =>
        throw new ObjectDisposedException(access is StreamAccess ? nameof(StreamAccess) : nameof(RandomAccess),
            "This data access has been disposed; keep it alive while you use it (views made from it keep their data alive on their own).");

    [DoesNotReturn]
    public static void StreamDisposed(object stream) =>
        throw new ObjectDisposedException(nameof(Stream),
            "This stream has been disposed (or the access behind it has); call AsStream() again on a live access.");

    [DoesNotReturn]
    public static void MissingCapability(StreamAccessCapability missing, string operation, StreamAccessCapability has) =>
        throw new NotSupportedException(
            $"{operation} needs the {missing} capability, and this stream access has only {Describe(has)}." + Hint(missing));

    [DoesNotReturn]
    public static void MissingCapability(RandomAccessCapability missing, string operation, RandomAccessCapability has) =>
        throw new NotSupportedException(
            $"{operation} needs the {missing} capability, and this random access has only {Describe(has)}." +
            (missing == RandomAccessCapability.MEMORY_ACCESS ? " Map the file with RandomAccessFactory.MapFile or copy it into RandomAccessFactory.Allocate." :
             missing == RandomAccessCapability.WRITE ? " Open it for writing (RandomAccessFactory.OpenFileWrite, MapFile(path, writable: true))." : string.Empty));

    private static string Hint(StreamAccessCapability missing) => missing switch
    {
        StreamAccessCapability.SEEK => " Copy the stream into StreamAccessFactory.Allocate() first to seek in it.",
        StreamAccessCapability.MEMORY_ACCESS => " Copy the stream into StreamAccessFactory.Allocate() first.",
        StreamAccessCapability.WRITE => " Open it for writing (StreamAccessFactory.OpenFileWrite, Allocate).",
        _ => string.Empty,
    };

    public static string Describe(StreamAccessCapability caps) =>
        caps == StreamAccessCapability.NONE ? "NONE" : caps.ToString().Replace(",", " |", StringComparison.Ordinal);

    public static string Describe(RandomAccessCapability caps) =>
        caps == RandomAccessCapability.NONE ? "NONE" : caps.ToString().Replace(",", " |", StringComparison.Ordinal);

    [DoesNotReturn]
    public static void NegativeOffset(long offset, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, offset, $"Offset {offset} is negative; offsets count bytes from the start of the access and begin at 0.");

    [DoesNotReturn]
    public static void PastEnd(string verb, long count, long offset, long size, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, offset,
            $"{verb} {count} byte(s) at offset {offset} goes past the end of this {size}-byte random access; " +
            $"keep offset + length within the size (at most {Math.Max(0, size - Math.Min(offset, size))} byte(s) from this offset). A random access never grows.");

    [DoesNotReturn]
    public static void SeekBeforeBegin(long offset, SeekOrigin origin, long target) =>
        throw new IOException(
            $"Seeking by {offset} from {origin} would move the position to {target}, before the beginning of the stream; positions start at 0.");

    [DoesNotReturn]
    public static void InvalidOrigin(SeekOrigin origin, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, origin, $"{origin} is not a SeekOrigin; use Begin, Current or End.");

    [DoesNotReturn]
    public static void NotGrowable(long end, long capacity) =>
        throw new NotSupportedException(
            $"Writing up to byte {end} needs more than the {capacity}-byte buffer this stream access borrows, and a borrowed buffer cannot grow; " +
            "pass a larger buffer or use StreamAccessFactory.Allocate(), which grows.");

    [DoesNotReturn]
    public static void FixedSizeStream(long end, long size) =>
        throw new NotSupportedException(
            $"Writing up to byte {end} goes past the end of this {size}-byte random access, and a random access has a fixed size; " +
            "make the access large enough when you create it.");

    [DoesNotReturn]
    public static void FileNotFound(string path, string purpose, Exception inner) =>
        throw new FileNotFoundException(
            $"Cannot open '{path}' {purpose}: the file does not exist. Check the path (a relative path is resolved against the current directory).",
            path, inner);

    [DoesNotReturn]
    public static void DirectoryNotFound(string path, string purpose, Exception inner) =>
        throw new DirectoryNotFoundException(
            $"Cannot open '{path}' {purpose}: its directory does not exist. Create the directory first or fix the path.", inner);

    [DoesNotReturn]
    public static void PastLongMax(long position, int count) =>
        throw new IOException(
            $"Writing {count} byte(s) at position {position} would end past byte {long.MaxValue}, more than any stream can hold; seek to a smaller position first.");

    [DoesNotReturn]
    public static void CannotGrow(long needed, long length, Exception inner) =>
        throw new IOException(
            $"This in-memory stream cannot grow to {needed} bytes (it holds {length}): there is not enough memory. A write or SetLength that far (after a seek far past the end, say) needs that much; use a file stream for data that large.",
            inner);

    [DoesNotReturn]
    public static void IsDirectory(string path, string purpose) =>
        throw new UnauthorizedAccessException($"Cannot open '{path}' {purpose}: it is a directory; name a file inside it.");

    [DoesNotReturn]
    public static void NotRegularFile(string path, string purpose, string kind) =>
        throw new IOException(
            $"Cannot open '{path}' {purpose}: it is {kind}, not a regular file. Copy its data into a regular file first (for example with cat or dd).");

    [DoesNotReturn]
    public static void AccessDenied(string path, string purpose, Exception inner) =>
        throw new UnauthorizedAccessException(
            $"Access to '{path}' was denied when opening it {purpose}. Check the file's permissions, that it is not a directory and that it is not read-only.",
            inner);

    [DoesNotReturn]
    public static void EmptyFileCannotBeMapped(string path) =>
        throw new ArgumentException(
            $"'{path}' is empty and an empty file cannot be memory-mapped; give it a size first (RandomAccessFactory.OpenFileWrite(path, size)).", nameof(path));

    [DoesNotReturn]
    public static void FileShrank(long offset, long size) =>
        throw new EndOfStreamException(
            $"The file or stream ended at byte {offset} while {size} more bytes were expected: something truncated it while it was open. Reopen it to see its new size.");

    [DoesNotReturn]
    public static void StreamNotSeekable(string paramName) =>
        throw new ArgumentException(
            "A random access needs a seekable stream (CanSeek is false); use StreamAccessFactory.FromStream for sequential access, " +
            "or copy the stream into RandomAccessFactory.Allocate.", paramName);

    [DoesNotReturn]
    public static void StreamUnusable(string paramName) =>
        throw new ArgumentException("The stream can neither be read nor written (CanRead and CanWrite are false); it may have been disposed.", paramName);

    [DoesNotReturn]
    public static void ViewPastEnd(DataType type, VectorXu64 shape, long offset, long bytes, long size, string paramName) =>
        throw new ArgumentException(
            $"A {type} view of shape {shape} at offset {offset} needs {bytes} bytes from there (to byte {(decimal)offset + bytes}) but the access holds only {size} bytes; " +
            "use a smaller shape or offset, or a larger access.", paramName);
}
