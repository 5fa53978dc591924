namespace IOLink.Tests.DataAccess;

/// <summary>
/// 64-bit offsets: a sparse file of more than 8 GiB (no disk space used beyond the pages written) read and written
/// beyond the 4 GiB mark through a file-backed view and a memory-mapped view.
/// </summary>
public class LargeFileTests
{
    // A UINT16 volume of 65536 x 16384 x 5 = 10 GiB; slice z starts at z * 2 GiB.
    private const ulong NX = 65536, NY = 16384, NZ = 5;
    private const long SliceBytes = (long)(NX * NY * 2);

    [Fact]
    public void SparseFileBeyond8GiB_FileViewAndMappedView()
    {
        using var file = new TempFile();
        using (var fs = File.Create(file.Path))
        {
            fs.SetLength(SliceBytes * (long)NZ);
        }

        Assert.True(new FileInfo(file.Path).Length > 8L << 30);
        var shape = new VectorXu64(NX, NY, NZ);

        // Beyond 4 GiB (slice 2 starts at 4 GiB) and beyond 8 GiB (slice 4).
        var high = new RegionXu64(new VectorXu64(100, NY - 3, 2), new VectorXu64(6, 3, 1));
        var higher = new RegionXu64(new VectorXu64(NX - 4, NY - 2, 4), new VectorXu64(4, 2, 1));
        var payload = Bytes.Pattern(6 * 3 * 2, seed: 5);
        var payload2 = Bytes.Pattern(4 * 2 * 2, seed: 9);

        using (var access = RandomAccessFactory.OpenFileWrite(file.Path, SliceBytes * (long)NZ))
        using (var view = ImageViewFactory.FromRandomAccess(access, 0, shape, DataTypeId.UINT16))
        {
            Assert.False(view.Support(ImageCapability.MEMORY_ACCESS));
            var zeros = new byte[payload.Length];
            view.ReadRegion(high, zeros);
            Assert.All(zeros, b => Assert.Equal(0, b));
            view.WriteRegion(high, payload);
            var back = new byte[payload.Length];
            view.ReadRegion(high, back);
            Assert.Equal(payload, back);
        }

        using (var access = RandomAccessFactory.MapFile(file.Path, writable: true))
        using (var view = ImageViewFactory.FromRandomAccess(access, 0, shape, DataTypeId.UINT16))
        {
            Assert.True(view.Support(ImageCapability.MEMORY_ACCESS));
            var back = new byte[payload.Length];
            view.ReadRegion(high, back);
            Assert.Equal(payload, back);
            view.WriteRegion(higher, payload2);
        }

        // Both writes are in the file at their 64-bit offsets, read with plain .NET.
        using var handle = File.OpenHandle(file.Path);
        var first = new byte[12];
        System.IO.RandomAccess.Read(handle, first, (2 * SliceBytes) + ((long)(NY - 3) * (long)NX * 2) + 200);
        Assert.Equal(payload[..12], first);
        var last = new byte[4];
        System.IO.RandomAccess.Read(handle, last, (SliceBytes * (long)NZ) - 4);
        Assert.Equal(payload2[^4..], last);
    }
}
