using Python.Runtime;

namespace IOLink.Python.Tests;

/// <summary>Rule 9: dropping either side never leaves the other dangling, and cycles do not leak.</summary>
[Collection(PythonTests.Name)]
public sealed class LifetimeTests
{
    private static void Collect()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Np.Exec("gc.collect()");
    }

    [Fact]
    public void Exported_array_outlives_the_disposed_and_collected_view()
    {
        PyObject a;
        {
            var view = ImageViewFactory.Allocate(new VectorXu64(256, 256), DataTypeId.UINT32, new ImageProperties(ImageTypeId.IMAGE));
            view.SetValue(0xDEADBEEFu, 255, 255);
            a = NumpyInterop.ToNumpyArray(view);
            view.Dispose();
        }

        Collect();
        // Churn allocations so that freed memory would be reused and show up as garbage.
        for (var i = 0; i < 50; i++)
        {
            using var other = ImageViewFactory.Allocate(new VectorXu64(256, 256), DataTypeId.UINT32);
            using var sink = Np.Own(NumpyInterop.ToNumpyArray(other));
        }

        Assert.Equal(0xDEADBEEFL, Np.Get<long>("int(a[255, 255])", ("a", a)));
        Assert.Equal(0xDEADBEEFL, Np.Get<long>("int(a.sum())", ("a", a)));
        Np.Dispose(a);
    }

    [Fact]
    public void Derived_arrays_keep_the_view_memory_after_the_first_array_is_dropped()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(10), DataTypeId.INT64);
        view.SetValue(-5L, 9);
        var a = NumpyInterop.ToNumpyArray(view);
        using var tail = Np.Ref("a[5:]", ("a", a));
        Np.Dispose(a);
        view.Dispose();
        Collect();
        Assert.Equal(-5, Np.Get<long>("int(t[4])", ("t", tail)));
    }

    [Fact]
    public void Imported_view_outlives_the_dropped_array()
    {
        ImageView view;
        {
            using var a = Np.Ref("np.full((128, 128), 7, np.uint16)");
            view = NumpyInterop.FromNumpyArray(a);
        }

        Collect();
        Np.Exec("junk = [np.full((128, 128), 1, np.uint16) for _ in range(50)]");
        Assert.Equal(7, view.GetValue<ushort>(127, 127));
        view.Dispose();
    }

    [Fact]
    public async Task Disposing_the_last_view_releases_the_array_reference_under_the_gil()
    {
        using var a = Np.Ref("np.zeros(16, np.uint8)");
        var before = Np.Get<long>("sys.getrefcount(a)", ("a", a));
        var view = NumpyInterop.FromNumpyArray(a);
        var sub = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(2), new VectorXu64(4)));
        Assert.Equal(before + 1, Np.Get<long>("sys.getrefcount(a)", ("a", a)));
        view.Dispose();
        Assert.Equal(before + 1, Np.Get<long>("sys.getrefcount(a)", ("a", a)));
        // Released from a thread that does not hold the GIL: the owner takes it.
        await Task.Run(sub.Dispose);
        Assert.Equal(before, Np.Get<long>("sys.getrefcount(a)", ("a", a)));
    }

    [Fact]
    public void Ten_thousand_import_export_cycles_leave_no_block_alive()
    {
        void Cycles(int n)
        {
            using (Py.GIL())
            {
                using var make = Np.Eval("lambda: np.ones((64, 1024), np.uint8)");
                for (var i = 0; i < n; i++)
                {
                    using var a = make.Invoke();
                    using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE);
                    using var b = Np.Own(NumpyInterop.ToNumpyArray(view));
                    using var copy = ImageViewFactory.Allocate(new VectorXu64(1024, 64), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE));
                    using var c = Np.Own(NumpyInterop.ToNumpyArray(copy));
                }
            }
        }

        Cycles(10);
        Collect();
        var before = IOLink.Memory.RefCounted.LiveCount;
        Cycles(10_000);
        // No collection here: each side releases the other as soon as it is dropped, so nothing is left for a GC.
        var after = IOLink.Memory.RefCounted.LiveCount;
        Assert.True(after == before, $"{after - before} memory block(s) still alive after 10,000 import/export cycles");
    }
}
