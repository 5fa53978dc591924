namespace IOLink.PublicApi.Tests;

/// <summary>Random and stream accesses written outside IOLink, with public API only.</summary>
public sealed class ExtensionAccessTests
{
    /// <summary>A random access over a byte array that claims MEMORY_ACCESS it cannot give, and counts its releases.</summary>
    private sealed class ArrayAccess(byte[] data) : RandomAccess(data.Length)
    {
        public int Releases { get; private set; }

        protected override RandomAccessCapability CapabilitiesCore =>
            RandomAccessCapability.READ | RandomAccessCapability.WRITE | RandomAccessCapability.MEMORY_ACCESS;

        protected override void ReadCore(long offset, Span<byte> dst) => data.AsSpan((int)offset, dst.Length).CopyTo(dst);

        protected override void WriteCore(long offset, ReadOnlySpan<byte> src) => src.CopyTo(data.AsSpan((int)offset));

        protected override void ReleaseResources() => Releases++;
    }

    /// <summary>A forward-only stream access that yields a counting sequence and counts its releases.</summary>
    private sealed class CountingStreamAccess(int length) : StreamAccess
    {
        private int _position;

        public int Releases { get; private set; }

        protected override StreamAccessCapability CapabilitiesCore => StreamAccessCapability.READ | StreamAccessCapability.MEMORY_ACCESS;

        protected override bool IsEofCore => _position >= length;

        protected override long LengthCore => length;

        protected override int ReadCore(Span<byte> dst)
        {
            var n = Math.Min(dst.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                dst[i] = (byte)(_position + i);
            }

            _position += n;
            return n;
        }

        protected override void WriteCore(ReadOnlySpan<byte> src) => throw new NotSupportedException();

        protected override long TellCore() => _position;

        protected override void SeekCore(long position) => throw new NotSupportedException();

        protected override void SetLengthCore(long length) => throw new NotSupportedException();

        protected override void ReleaseResources() => Releases++;
    }

    [Fact]
    public void A_random_access_written_outside_IOLink_reads_writes_and_backs_views_that_share_it()
    {
        var data = Enumerable.Range(0, 24).Select(i => (byte)i).ToArray();
        var access = new ArrayAccess(data);
        // MEMORY_ACCESS is IOLink's own accesses': an outside access never hands out an address.
        Assert.Equal(RandomAccessCapability.READ | RandomAccessCapability.WRITE, access.Capabilities);
        Assert.Throws<NotSupportedException>(() => access.Buffer);
        var two = new byte[2];
        access.Read(22, two);
        Assert.Equal([22, 23], two);
        Assert.Throws<ArgumentOutOfRangeException>(() => access.Read(23, two));

        var view = ImageViewFactory.FromRandomAccess(access, 4, new VectorXu64(2, 2), DataTypeId.UINT32);
        view.WriteRegion(new RegionXu64(new VectorXu64(1, 1), new VectorXu64(1, 1)), BitConverter.GetBytes(0xDDCCBBAAu));
        Assert.Equal([0xAA, 0xBB, 0xCC, 0xDD], data[16..20]);

        // Disposing the access ends the handle; the data goes with the last view, once.
        access.Dispose();
        Assert.Equal(0, access.Releases);
        Assert.Throws<ObjectDisposedException>(() => access.Read(0, two));
        view.Dispose();
        Assert.Equal(1, access.Releases);
    }

    [Fact]
    public void A_stream_access_written_outside_IOLink_reads_through_the_checked_members()
    {
        var access = new CountingStreamAccess(10);
        Assert.Equal(StreamAccessCapability.READ, access.Capabilities);
        Assert.False(access.Support(StreamAccessCapability.MEMORY_ACCESS));
        Assert.Throws<NotSupportedException>(() => access.Length);
        Assert.Throws<NotSupportedException>(() => access.Write([1]));
        var buffer = new byte[16];
        Assert.Equal(10, access.Read(buffer));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), buffer[..10]);
        Assert.True(access.IsEof);
        access.Dispose();
        access.Dispose();
        Assert.Equal(1, access.Releases);
        Assert.Throws<ObjectDisposedException>(() => access.Read(buffer));
    }
}
