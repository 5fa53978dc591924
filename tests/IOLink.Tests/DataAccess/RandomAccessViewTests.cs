using System.Runtime.InteropServices;
using IOLink.DataAccess;
using IOLink.Views;
using TestViews = IOLink.Tests.Views.SampleViews;

namespace IOLink.Tests.DataAccess;

/// <summary>A raw UINT16 volume written by "another program" (plain File.WriteAllBytes), viewed through IOLink.</summary>
public class RawVolumeFileTests
{
    private const ulong NX = 23, NY = 17, NZ = 9;
    private const int Header = 64;

    /// <summary>Element (x, y, z) holds x + 31 y + 577 z (all distinct); the file has a 64-byte header first.</summary>
    private static ushort Value(ulong x, ulong y, ulong z) => (ushort)(x + (31 * y) + (577 * z));

    private static TempFile WriteVolume()
    {
        var values = new ushort[NX * NY * NZ];
        for (ulong z = 0; z < NZ; z++)
        {
            for (ulong y = 0; y < NY; y++)
            {
                for (ulong x = 0; x < NX; x++)
                {
                    values[x + (NX * (y + (NY * z)))] = Value(x, y, z);
                }
            }
        }

        var bytes = new byte[Header + (values.Length * 2)];
        Bytes.Pattern(Header).CopyTo(bytes, 0);
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes.AsSpan(Header));
        return TempFile.With(bytes);
    }

    /// <summary>The bytes of a region, cut from the file's bytes: the oracle.</summary>
    private static byte[] RegionFromFile(byte[] file, RegionXu64 r)
    {
        var result = new List<byte>();
        for (var z = r.Origin[2]; z < r.Origin[2] + r.Size[2]; z++)
        {
            for (var y = r.Origin[1]; y < r.Origin[1] + r.Size[1]; y++)
            {
                var start = Header + (int)(2 * (r.Origin[0] + (NX * (y + (NY * z)))));
                result.AddRange(file.AsSpan(start, (int)(2 * r.Size[0])).ToArray());
            }
        }

        return [.. result];
    }

    public static TheoryData<ulong, ulong, ulong, ulong, ulong, ulong> Regions => new()
    {
        { 0, 0, 0, NX, NY, NZ },
        { 0, 0, 3, NX, NY, 2 },
        { 0, 4, 2, NX, 5, 3 },
        { 5, 4, 2, 7, 5, 3 },
        { 22, 16, 8, 1, 1, 1 },
        { 3, 0, 0, 1, NY, NZ },
    };

    private static ImageView Open(string how, string path, out RandomAccess access)
    {
        access = how switch
        {
            "file" => RandomAccessFactory.OpenFileRead(path),
            "file-write" => RandomAccessFactory.OpenFileWrite(path, new FileInfo(path).Length),
            "map" => RandomAccessFactory.MapFile(path),
            _ => RandomAccessFactory.MapFile(path, writable: true),
        };
        return ImageViewFactory.FromRandomAccess(access, Header, new VectorXu64(NX, NY, NZ), DataTypeId.UINT16);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void RegionsEqualTheBytesOnDisk(ulong ox, ulong oy, ulong oz, ulong sx, ulong sy, ulong sz)
    {
        using var file = WriteVolume();
        var onDisk = File.ReadAllBytes(file.Path);
        var region = new RegionXu64(new VectorXu64(ox, oy, oz), new VectorXu64(sx, sy, sz));
        foreach (var how in new[] { "file", "map" })
        {
            using var view = Open(how, file.Path, out var access);
            using (access)
            {
                var got = new byte[sx * sy * sz * 2];
                view.ReadRegion(region, got);
                Assert.Equal(RegionFromFile(onDisk, region), got);
                Assert.Equal(Value(ox, oy, oz), view.GetValue<ushort>(ox, oy, oz));
            }
        }
    }

    [Fact]
    public void Capabilities_FileViewHasNoMemoryAccess_MappedViewHas()
    {
        using var file = WriteVolume();
        using (var v = Open("file", file.Path, out var a))
        using (a)
        {
            Assert.Equal(ImageCapability.READ, v.Capabilities);
            var ex = Assert.Throws<NotSupportedException>(() => v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), new byte[v.ByteCount]));
            Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
            Assert.Throws<NotSupportedException>(() => _ = v.Buffer);
        }

        using (var v = Open("file-write", file.Path, out var a))
        using (a)
        {
            Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, v.Capabilities);
        }

        using (var v = Open("map", file.Path, out var a))
        using (a)
        {
            Assert.Equal(ImageCapability.READ | ImageCapability.MEMORY_ACCESS, v.Capabilities);
            Assert.True(v.IsContiguous);
        }

        using (var v = Open("map-write", file.Path, out var a))
        using (a)
        {
            Assert.Equal(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.MEMORY_ACCESS, v.Capabilities);
        }
    }

    [Theory]
    [InlineData("file-write")]
    [InlineData("map-write")]
    public void WritesThroughTheViewReachTheFile(string how)
    {
        using var file = WriteVolume();
        var region = new RegionXu64(new VectorXu64(2, 3, 4), new VectorXu64(5, 6, 2));
        var payload = Bytes.Pattern(5 * 6 * 2 * 2, seed: 11);
        using (var view = Open(how, file.Path, out var access))
        using (access)
        {
            view.WriteRegion(region, payload);
            view.SetValue<ushort>(0xBEEF, NX - 1, NY - 1, NZ - 1);
        }

        var onDisk = File.ReadAllBytes(file.Path);
        Assert.Equal(payload, RegionFromFile(onDisk, region));
        Assert.Equal(0xBEEF, BitConverter.ToUInt16(onDisk, onDisk.Length - 2));
        Assert.Equal(Bytes.Pattern(Header), onDisk[..Header]);
        // Bytes outside the region are untouched.
        Assert.Equal(Value(1, 3, 4), BitConverter.ToUInt16(onDisk, Header + (int)(2 * (1 + (NX * (3 + (NY * 4)))))));
        Assert.Equal(Value(7, 3, 4), BitConverter.ToUInt16(onDisk, Header + (int)(2 * (7 + (NX * (3 + (NY * 4)))))));
    }

    [Fact]
    public unsafe void MappedView_IsZeroCopy_BothWays()
    {
        using var file = WriteVolume();
        using var access = RandomAccessFactory.MapFile(file.Path, writable: true);
        using var view = ImageViewFactory.FromRandomAccess(access, Header, new VectorXu64(NX, NY, NZ), DataTypeId.UINT16);
        Assert.Equal(access.Buffer + Header, view.Buffer);

        view.SetValue<ushort>(0x1234, 1, 0, 0);
        var two = new byte[2];
        access.Read(Header + 2, two);
        Assert.Equal(0x1234, BitConverter.ToUInt16(two));

        access.Write(Header + 4, [0x78, 0x56]);
        Assert.Equal(0x5678, view.GetValue<ushort>(2, 0, 0));
        Assert.Equal(0x5678, ((ushort*)view.Buffer)[2]);
    }

    [Fact]
    public void Views_KeepTheirDataAliveAfterTheAccessIsDisposed()
    {
        using var file = WriteVolume();
        var mapped = Open("map", file.Path, out var mapAccess);
        var onFile = Open("file", file.Path, out var fileAccess);
        mapAccess.Dispose();
        fileAccess.Dispose();
        Assert.Throws<ObjectDisposedException>(() => fileAccess.Read(0, new byte[1]));
        Assert.Equal(Value(4, 5, 6), mapped.GetValue<ushort>(4, 5, 6));
        Assert.Equal(Value(4, 5, 6), onFile.GetValue<ushort>(4, 5, 6));
        using var sub = ImageViewFactory.ExtractRegion(onFile, new RegionXu64(new VectorXu64(1, 1, 1), new VectorXu64(5, 6, 7)));
        onFile.Dispose();
        mapped.Dispose();
        Assert.Equal(Value(4, 5, 6), sub.GetValue<ushort>(3, 4, 5));
    }

    [Fact]
    public void DerivedViewsOfAFileView_MatchTheSameViewsInMemory()
    {
        using var file = WriteVolume();
        using var onFile = Open("file", file.Path, out var access);
        using (access)
        {
            using var inMemory = ImageViewFactory.CopyInMemory(onFile);
            Assert.Equal(TestViews.ReadOneByOne16(inMemory), TestViews.ReadAll16(onFile));
            var region = new RegionXu64(new VectorXu64(2, 1, 3), new VectorXu64(9, 8, 4));
            using var a = ImageViewFactory.FlipDimension(ImageViewFactory.ExtractRegion(onFile, region), 0);
            using var b = ImageViewFactory.FlipDimension(ImageViewFactory.ExtractRegion(inMemory, region), 0);
            Assert.Equal(TestViews.ReadOneByOne16(b), TestViews.ReadAll16(a));
            using var c = ImageViewFactory.SubSample(onFile, new VectorXu64(3, 2, 4));
            using var d = ImageViewFactory.SubSample(inMemory, new VectorXu64(3, 2, 4));
            Assert.Equal(TestViews.ReadOneByOne16(d), TestViews.ReadAll16(c));
        }
    }

    [Fact]
    public void BadViews_Throw()
    {
        using var access = RandomAccessFactory.Allocate(100);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, 10, new VectorXu64(10, 5), DataTypeId.UINT16));
        Assert.Equal("shape", ex.ParamName);
        Assert.Contains("at offset 10 needs 100 bytes from there (to byte 110) but the access holds only 100 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, 101, new VectorXu64(1), DataTypeId.UINT8));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(1UL << 62, 4), DataTypeId.UINT16));
        var nex = Assert.Throws<ArgumentOutOfRangeException>(() => ImageViewFactory.FromRandomAccess(access, -1, new VectorXu64(1), DataTypeId.UINT8));
        Assert.Contains("negative", nex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(0), DataTypeId.UINT8));
        Assert.Throws<ArgumentNullException>(() => ImageViewFactory.FromRandomAccess(null!, 0, new VectorXu64(1), DataTypeId.UINT8));
        using (var exact = ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(10, 5), DataTypeId.UINT16))
        {
            Assert.Equal(100, exact.ByteCount);
        }

        var disposed = RandomAccessFactory.Allocate(10);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.FromRandomAccess(disposed, 0, new VectorXu64(1), DataTypeId.UINT8));
    }
}

