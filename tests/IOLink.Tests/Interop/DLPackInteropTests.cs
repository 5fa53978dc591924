using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Memory;
using IOLink.Tests.Memory;

namespace IOLink.Tests.Interop;

/// <summary>
/// DLPack from .NET: exports by rules 6 to 8 that consumers of today take (data folded, byte_offset 0, strides in
/// elements, no negative stride), imports by rules 1 to 4 of any producer's tensor, and deleters run exactly once.
/// </summary>
[Collection(LiveCountGroup.Name)]
public sealed unsafe class DLPackInteropTests
{
    private static int _deleted;

    [UnmanagedCallersOnly]
    private static void CountingDeleter(DLManagedTensor* tensor) => Interlocked.Increment(ref _deleted);

    [UnmanagedCallersOnly]
    private static void CountingVersionedDeleter(DLManagedTensorVersioned* tensor) => Interlocked.Increment(ref _deleted);

    private static ImageView Volume(DataTypeId type = DataTypeId.UINT16) =>
        ImageViewFactory.Allocate(new VectorXu64(4, 3, 2), type, new ImageProperties(ImageTypeId.VOLUME));

    private static void Delete(DLManagedTensor* tensor) => tensor->Deleter(tensor);

    [Fact]
    public void ToDLPack_GivesNumpyOrderInElementStridesOnTheCpu()
    {
        using var view = Volume();
        var before = DLPackInterop.LiveExportCount;
        var tensor = DLPackInterop.ToDLPack(view);
        try
        {
            ref var t = ref tensor->DLTensor;
            Assert.Equal((int)DLDeviceType.CPU, t.Device.DeviceType);
            Assert.Equal(3, t.NDim);
            Assert.Equal([2L, 3, 4], new ReadOnlySpan<long>(t.Shape, 3).ToArray());       // (Z, Y, X)
            Assert.Equal([12L, 4, 1], new ReadOnlySpan<long>(t.Strides, 3).ToArray());
            Assert.Equal((byte)DLDataTypeCode.UInt, t.DType.Code);
            Assert.Equal(16, t.DType.Bits);
            Assert.Equal(1, t.DType.Lanes);
            Assert.Equal(0UL, t.ByteOffset);
            Assert.Equal(view.Buffer, (nint)t.Data);
            Assert.Equal(before + 1, DLPackInterop.LiveExportCount);
        }
        finally
        {
            Delete(tensor);
        }

        Assert.Equal(before, DLPackInterop.LiveExportCount);
    }

