using System.Runtime.InteropServices;

namespace IOLink.Tests.Views;

/// <summary>
/// The same logical UINT16 volume (x, y, z) = x + 10 y + 100 z stored in different memory layouts: every layout
/// must read the same through elements, regions and copies.
/// </summary>
public sealed class LayoutTests : IDisposable
{
    private const ulong NX = 7;
    private const ulong NY = 5;
    private const ulong NZ = 3;
    private readonly List<GCHandle> _pins = [];

    public static TheoryData<string> Layouts => new() { "C", "Fortran", "Permuted", "Flipped", "SubSampled", "Region", "Indirect" };

    /// <summary>Makes the volume in the named layout.</summary>
    private ImageView Make(string layout)
    {
        switch (layout)
        {
            case "C":
                return SampleViews.Numbered(NX, NY, NZ);
            case "Fortran":
                return Stored([2, 1, 0]);
            case "Permuted":
                return Stored([1, 0, 2]);
            case "Flipped":
            {
                // Store the volume reversed along Y, then flip it back: the result has a negative Y stride.
                using var stored = SampleViews.Numbered(NX, NY, NZ);
                using var reversed = ImageViewFactory.CopyInMemory(ImageViewFactory.FlipDimension(stored, 1));
                return ImageViewFactory.FlipDimension(reversed, 1);
            }

            case "SubSampled":
            {
                using var big = ImageViewFactory.Allocate(new VectorXu64(NX * 2, NY * 3, NZ), DataTypeId.UINT16);
                for (ulong z = 0; z < NZ; z++)
                {
                    for (ulong y = 0; y < NY; y++)
                    {
                        for (ulong x = 0; x < NX; x++)
                        {
                            big.SetValue((ushort)(x + (10 * y) + (100 * z)), x * 2, y * 3, z);
                        }
                    }
                }

                return ImageViewFactory.SubSample(big, new VectorXu64(2, 3, 1));
            }

            case "Region":
            {
                using var big = SampleViews.Numbered(NX + 3, NY + 2, NZ + 1);
                var inner = ImageViewFactory.ExtractRegion(big, new RegionXu64(new VectorXu64(0, 0, 0), new VectorXu64(NX, NY, NZ)));
                return inner;
            }

            case "Indirect":
            {
                var inner = SampleViews.Numbered(NX, NY, NZ);
                return new IndirectView(inner);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(layout));
        }
    }

    /// <summary>A borrowed-buffer view whose dimensions are stored in <paramref name="order"/> (fastest first).</summary>
    private unsafe ImageView Stored(int[] order)
    {
        var shape = new[] { NX, NY, NZ };
        var strides = new long[3];
        long s = 2;
        foreach (var d in order)
        {
            strides[d] = s;
            s *= (long)shape[d];
        }

        var data = new ushort[NX * NY * NZ];
        for (ulong z = 0; z < NZ; z++)
        {
            for (ulong y = 0; y < NY; y++)
            {
                for (ulong x = 0; x < NX; x++)
                {
                    data[(((long)x * strides[0]) + ((long)y * strides[1]) + ((long)z * strides[2])) / 2] = (ushort)(x + (10 * y) + (100 * z));
                }
            }
        }

        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        _pins.Add(pin);
        return ImageViewFactory.FromBuffer(pin.AddrOfPinnedObject(), data.Length * 2, shape, DataTypeId.UINT16, strides);
    }

