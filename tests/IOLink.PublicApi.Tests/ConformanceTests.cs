using System.Runtime.InteropServices;
using CustomView;
using IOLink.Conformance;

namespace IOLink.PublicApi.Tests;

// The same conformance tests for IOLink's own views and for views written outside it (public API only).

public sealed class MemoryViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(7, 5, 3), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var values = Enumerable.Range(0, 105).Select(i => (ushort)(i * 3)).ToArray();
        view.WriteRegion(new RegionXu64(new VectorXu64(0, 0, 0), view.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return view;
    }
}

public sealed class VectorViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(6, 4), DataTypeId.VEC3_FLOAT, new ImageProperties(ImageTypeId.IMAGE));
        var values = Enumerable.Range(0, 72).Select(i => i * 0.5f).ToArray();
        view.WriteRegion(new RegionXu64(new VectorXu64(0, 0), view.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return view;
    }
}

public sealed class FlippedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        using var ramp = new ExtensionViewTests.Ramp(new VectorXu64(6, 5, 4));
        using var copy = ImageViewFactory.CopyInMemory(ramp);
        return ImageViewFactory.FlipDimension(copy, 1);
    }
}

public sealed class ComputedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView() => new ExtensionViewTests.Ramp(new VectorXu64(9, 7, 3), new VectorXu64(4, 4, 1));
}

public sealed class ArrayBackedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView() => new ExtensionViewTests.ArrayBacked(Enumerable.Range(0, 48).Select(i => i * 1.5f).ToArray(), 8);
}

public sealed class CheckerboardConformance : ImageViewConformance
{
    protected override ImageView CreateView() => new Checkerboard(20, 12, 4);
}

public sealed class FileViewConformance : ImageViewConformance, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"iolink-conformance-{Guid.NewGuid():N}.npy");

    public void Dispose() => File.Delete(_path);

    // A C-order .npy read through a random access (not mapped): reads that reorder file runs, writes into the file.
    protected override ImageView CreateView()
    {
        using (var source = new ExtensionViewTests.Ramp(new VectorXu64(5, 4, 3)))
        {
            NpyFile.Write(source, _path);
        }

        return NpyFile.Read(_path, ImageTypeId.VOLUME);
    }
}

public sealed class MappedFileViewConformance : ImageViewConformance, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"iolink-conformance-{Guid.NewGuid():N}.npy");

    public void Dispose() => File.Delete(_path);

    protected override ImageView CreateView()
    {
        using (var source = new ExtensionViewTests.Ramp(new VectorXu64(6, 3, 2)))
        {
            NpyFile.Write(source, _path);
        }

        return NpyFile.OpenMapped(_path, writable: true, ImageTypeId.VOLUME);
    }
}
