using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace IOLink.Files;

/// <summary>
/// Copies bytes from one file to another inside the kernel (Linux <c>copy_file_range</c>, what <c>cp</c> uses):
/// the data never passes through this process, and a file system that can share extents shares them.
/// </summary>
internal static unsafe partial class KernelCopy
{
    private const long ChunkBytes = 256L << 20;
    private const int EINTR = 4;

    /// <summary>
    /// Copies <paramref name="count"/> bytes from <paramref name="source"/> at <paramref name="sourceOffset"/> to
    /// <paramref name="target"/> at <paramref name="targetOffset"/>, reporting the bytes done after each chunk.
    /// False, with nothing copied, when the kernel or the file systems cannot do it (the caller then copies itself).
    /// </summary>
    /// <exception cref="IOException">The copy started and then failed, or the source ended early.</exception>
    public static bool TryCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long count, Action<long>? progress)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var done = 0L;
        var added = false;
        var addedTarget = false;
        try
        {
            source.DangerousAddRef(ref added);
            target.DangerousAddRef(ref addedTarget);
            var from = (int)source.DangerousGetHandle();
            var to = (int)target.DangerousGetHandle();
            while (done < count)
            {
                var inOffset = sourceOffset + done;
                var outOffset = targetOffset + done;
                var n = CopyFileRange(from, &inOffset, to, &outOffset, (nuint)Math.Min(ChunkBytes, count - done), 0);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    if (done == 0)
                    {
                        // Not supported here (old kernel, cross-device on an old kernel, a file system without it): the caller copies.
                        return false;
                    }

                    throw new IOException($"Copying file data failed after {done} of {count} bytes: {Marshal.GetPInvokeErrorMessage(errno)}.");
                }

                if (n == 0)
                {
                    throw new IOException($"The input file ended after {done} of {count} bytes while it was copied; it was truncated by another program.");
                }

                done += n;
                progress?.Invoke(done);
            }

            return true;
        }
        finally
        {
            if (added)
            {
                source.DangerousRelease();
            }

            if (addedTarget)
            {
                target.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);
}
