using IOLink.Storage;
namespace IOLink.Tiff.Internal;

/// <summary>
/// One open file read by several views (the images and resolutions of one TIFF): each holder has an access of its
/// own, and the file is closed when the last is released, so the directories and every view read the same file.
/// </summary>
internal sealed class SharedFile : RandomAccess
{
    private readonly Shared _shared;

    private SharedFile(Shared shared)
        : base(shared.File.Size)
    {
        _shared = shared;
    }

    /// <summary>Opens the file at <paramref name="path"/> for reading; the caller holds the first access.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static SharedFile Open(string path) => new(new Shared(Locations.OpenRead(path)));

    /// <summary>Another access to the same open file, for a holder that releases it on its own.</summary>
    public SharedFile Share()
    {
        Interlocked.Increment(ref _shared.Holders);
        return new SharedFile(_shared);
    }

    protected override RandomAccessCapability CapabilitiesCore => RandomAccessCapability.READ;

    protected override void ReadCore(long offset, Span<byte> dst) => _shared.File.Read(offset, dst);

    protected override void WriteCore(long offset, ReadOnlySpan<byte> src) => throw new NotSupportedException("A TIFF file is opened read-only.");

    protected override void ReleaseResources()
    {
        if (Interlocked.Decrement(ref _shared.Holders) == 0)
        {
            _shared.File.Dispose();
        }
    }

    private sealed class Shared(RandomAccess file)
    {
        public readonly RandomAccess File = file;
        public int Holders = 1;
    }
}
