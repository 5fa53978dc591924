using IOLink.Tests.Formats;

namespace IOLink.Hdf5.Tests;

/// <summary>HDF5 files IOLink writes, read back by h5py (values, chunks, filters, attributes) and by IOLink.</summary>
public sealed class Hdf5WriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-hdf5-write-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static byte[] Bytes(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    private static ImageView Pattern(DataType type, params ulong[] shape)
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(shape), type);
        var bytes = new byte[view.ByteCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 13) + (i >> 11));
        }

        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return view;
    }

    /// <summary>What h5py reads of the dataset: its shape, dtype, chunks, compression, shuffle and attributes (JSON), and its data as .npy.</summary>
    private System.Text.Json.JsonElement H5py(string path, string dataset)
    {
        var json = NumpyProcess.Run($$"""
            import json, numpy as np, h5py
            with h5py.File(r'{{path}}', 'r') as f:
                d = f['{{dataset}}']
                a = d[...]
                np.save(r'{{path}}.npy', np.ascontiguousarray(a))
                attrs = {k: (v.tolist() if hasattr(v, 'tolist') else (v.decode() if isinstance(v, bytes) else v)) for k, v in d.attrs.items()}
                print(json.dumps({'shape': list(d.shape), 'dtype': str(d.dtype), 'chunks': list(d.chunks or []), 'compression': d.compression,
                    'level': d.compression_opts, 'shuffle': d.shuffle, 'attrs': attrs}))
            """, "numpy, h5py");
        return System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
    }

    [Theory]
    [InlineData("UINT16", 1, 2)]
    [InlineData("INT8", 9, 1)]
    [InlineData("FLOAT", 0, 1)]
    [InlineData("DOUBLE", 1, 1)]
    [InlineData("INT64", 6, 1)]
    [InlineData("UINT32", 1, 3)]
    public void AVolume_IsAChunkedDatasetThatH5pyReadsEqual(string component, int level, int components)
    {
        var scalar = (DataType)Enum.Parse<DataTypeId>(component);
        var type = components == 1 ? scalar : scalar.ToVector((uint)components);
        using var plain = Pattern(type, 37, 29, 11);
        using var view = ImageViewFactory.Reinterpret(plain, ImageTypeId.VOLUME);
        view.Properties.SpatialSpacing = [0.5, 0.5, 2.0];
        view.Properties.SpatialUnit = "micrometer";
        var path = File($"{component}-{level}-{components}.h5");
        Hdf5File.Write(view, path, new Hdf5WriteOptions { Dataset = "/scan/volume", GzipLevel = level, Chunks = components == 1 ? [4, 16, 16] : null });

        var json = H5py(path, "/scan/volume");
        var shape = json.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(components == 1 ? [11, 29, 37] : [11, 29, 37, components], shape);
        Assert.Equal(level == 0 ? System.Text.Json.JsonValueKind.Null : System.Text.Json.JsonValueKind.String, json.GetProperty("compression").ValueKind);
        if (components == 1)
        {
            Assert.Equal([4, 16, 16], json.GetProperty("chunks").EnumerateArray().Select(e => e.GetInt32()));
        }

        Assert.Equal("zyx", json.GetProperty("attrs").GetProperty("axes").GetString());
        Assert.Equal([2.0, 0.5, 0.5], json.GetProperty("attrs").GetProperty("element_size_um").EnumerateArray().Select(e => e.GetDouble()));
        var npy = System.IO.File.ReadAllBytes(path + ".npy")[(int)NpyFile.ReadHeader(path + ".npy").DataOffset..];
        Assert.Equal(Bytes(view), npy);   // the view's canonical order is the dataset's C order

        // IOLink reads it back with its axes and voxel size.
        using var back = Hdf5File.Open(path);
        Assert.Equal(view.Shape, back.Shape);
        Assert.Equal(type, back.DataType);
        Assert.Equal(Bytes(view), Bytes(back));
        Assert.Equal([0.5, 0.5, 2.0], back.Properties.SpatialSpacing);
    }

    [Fact]
    public void ALargeView_IsWrittenInBoundedBlocks_AcrossChunkEdges()
    {
        // 2 x 70 x 70 x 70 with chunks that do not divide it, forced into blocks of whole chunks.
        using var plain = Pattern(DataTypeId.UINT16, 70, 70, 70, 2);
        using var view = ImageViewFactory.ReinterpretAxes(plain, ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.SEQUENCE);
        var path = File("edges.h5");
        Hdf5File.Write(view, path, new Hdf5WriteOptions { Chunks = [1, 16, 32, 64] });
        var json = H5py(path, "/data");
        Assert.Equal("tzyx", json.GetProperty("attrs").GetProperty("axes").GetString());
        Assert.True(json.GetProperty("shuffle").GetBoolean());
        var npy = System.IO.File.ReadAllBytes(path + ".npy")[(int)NpyFile.ReadHeader(path + ".npy").DataOffset..];
        Assert.Equal(Bytes(view), npy);
    }

    [Fact]
    public void BadOptions_AndTypes_AreRefused_AndTheOldFileStays()
    {
        var path = File("kept.h5");
        System.IO.File.WriteAllText(path, "old");
        using var view = Pattern(DataTypeId.UINT8, 8, 8);
        Assert.Contains("gzip levels 1, 6 and 9", Assert.Throws<ArgumentException>(() => Hdf5File.Write(view, path, new Hdf5WriteOptions { GzipLevel = 4 })).Message, StringComparison.Ordinal);
        Assert.Contains("not a dataset path", Assert.Throws<ArgumentException>(() => Hdf5File.Write(view, path, new Hdf5WriteOptions { Dataset = "a//b" })).Message, StringComparison.Ordinal);
        Assert.Contains("one positive length per dimension", Assert.Throws<ArgumentException>(() => Hdf5File.Write(view, path, new Hdf5WriteOptions { Chunks = [4] })).Message, StringComparison.Ordinal);
        using var complex = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.COMPLEX_FLOAT);
        Assert.Contains("AdaptDataType", Assert.Throws<ArgumentException>(() => Hdf5File.Write(complex, path)).Message, StringComparison.Ordinal);
        Assert.Equal("old", System.IO.File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
