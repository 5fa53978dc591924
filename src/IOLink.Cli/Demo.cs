using System.Runtime.InteropServices;

namespace IOLink.Cli;

/// <summary>The walkthrough printed by <c>iolink demo</c>: the data model on a small built-in volume.</summary>
internal static class Demo
{
    public static void Run(TextWriter o)
    {
        o.WriteLine("IOLink for .NET: a walkthrough of the data model");
        o.WriteLine();

        o.WriteLine("1. Allocate a VOLUME of shape (12, 4, 6) and type UINT16 (12 columns, 4 rows, 6 slices).");
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        Describe(o, "volume", volume);

        o.WriteLine();
        o.WriteLine("2. Write a 3x2x1 region at (4, 1, 2), values in canonical order (first dimension fastest).");
        var region = new RegionXu64(new VectorXu64(4, 1, 2), new VectorXu64(3, 2, 1));
        ushort[] values = [1, 2, 3, 4, 5, 6];
        volume.WriteRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));
        var back = new ushort[6];
        volume.ReadRegion(region, MemoryMarshal.AsBytes(back.AsSpan()));
        o.WriteLine($"   read back: [{string.Join(", ", back)}]; element (6, 2, 2) = {volume.GetValue<ushort>(6, 2, 2)}");

        o.WriteLine();
        o.WriteLine("3. Extract that region: a view on the same memory, no copy.");
        using var sub = ImageViewFactory.ExtractRegion(volume, region);
        Describe(o, "region", sub);
        sub.SetValue<ushort>(100, 0, 0, 0);
        o.WriteLine($"   wrote 100 at region (0, 0, 0); volume (4, 1, 2) now = {volume.GetValue<ushort>(4, 1, 2)}; " +
                    $"address offset = {sub.Buffer - volume.Buffer} bytes");

        o.WriteLine();
        o.WriteLine("4. Flip the COLUMN dimension: a negative stride, still no copy.");
        using var flipped = ImageViewFactory.FlipDimension(volume, ImageDimension.COLUMN);
        Describe(o, "flipped", flipped);
        o.WriteLine($"   flipped (7, 1, 2) = volume (4, 1, 2) = {flipped.GetValue<ushort>(7, 1, 2)}");

        o.WriteLine();
        o.WriteLine("5. Reinterpret: the same memory named (SLICE, COLUMN, ROW) is reordered to canonical order.");
        using var renamed = ImageViewFactory.ReinterpretAxes(volume, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW);
        Describe(o, "renamed", renamed);

        o.WriteLine();
        o.WriteLine("6. A vector type: VEC3_UINT16 elements, one channel extracted as a UINT16 view.");
        using var rgb = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        rgb.Write(new VectorXu64(0, 0, 0), MemoryMarshal.AsBytes(new ushort[] { 10, 20, 30 }.AsSpan()));
        using var green = ImageViewFactory.ExtractChannel(rgb, 1);
        Describe(o, "rgb", rgb);
        Describe(o, "green", green);
        o.WriteLine($"   green (0, 0, 0) = {green.GetValue<ushort>(0, 0, 0)}");

        o.WriteLine();
        o.WriteLine("7. Views without MEMORY_ACCESS: a uniform view has no memory; CopyInMemory makes one that does.");
        using var uniform = ImageViewFactory.Uniform(new VectorXu64(4, 4), DataTypeId.FLOAT, BitConverter.GetBytes(0.5f));
        Describe(o, "uniform", uniform);
        try
        {
            _ = uniform.Buffer;
        }
        catch (NotSupportedException ex)
        {
            o.WriteLine($"   uniform.Buffer -> NotSupportedException: {ex.Message}");
        }

        using var copy = ImageViewFactory.CopyInMemory(uniform);
        Describe(o, "copy", copy);

        o.WriteLine();
        o.WriteLine("8. A read-only wrapper refuses writes with a clear error.");
        using var readOnly = ImageViewFactory.MakeReadOnly(volume);
        Describe(o, "readOnly", readOnly);
        try
        {
            readOnly.SetValue<ushort>(1, 0, 0, 0);
        }
        catch (NotSupportedException ex)
        {
            o.WriteLine($"   readOnly.SetValue -> NotSupportedException: {ex.Message}");
        }
    }

    private static void Describe(TextWriter o, string name, ImageView v)
    {
        var layout = v.Support(ImageCapability.MEMORY_ACCESS) ? $", strides [{string.Join(", ", v.Strides)}]" : string.Empty;
        o.WriteLine($"   {name}: shape {v.Shape}, type {v.DataType}, axes {v.AxesInterpretation}, capabilities {v.Capabilities}{layout}");
    }
}
