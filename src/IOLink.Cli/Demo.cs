using System.IO.Compression;
using System.Runtime.InteropServices;
using IOLink.Python;
using Python.Runtime;

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

        NpyFiles(o);
        Streams(o);
        Numpy(o);
        ZarrAndDask(o);
    }

    /// <summary>A volume written as Zarr, read back region by region, and computed on by Dask when it is installed.</summary>
    private static void ZarrAndDask(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("12. Zarr: the volume in 64x64x16 chunks (zstd), read back by region, computed on by Dask.");
        var dir = Directory.CreateTempSubdirectory("iolink-demo-");
        try
        {
            using var volume = ImageViewFactory.Allocate(new VectorXu64(128, 128, 32), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
            var values = new ushort[128 * 128 * 32];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (ushort)(1000 + (i % 128) + (2 * (i / 128 % 128)) + (40 * (i / (128 * 128))));
            }

            volume.WriteRegion(RegionXu64.CreateFullRegion(volume.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            var path = Path.Combine(dir.FullName, "ct.zarr");
            // Zarr v2: Debian 12's Dask reads through zarr-python 2, which reads v2 only.
            Zarr.ZarrArray.Write(volume, path, new Zarr.ZarrOptions { Chunks = new VectorXu64(64, 64, 16), Format = Zarr.ZarrFormat.V2 });
            using var zarr = Zarr.ZarrArray.Open(path, false, ImageTypeId.VOLUME);
            o.WriteLine($"   ct.zarr: array shape ({string.Join(", ", zarr.ArrayShape)}), chunks ({string.Join(", ", zarr.ArrayChunks)}), {zarr.ChunkCount} chunks, {zarr.Codec}");
            var plane = new ushort[64 * 64];
            zarr.ReadRegion(new RegionXu64(new VectorXu64(0, 0, 20), new VectorXu64(64, 64, 1)), MemoryMarshal.AsBytes(plane.AsSpan()));
            o.WriteLine($"   a 64x64 tile of slice 20: {zarr.ChunksDecoded} chunk decoded, element (7, 5) = {plane[(5 * 64) + 7]}");
            if (PythonProblem() is { } problem)
            {
                o.WriteLine($"   Dask skipped: {problem}");
                return;
            }

            using (Py.GIL())
            {
                dynamic dask;
                try
                {
                    dask = Py.Import("dask.array");
                    using var _ = Py.Import("zarr");
                }
                catch (PythonException)
                {
                    o.WriteLine("   Dask skipped: zarr-python or Dask is not installed. Enable it with: sudo apt-get install python3-zarr python3-dask python3-distributed");
                    return;
                }

                using (dask)
                {
                    using var a = dask.from_zarr(path);
                    var mean = (double)a.mean().compute();
                    o.WriteLine($"   dask.array.from_zarr(ct.zarr): shape {a.shape}, chunks {a.chunksize}, mean {mean} (the distributed scheduler works the same way)");
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The NumPy rules through .npy files: no Python needed.</summary>
    private static void NpyFiles(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("9. NumPy order through .npy files (no Python needed): (T, Z, Y, X, C), vector components last.");
        var dir = Directory.CreateTempSubdirectory("iolink-demo-");
        try
        {
            using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
            using var rgb = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
            var scalarPath = Path.Combine(dir.FullName, "volume.npy");
            var vectorPath = Path.Combine(dir.FullName, "rgb.npy");
            NpyFile.Write(volume, scalarPath);
            NpyFile.Write(rgb, vectorPath);
            o.WriteLine($"   VOLUME {volume.Shape} UINT16      -> volume.npy shape {NpyFile.ReadHeader(scalarPath).ShapeText}");
            o.WriteLine($"   VOLUME {rgb.Shape} VEC3_UINT16 -> rgb.npy shape {NpyFile.ReadHeader(vectorPath).ShapeText}");
            using var back = NpyFile.Read(vectorPath, ImageTypeId.VOLUME);
            o.WriteLine($"   rgb.npy read as VOLUME -> {back.Shape} {back.DataType}");
            var orderedPath = Path.Combine(dir.FullName, "ordered.npy");
            NpyFile.Write(volume, orderedPath, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]);
            o.WriteLine($"   written in the order [SLICE, COLUMN, ROW] -> shape {NpyFile.ReadHeader(orderedPath).ShapeText}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A StreamAccess as a System.IO.Stream: .NET's compressors work on it unchanged.</summary>
    private static void Streams(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("10. A StreamAccess is a System.IO.Stream: gzip through it and back.");
        var text = string.Concat(Enumerable.Repeat("IOLink streams ", 1000));
        using var compressed = StreamAccessFactory.Allocate();
        using (var gz = new GZipStream(compressed.AsStream(), CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new StreamWriter(gz))
        {
            writer.Write(text);
        }

        var size = compressed.Tell();
        compressed.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(new GZipStream(compressed.AsStream(), CompressionMode.Decompress));
        var round = reader.ReadToEnd();
        o.WriteLine($"   {text.Length} characters -> {size} compressed bytes in a StreamAccess -> {round.Length} characters, equal: {round == text}");
    }

    /// <summary>The seed's NumPy walkthrough in embedded CPython, when NumPy is installed.</summary>
    private static void Numpy(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("11. Real NumPy, embedded (the product page's examples): shared memory, NumPy's axis order.");
        if (PythonProblem() is { } problem)
        {
            o.WriteLine($"   skipped: {problem}");
            return;
        }

        using (Py.GIL())
        {
            using var np = Py.Import("numpy");
            using var c = np.InvokeMethod("arange", new PyInt(6)).InvokeMethod("reshape", new PyInt(2), new PyInt(3));
            using var f = np.InvokeMethod("asfortranarray", c);
            using (var cv = NumpyInterop.FromNumpyArray(c))
            using (var fv = NumpyInterop.FromNumpyArray(f))
            {
                o.WriteLine($"   2x3 C-ordered array       -> {cv.Shape}");
                o.WriteLine($"   2x3 Fortran-ordered array -> {fv.Shape}");
            }

            using (var image = NumpyInterop.FromNumpyArray(c, ImageTypeId.IMAGE))
            {
                o.WriteLine($"   the same array as an IMAGE -> {image.Shape} (3 columns, 2 rows); view (2, 0) = array[0, 2] = {image.GetValue<long>(2, 0)}");
            }

            using (var named = NumpyInterop.OrderFromNumpyArray(c, ImageDimension.ROW, ImageDimension.COLUMN))
            {
                o.WriteLine($"   named [ROW, COLUMN]        -> {named.Shape} {named.AxesInterpretation}");
            }

            using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
            using var rgb = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
            using var a = NumpyInterop.ToNumpyArray(volume);
            using var b = NumpyInterop.ToNumpyArray(rgb);
            o.WriteLine($"   VOLUME {volume.Shape} UINT16      -> array shape {a.GetAttr("shape")}");
            o.WriteLine($"   VOLUME {rgb.Shape} VEC3_UINT16 -> array shape {b.GetAttr("shape")}");
            using var ordered = NumpyInterop.OrderToNumpyArray(rgb, ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
            o.WriteLine($"   VEC3 volume in the order [CHANNEL, SLICE, ROW, COLUMN] -> array shape {ordered.GetAttr("shape")}");
            using var index = new PyTuple([new PyInt(5), new PyInt(3), new PyInt(11)]);
            a.SetItem(index, new PyInt(42));
            o.WriteLine($"   array[5, 3, 11] = 42 in NumPy -> volume (11, 3, 5) = {volume.GetValue<ushort>(11, 3, 5)} in .NET (same memory)");
        }
    }

    /// <summary>Why embedded CPython cannot start (a missing NumPy, or a PYTHONNET_PYDLL naming no library, as it is), or null.</summary>
    private static string? PythonProblem()
    {
        try
        {
            PythonRuntime.EnsureInitialized();
            return null;
        }
        catch (PythonUnavailableException ex)
        {
            return ex.Message;
        }
    }

    private static void Describe(TextWriter o, string name, ImageView v)
    {
        var layout = v.Support(ImageCapability.MEMORY_ACCESS) ? $", strides [{string.Join(", ", v.Strides)}]" : string.Empty;
        o.WriteLine($"   {name}: shape {v.Shape}, type {v.DataType}, axes {v.AxesInterpretation}, capabilities {v.Capabilities}{layout}");
    }
}
