using Microsoft.Win32.SafeHandles;

namespace IOLink.DataAccess;

/// <summary>
/// A random access over a file handle: every read and write is one positioned system call
/// (<see cref="System.IO.RandomAccess"/>), so there is no shared cursor and concurrent reads need no lock.
/// </summary>
internal sealed class FileRandomAccess : RandomAccess
{
    private readonly SafeFileHandle _handle;
    private readonly bool _writable;

    /// <summary>Takes ownership of <paramref name="handle"/>.</summary>
    public FileRandomAccess(SafeFileHandle handle, long size, bool writable, string path)
        : base(size)
    {
        Path = path;
        _handle = handle;
        _writable = writable;
    }

    /// <summary>The file's handle, for copies inside the kernel (hold a lease on <see cref="RandomAccess.Source"/> while using it).</summary>
    internal SafeFileHandle Handle => _handle;

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    protected internal override RandomAccessCapability CapabilitiesCore =>
        RandomAccessCapability.READ | (_writable ? RandomAccessCapability.WRITE : RandomAccessCapability.NONE);

    protected internal override void ReadCore(long offset, Span<byte> dst)
    {
        while (!dst.IsEmpty)
        {
            var n = System.IO.RandomAccess.Read(_handle, dst, offset);
            if (n == 0)
            {
                AccessThrowHelper.FileShrank(offset, dst.Length);
            }

            offset += n;
            dst = dst[n..];
        }
    }

    protected internal override void WriteCore(long offset, ReadOnlySpan<byte> src) => System.IO.RandomAccess.Write(_handle, src, offset);

    protected internal override void FlushCore()
    {
        if (_writable)
        {
            System.IO.RandomAccess.FlushToDisk(_handle);
        }
    }

    protected override void ReleaseResources() => _handle.Dispose();
}