public class RunTransferTests
{
    /// <summary>A 3D UINT8 view of shape (8, 6, 5) over a counting stream holding the numbers 0..239 (no MEMORY_ACCESS).</summary>
    private static (ImageView View, CountingStream Stream, RandomAccess Access) Make()
    {
        var data = new byte[240];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        var stream = new CountingStream(data);
        var access = RandomAccessFactory.FromStream(stream);
        return (ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(8, 6, 5), DataTypeId.UINT8), stream, access);
    }

    [Theory]
    [InlineData(0, 0, 0, 8, 6, 5, 1)]   // everything: one transfer
    [InlineData(0, 0, 1, 8, 6, 3, 1)]   // full slices
    [InlineData(0, 2, 1, 8, 3, 3, 3)]   // full rows: one run per slice
    [InlineData(1, 2, 1, 5, 3, 3, 9)]   // partial rows: one run per row
    [InlineData(3, 3, 3, 1, 1, 1, 1)]
    public void OneTransferPerContiguousRun(ulong ox, ulong oy, ulong oz, ulong sx, ulong sy, ulong sz, int calls)
    {
        var (view, stream, access) = Make();
        using (access)
        using (view)
        {
            var region = new RegionXu64(new VectorXu64(ox, oy, oz), new VectorXu64(sx, sy, sz));
            var got = new byte[sx * sy * sz];
            view.ReadRegion(region, got);
            Assert.Equal(calls, stream.Reads);
            var k = 0;
            for (var z = oz; z < oz + sz; z++)
            {
                for (var y = oy; y < oy + sy; y++)
                {
                    for (var x = ox; x < ox + sx; x++)
                    {
                        Assert.Equal((byte)(x + (8 * y) + (48 * z)), got[k++]);
                    }
                }
            }

            view.WriteRegion(region, got);
            Assert.Equal(calls, stream.Writes);
        }
    }

    [Fact]
    public void FailedWrite_SaysTheRegionMayBePartlyUpdated()
    {
        var stream = new FailingWriteStream(new byte[100], failAfter: 2);
        using var access = RandomAccessFactory.FromStream(stream);
        using var view = ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(10, 10), DataTypeId.UINT8);
        var ex = Assert.Throws<IOException>(() => view.WriteRegion(new RegionXu64(new VectorXu64(1, 0), new VectorXu64(3, 10)), new byte[30]));
        Assert.Contains("may be partly updated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("write the whole region again", ex.Message, StringComparison.Ordinal);
        Assert.Equal("disk full", ex.InnerException!.Message);
    }
}