    private static ushort Expected(ulong x, ulong y, ulong z) => (ushort)(x + (10 * y) + (100 * z));

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Elements_HaveTheirLogicalValues(string layout)
    {
        using var v = Make(layout);
        Assert.Equal(new VectorXu64(NX, NY, NZ), v.Shape);
        for (ulong z = 0; z < NZ; z++)
        {
            for (ulong y = 0; y < NY; y++)
            {
                for (ulong x = 0; x < NX; x++)
                {
                    Assert.Equal(Expected(x, y, z), v.GetValue<ushort>(x, y, z));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void FullRegion_EqualsElementByElement(string layout)
    {
        using var v = Make(layout);
        Assert.Equal(SampleViews.ReadOneByOne16(v), SampleViews.ReadAll16(v));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void SubRegion_IsDenseInCanonicalOrder(string layout)
    {
        using var v = Make(layout);
        var region = new RegionXu64(new VectorXu64(2, 1, 1), new VectorXu64(4, 3, 2));
        var got = new ushort[24];
        v.ReadRegion(region, MemoryMarshal.AsBytes(got.AsSpan()));
        var i = 0;
        for (ulong z = 1; z < 3; z++)
        {
            for (ulong y = 1; y < 4; y++)
            {
                for (ulong x = 2; x < 6; x++)
                {
                    Assert.Equal(Expected(x, y, z), got[i++]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WriteRegion_ReachesTheRightElements(string layout)
    {
        using var v = Make(layout);
        var region = new RegionXu64(new VectorXu64(1, 2, 0), new VectorXu64(3, 2, 2));
        var src = Enumerable.Range(0, 12).Select(i => (ushort)(5000 + i)).ToArray();
        v.WriteRegion(region, MemoryMarshal.AsBytes(src.AsSpan()));
        var i = 0;
        for (ulong z = 0; z < NZ; z++)
        {
            for (ulong y = 0; y < NY; y++)
            {
                for (ulong x = 0; x < NX; x++)
                {
                    var inside = x is >= 1 and < 4 && y is >= 2 and < 4 && z < 2;
                    var expected = inside ? (ushort)(5000 + (int)(x - 1) + (3 * (int)(y - 2)) + (6 * (int)z)) : Expected(x, y, z);
                    Assert.Equal(expected, v.GetValue<ushort>(x, y, z));
                    i++;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void CopyInMemory_IsDenseCanonical(string layout)
    {
        using var v = Make(layout);
        using var copy = ImageViewFactory.CopyInMemory(v);
        Assert.True(copy.IsContiguous);
        Assert.True(copy.Support(ImageCapability.RESHAPE | ImageCapability.MEMORY_ACCESS | ImageCapability.WRITE));
        Assert.Equal(SampleViews.ReadAll16(v), SampleViews.ReadAll16(copy));
        copy.SetValue<ushort>(9, 0, 0, 0);
        Assert.Equal(0, v.GetValue<ushort>(0, 0, 0));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Flip_Region_SubSample_Channel_ComposeOnEveryLayout(string layout)
    {
        using var v = Make(layout);
        using var flipped = ImageViewFactory.FlipDimension(v, 0);
        using var region = ImageViewFactory.ExtractRegion(flipped, new RegionXu64(new VectorXu64(1, 1, 0), new VectorXu64(5, 3, 3)));
        using var sub = ImageViewFactory.SubSample(region, new VectorXu64(2, 2, 2));
        Assert.Equal(new VectorXu64(3, 2, 2), sub.Shape);
        for (ulong z = 0; z < 2; z++)
        {
            for (ulong y = 0; y < 2; y++)
            {
                for (ulong x = 0; x < 3; x++)
                {
                    var px = NX - 1 - (1 + (2 * x));
                    Assert.Equal(Expected(px, 1 + (2 * y), 2 * z), sub.GetValue<ushort>(x, y, z));
                }
            }
        }

        Assert.Equal(SampleViews.ReadOneByOne16(sub), SampleViews.ReadAll16(sub));
        sub.SetValue<ushort>(4242, 2, 1, 1);
        Assert.Equal(4242, v.GetValue<ushort>(NX - 1 - 5, 3, 2));
        Assert.Equal(v.Support(ImageCapability.MEMORY_ACCESS), sub.Support(ImageCapability.MEMORY_ACCESS));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ReinterpretAxes_ReordersToCanonicalOrder(string layout)
    {
        using var v = Make(layout);
        // Name the view's dimensions (SLICE, COLUMN, ROW): canonical order is then (view 1, view 2, view 0).
        using var r = ImageViewFactory.ReinterpretAxes(v, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW);
        Assert.Equal((ImageType)ImageTypeId.VOLUME, r.AxesInterpretation);
        Assert.Equal(new VectorXu64(NY, NZ, NX), r.Shape);
        Assert.Equal(Expected(6, 4, 2), r.GetValue<ushort>(4, 2, 6));
        Assert.Equal(SampleViews.ReadOneByOne16(r), SampleViews.ReadAll16(r));
    }

    public void Dispose()
    {
        foreach (var p in _pins)
        {
            p.Free();
        }
    }
}