    [Fact]
    public void ToDLPack_FoldsARegionsOffsetIntoData_AndKeepsTheMemoryAfterTheView()
    {
        var view = Volume();
        view.SetValue<ushort>(777, 1, 2, 1);
        var sub = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(1, 1, 1), new VectorXu64(2, 2, 1)));
        var tensor = DLPackInterop.ToDLPack(sub);
        var live = RefCounted.LiveCount;
        sub.Dispose();
        view.Dispose();
        Assert.Equal(live, RefCounted.LiveCount);             // the tensor holds the block
        Assert.Equal(0UL, tensor->DLTensor.ByteOffset);
        Assert.Equal(777, ((ushort*)tensor->DLTensor.Data)[tensor->DLTensor.Strides[1]]);      // y=1 of the region
        Delete(tensor);
        Assert.Equal(live - 1, RefCounted.LiveCount);
    }

    [Fact]
    public void ToDLPack_VectorsGetAComponentAxis_AndAnOrderFollowsRule8()
    {
        using var rgb = ImageViewFactory.Allocate(new VectorXu64(6, 4), DataTypeId.VEC3_UINT8, new ImageProperties(ImageTypeId.IMAGE));
        var plain = DLPackInterop.ToDLPack(rgb);
        var planar = DLPackInterop.ToDLPack(rgb, ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN);
        try
        {
            Assert.Equal([4L, 6, 3], new ReadOnlySpan<long>(plain->DLTensor.Shape, 3).ToArray());
            Assert.Equal(8, plain->DLTensor.DType.Bits);
            Assert.Equal([3L, 4, 6], new ReadOnlySpan<long>(planar->DLTensor.Shape, 3).ToArray());
            Assert.Equal([1L, 18, 3], new ReadOnlySpan<long>(planar->DLTensor.Strides, 3).ToArray());
        }
        finally
        {
            Delete(plain);
            Delete(planar);
        }
    }

    [Fact]
    public void ToDLPack_RefusesNegativeStridesAndViewsWithoutMemory_WithoutLeaking()
    {
        using var view = Volume();
        using var flipped = ImageViewFactory.FlipDimension(view, ImageDimension.COLUMN);
        using var uniform = ImageViewFactory.Uniform(new VectorXu64(2), DataTypeId.UINT8, [1]);
        var exports = DLPackInterop.LiveExportCount;
        var live = RefCounted.LiveCount;
        var e = Assert.Throws<ArgumentException>(() => DLPackInterop.ToDLPack(flipped));
        Assert.Contains("negative stride", e.Message, StringComparison.Ordinal);
        Assert.Contains("CopyInMemory", e.Message, StringComparison.Ordinal);
        var n = Assert.Throws<NotSupportedException>(() => DLPackInterop.ToDLPack(uniform));
        Assert.Contains("MEMORY_ACCESS", n.Message, StringComparison.Ordinal);
        Assert.Equal(exports, DLPackInterop.LiveExportCount);
        Assert.Equal(live, RefCounted.LiveCount);
    }

    [Fact]
    public void ToDLPack_RefusesReadOnlyViewsAndStridesOfPartItems_WithoutLeaking()
    {
        using var view = Volume();
        using var readOnly = ImageViewFactory.MakeReadOnly(view);
        var exports = DLPackInterop.LiveExportCount;
        var live = RefCounted.LiveCount;
        var e = Assert.Throws<NotSupportedException>(() => DLPackInterop.ToDLPack(readOnly));
        Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
        Assert.Contains("CopyInMemory", e.Message, StringComparison.Ordinal);

        // Items of 2 bytes, 3 bytes apart: DLPack counts strides in items, so there is no true stride to give.
        var memory = new byte[64];
        fixed (byte* p = memory)
        {
            using var odd = ImageViewFactory.FromBuffer((nint)p, memory.Length, new VectorXu64(5), DataType.FromId(DataTypeId.INT16), [3]);
            var s = Assert.Throws<ArgumentException>(() => DLPackInterop.ToDLPack(odd));
            Assert.Contains("steps 3 bytes, not a whole number of its 2-byte items", s.Message, StringComparison.Ordinal);
        }

        Assert.Equal(exports, DLPackInterop.LiveExportCount);
        Assert.Equal(live, RefCounted.LiveCount);
    }

    [Fact]
    public void ToDLPackVersioned_IsVersion1_AndFlagsReadOnlyViewsInsteadOfRefusingThem()
    {
        using var view = Volume();
        using var readOnly = ImageViewFactory.MakeReadOnly(view);
        var exports = DLPackInterop.LiveExportCount;
        var writable = DLPackInterop.ToDLPackVersioned(view);
        var flagged = DLPackInterop.ToDLPackVersioned(readOnly);
        try
        {
            Assert.Equal((1u, 0u), (writable->Version.Major, writable->Version.Minor));
            Assert.Equal(0ul, writable->Flags);
            Assert.Equal((ulong)DLPackFlagBits.ReadOnly, flagged->Flags);
            Assert.Equal([2L, 3, 4], new ReadOnlySpan<long>(flagged->DLTensor.Shape, 3).ToArray());
            Assert.Equal([12L, 4, 1], new ReadOnlySpan<long>(flagged->DLTensor.Strides, 3).ToArray());
            Assert.Equal(view.Buffer, (nint)flagged->DLTensor.Data);
            Assert.Equal(exports + 2, DLPackInterop.LiveExportCount);

            // Imported back: the flag is kept as a missing WRITE, and the memory is the same.
            using var again = DLPackInterop.FromDLPack(flagged, ImageTypeId.VOLUME);
            flagged = null;
            Assert.False(again.Support(ImageCapability.WRITE));
            Assert.Throws<NotSupportedException>(() => again.SetValue((ushort)1, 0, 0, 0));
            view.SetValue((ushort)77, 3, 2, 1);
            Assert.Equal((ushort)77, again.GetValue<ushort>(3, 2, 1));
        }
        finally
        {
            writable->Deleter(writable);
            if (flagged != null)
            {
                flagged->Deleter(flagged);
            }
        }

        Assert.Equal(exports, DLPackInterop.LiveExportCount);
    }

    [Fact]
    public void FromDLPackVersioned_ChecksTheMajorVersion_AndDeletesOnce()
    {
        var data = new byte[16];
        long[] shape = [16];
        fixed (byte* p = data)
        fixed (long* s = shape)
        {
            var start = Volatile.Read(ref _deleted);
            foreach (var major in new uint[] { 0, 2, uint.MaxValue })
            {
                var e = ImportFails(Versioned(Tensor(p, s, null, 1, DLDataTypeCode.UInt, 8), major, 0));
                Assert.Contains($"version {major}.0, and IOLink reads DLPack 1.x", e.Message, StringComparison.Ordinal);
            }

            Assert.Equal(start, Volatile.Read(ref _deleted));          // a refused tensor stays the caller's
            var tensor = Versioned(Tensor(p, s, null, 1, DLDataTypeCode.UInt, 8), 1, 7);
            var view = DLPackInterop.FromDLPack(&tensor);
            Assert.True(view.Support(ImageCapability.WRITE));
            view.SetValue((byte)5, 3);
            Assert.Equal(5, data[3]);
            view.Dispose();
            Assert.Equal(start + 1, Volatile.Read(ref _deleted));
        }
    }

    [Fact]
    public void FromDLPack_OverflowingShapesStridesAndOffsets_NameTheField()
    {
        var start = Volatile.Read(ref _deleted);
        var data = new byte[64];
        long[] huge = [long.MaxValue / 2, 4];
        long[] shape = [2, 4];
        long[] strides = [long.MaxValue / 2, 1];
        fixed (byte* p = data)
        fixed (long* h = huge)
        fixed (long* s = shape)
        fixed (long* st = strides)
        {
            Assert.Contains("shape (4611686018427387903, 4) is larger than 64 bits", ImportFails(Tensor(p, h, null, 2, DLDataTypeCode.UInt, 32)).Message, StringComparison.Ordinal);
            Assert.Contains("stride 0 (4611686018427387903 items of 4 bytes) is larger than 64 bits", ImportFails(Tensor(p, s, st, 2, DLDataTypeCode.UInt, 32)).Message, StringComparison.Ordinal);
            Assert.Contains("byte_offset 18446744073709551615", ImportFails(Tensor(p, s, null, 2, DLDataTypeCode.UInt, 8, byteOffset: ulong.MaxValue)).Message, StringComparison.Ordinal);
        }

        Assert.Equal(start, Volatile.Read(ref _deleted));     // a refused tensor stays the caller's
    }

    [Fact]
    public void FromDLPack_OfAnExport_SharesMemory_AndDeletesOnceWithTheLastView()
    {
        using var view = Volume(DataTypeId.FLOAT);
        var before = DLPackInterop.LiveExportCount;
        var again = DLPackInterop.FromDLPack(DLPackInterop.ToDLPack(view), ImageTypeId.VOLUME);
        var region = ImageViewFactory.ExtractRegion(again, new RegionXu64(new VectorXu64(0, 0, 1), new VectorXu64(4, 3, 1)));
        Assert.Equal(view.Shape, again.Shape);
        view.SetValue(2.5f, 3, 2, 1);
        Assert.Equal(2.5f, region.GetValue<float>(3, 2, 0));
        again.Dispose();
        Assert.Equal(before + 1, DLPackInterop.LiveExportCount);
        region.Dispose();
        Assert.Equal(before, DLPackInterop.LiveExportCount);
    }

    [Fact]
    public void FromDLPack_ReadsEachRule_AndStridesAndOffsets()
    {
        var data = new int[24];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i;
        }

        var start = Volatile.Read(ref _deleted);

        fixed (int* p = data)
        {
            long[] shape = [3, 2];
            long[] strides = [4, 1];      // rows of 4 elements, 2 used
            fixed (long* s = shape)
            fixed (long* st = strides)
            {
                var tensor = Tensor(p, s, st, 2, DLDataTypeCode.Int, 32, byteOffset: 8);
                using (var plain = DLPackInterop.FromDLPack(&tensor))
                {
                    Assert.Equal(new VectorXu64(3, 2), plain.Shape);
                    Assert.Equal(3, plain.GetValue<int>(0, 1));          // 2 (the offset) + 1
                    Assert.Equal(10, plain.GetValue<int>(2, 0));         // 2 + 2 rows of 4
                }

                tensor = Tensor(p, s, st, 2, DLDataTypeCode.Int, 32);
                using (var image = DLPackInterop.FromDLPack(&tensor, ImageTypeId.IMAGE))
                {
                    Assert.Equal(new VectorXu64(2, 3), image.Shape);
                    Assert.Equal(5, image.GetValue<int>(1, 1));
                }

                tensor = Tensor(p, s, null, 2, DLDataTypeCode.Int, 32);        // NULL strides: C order
                using (var named = DLPackInterop.OrderFromDLPack(&tensor, ImageDimension.SLICE, ImageDimension.COLUMN))
                {
                    Assert.Equal(new VectorXu64(2, 3), named.Shape);
                    Assert.Equal(3, named.GetValue<int>(1, 1));
                }
            }
        }

        Assert.Equal(start + 3, Volatile.Read(ref _deleted));       // one deleter call per imported tensor
    }

    [Fact]
    public void FromDLPack_DeleterRunsOnce_AndNotWhenTheImportFails()
    {
        var data = new byte[16];
        long[] shape = [16];
        fixed (byte* p = data)
        fixed (long* s = shape)
        {
            var start = Volatile.Read(ref _deleted);
            var tensor = Tensor(p, s, null, 1, DLDataTypeCode.UInt, 8);
            var view = DLPackInterop.FromDLPack(&tensor);
            var copy = ImageViewFactory.Share(view);
            view.Dispose();
            Assert.Equal(start, Volatile.Read(ref _deleted));
            copy.Dispose();
            copy.Dispose();
            Assert.Equal(start + 1, Volatile.Read(ref _deleted));

            ImportFails(Tensor(p, s, null, 1, DLDataTypeCode.Bfloat, 16));
            Assert.Equal(start + 1, Volatile.Read(ref _deleted));     // still the caller's to delete
        }
    }

    public static TheoryData<int, byte, byte, ushort, long, string> Refusals => new()
    {
        { (int)DLDeviceType.CUDA, 1, 8, 1, 4, "device CUDA:0" },
        { 99, 1, 8, 1, 4, "device type 99:0" },
        { 1, 1, 8, 4, 4, "4 lanes" },
        { 1, 4, 16, 1, 4, "bfloat16 has no image view data type" },
        { 1, 2, 24, 1, 4, "float24 has no image view data type" },
        { 1, 3, 64, 1, 4, "opaquehandle64 has no image view data type" },
        { 1, 1, 8, 1, 0, "has no elements" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void FromDLPack_RefusesWhatNoViewCanBe(int device, byte code, byte bits, ushort lanes, long length, string message)
    {
        var data = new byte[64];
        long[] shape = [length];
        fixed (byte* p = data)
        fixed (long* s = shape)
        {
            var e = ImportFails(Tensor(p, s, null, 1, (DLDataTypeCode)code, bits, lanes: lanes, device: device));
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
            Assert.Equal("tensor", e.ParamName);
        }
    }

    [Fact]
    public void FromDLPack_RefusesNullsAndScalars()
    {
        Assert.Throws<ArgumentNullException>(() => DLPackInterop.FromDLPack((DLManagedTensor*)null));
        Assert.Throws<ArgumentNullException>(() => DLPackInterop.FromDLPack((DLManagedTensorVersioned*)null));
        long[] shape = [4];
        var data = new byte[4];
        fixed (long* s = shape)
        fixed (byte* p = data)
        {
            Assert.Contains("0-d", ImportFails(Tensor(p, s, null, 0, DLDataTypeCode.UInt, 8)).Message, StringComparison.Ordinal);
            Assert.Contains("no data pointer", ImportFails(Tensor(null, s, null, 1, DLDataTypeCode.UInt, 8)).Message, StringComparison.Ordinal);
            Assert.Contains("no shape", ImportFails(Tensor(p, null, null, 1, DLDataTypeCode.UInt, 8)).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DataTypeId.UINT8, DLDataTypeCode.UInt, 8)]
    [InlineData(DataTypeId.INT64, DLDataTypeCode.Int, 64)]
    [InlineData(DataTypeId.FLOAT, DLDataTypeCode.Float, 32)]
    [InlineData(DataTypeId.DOUBLE, DLDataTypeCode.Float, 64)]
    [InlineData(DataTypeId.COMPLEX_FLOAT, DLDataTypeCode.Complex, 64)]
    [InlineData(DataTypeId.COMPLEX_DOUBLE, DLDataTypeCode.Complex, 128)]
    public void DataTypes_MapBothWays(DataTypeId id, DLDataTypeCode code, byte bits)
    {
        var dl = DLPackInterop.ToDLDataType(id);
        Assert.Equal((byte)code, dl.Code);
        Assert.Equal(bits, dl.Bits);
        Assert.Equal(DataType.FromId(id), DLPackInterop.FromDLDataType(dl));
        Assert.Equal(DataType.FromId(DataTypeId.UINT8), DLPackInterop.FromDLDataType(new DLDataType { Code = (byte)DLDataTypeCode.Bool, Bits = 8, Lanes = 1 }));
        Assert.Throws<ArgumentException>(() => DLPackInterop.ToDLDataType(DataTypeId.VEC3_UINT8));
    }

    /// <summary>The refusal of a tensor (passed by value so its address can be taken here, outside any lambda).</summary>
    private static ArgumentException ImportFails(DLManagedTensorVersioned tensor)
    {
        try
        {
            DLPackInterop.FromDLPack(&tensor).Dispose();
        }
        catch (ArgumentException e)
        {
            return e;
        }

        Assert.Fail("FromDLPack accepted a tensor it should refuse");
        return null!;
    }

    private static ArgumentException ImportFails(DLManagedTensor tensor)
    {
        try
        {
            DLPackInterop.FromDLPack(&tensor).Dispose();
        }
        catch (ArgumentException e)
        {
            return e;
        }

        Assert.Fail("FromDLPack accepted a tensor it should refuse");
        return null!;
    }

    private static DLManagedTensor Tensor(void* data, long* shape, long* strides, int rank, DLDataTypeCode code, byte bits,
        ushort lanes = 1, int device = 1, ulong byteOffset = 0) => new()
        {
            DLTensor = new DLTensor
            {
                Data = data,
                Device = new DLDevice { DeviceType = device },
                NDim = rank,
                DType = new DLDataType { Code = (byte)code, Bits = bits, Lanes = lanes },
                Shape = shape,
                Strides = strides,
                ByteOffset = byteOffset,
            },
            Deleter = &CountingDeleter,
        };

    private static DLManagedTensorVersioned Versioned(DLManagedTensor plain, uint major, uint minor, ulong flags = 0) => new()
    {
        Version = new DLPackVersion { Major = major, Minor = minor },
        Flags = flags,
        DLTensor = plain.DLTensor,
        Deleter = &CountingVersionedDeleter,
    };
}