/// <summary>A MemoryStream whose writes fail after a number of successful ones, like a disk filling up.</summary>
internal sealed class FailingWriteStream(byte[] data, int failAfter) : MemoryStream(data, writable: true)
{
    private int _writes;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (++_writes > failAfter)
        {
            throw new IOException("disk full");
        }

        base.Write(buffer);
    }
}

public class OnDiskViewTests
{
    [Fact]
    public void CreateOnDisk_IsZeroed_ReadsAndWrites_AndDeletesItsFile()
    {
        var view = ImageViewFactory.CreateOnDisk(new VectorXu64(30, 20, 4), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME));
        var path = ((FileRandomAccess)((RandomAccessImageView)view).Access).Path;
        Assert.StartsWith(Path.GetTempPath(), path, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        Assert.Equal(30L * 20 * 4 * 4, new FileInfo(path).Length);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, view.Capabilities);
        Assert.Equal(ImageTypeId.VOLUME, view.AxesInterpretation.Id);
        Assert.Equal(0f, view.GetValue<float>(29, 19, 3));
        view.SetValue(2.5f, 29, 19, 3);
        Assert.Equal(2.5f, view.GetValue<float>(29, 19, 3));
        var sub = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(29, 19, 3), new VectorXu64(1, 1, 1)));
        view.Dispose();
        Assert.True(File.Exists(path));
        Assert.Equal(2.5f, sub.GetValue<float>(0, 0, 0));
        sub.Dispose();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void CopyOnDisk_CopiesDataPropertiesAndMetadata()
    {
        using var source = TestViews.Numbered(7, 5, 3);
        source.Properties.AxesInterpretation = ImageTypeId.VOLUME;
        source.Metadata.Add(new MetadataNode("origin", "test"));
        using var flipped = ImageViewFactory.FlipDimension(source, ImageDimension.ROW);
        using var copy = ImageViewFactory.CopyOnDisk(flipped);
        Assert.False(copy.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(TestViews.ReadOneByOne16(flipped), TestViews.ReadAll16(copy));
        Assert.Equal(ImageTypeId.VOLUME, copy.AxesInterpretation.Id);
        Assert.Equal("test", copy.Metadata.Find("origin")?.Value);
        copy.SetValue<ushort>(1, 0, 0, 0);
        Assert.NotEqual(1, flipped.GetValue<ushort>(0, 0, 0));

        var disposed = TestViews.Numbered(2, 2, 2);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.CopyOnDisk(disposed));
        Assert.Throws<ArgumentNullException>(() => ImageViewFactory.CopyOnDisk(null!));
    }

    [Theory]
    [InlineData(2)]      // less than one element: one element at a time
    [InlineData(14)]     // part of a row
    [InlineData(30)]     // two rows
    [InlineData(200)]    // part of a slice
    [InlineData(1 << 20)]
    public void CopyInSlabs_AnySlabSize_CopiesEverything(long slab)
    {
        using var source = TestViews.Numbered(7, 5, 3);
        using var dst = ImageViewFactory.CreateOnDisk(source.Shape, source.DataType);
        ImageViewFactory.CopyInSlabs(source, dst, slab);
        Assert.Equal(TestViews.ReadAll16(source), TestViews.ReadAll16(dst));
    }

    [Fact]
    public void CreateOnDisk_BadInputs()
    {
        Assert.Throws<ArgumentException>(() => ImageViewFactory.CreateOnDisk(new VectorXu64(0, 3), DataTypeId.UINT8));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.CreateOnDisk(new VectorXu64(3), default));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.CreateOnDisk(new VectorXu64(3), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME)));
    }
}

public class WriteOnlyParentTests
{
    [Fact]
    public void ViewsThatWouldReadBack_DoNotClaimWrite()
    {
        using var file = new TempFile();
        var stream = new FileStream(file.Path, FileMode.Create, FileAccess.Write);
        stream.SetLength(8 * 8 * 2);
        using var access = RandomAccessFactory.FromStream(stream);
        using var view = ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(8, 8), DataTypeId.UINT16);
        Assert.Equal(ImageCapability.WRITE, view.Capabilities);

        // Whole elements, unit steps: a write covers what it touches, so no read-back is needed.
        using var region = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(2, 2), new VectorXu64(4, 4)));
        Assert.Equal(ImageCapability.WRITE, region.Capabilities);
        region.WriteRegion(RegionXu64.CreateFullRegion(region.Shape), new byte[32]);

        // Every second element: the gaps would have to be read back first, which this parent cannot do.
        using var sub = ImageViewFactory.SubSample(view, new VectorXu64(2, 2));
        Assert.Equal(ImageCapability.NONE, sub.Capabilities);
        var ex = Assert.Throws<NotSupportedException>(() => sub.WriteRegion(RegionXu64.CreateFullRegion(sub.Shape), new byte[32]));
        Assert.Contains("needs the WRITE capability", ex.Message, StringComparison.Ordinal);
    }
}
