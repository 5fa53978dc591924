using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>Arrays IOLink writes, read by zarr-python 2.13; arrays zarr-python writes, read by IOLink.</summary>
public sealed class ZarrClientTests : IDisposable
{
    private const string Zarr = "numpy, zarr, numcodecs";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A VOLUME of (x, y, z) whose element holds x + 7 y + 131 z (mod 65536): every element tells where it is.</summary>
    private static ImageView Volume(ulong nx, ulong ny, ulong nz)
    {
        var v = ImageViewFactory.Allocate(new VectorXu64(nx, ny, nz), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var data = new ushort[nx * ny * nz];
        for (ulong z = 0; z < nz; z++)
        {
            for (ulong y = 0; y < ny; y++)
            {
                for (ulong x = 0; x < nx; x++)
                {
                    data[x + (nx * (y + (ny * z)))] = (ushort)(x + (7 * y) + (131 * z));
                }
            }
        }

        v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        return v;
    }

    private static ushort[] ReadAll(ImageView v)
    {
        var bytes = new byte[v.ByteCount];
        v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes).ToArray();
    }

    [Theory]
    [InlineData(ZarrCodec.None, "None")]
    [InlineData(ZarrCodec.Zlib, "zlib")]
    [InlineData(ZarrCodec.Gzip, "gzip")]
    [InlineData(ZarrCodec.Zstd, "zstd")]
    [InlineData(ZarrCodec.BloscLz4, "blosc")]
    [InlineData(ZarrCodec.BloscZstd, "blosc")]
    public void WrittenArrays_ReadInZarrPython_WithTheirChunksAndCodec(ZarrCodec codec, string id)
    {
        using var v = Volume(37, 21, 9);
        var path = _dir.File("v.zarr");
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Codec = codec, Chunks = new VectorXu64(16, 8, 4) });
        var output = NumpyProcess.Run($$"""
            import numpy as np, zarr
            z = zarr.open(r'{{path}}', mode='r')
            a = z[:]
            z_, y_, x_ = np.meshgrid(np.arange(9), np.arange(21), np.arange(37), indexing='ij')
            assert (a == ((x_ + 7 * y_ + 131 * z_) % 65536).astype(np.uint16)).all()
            print(z.shape, z.chunks, z.dtype, z.compressor.codec_id if z.compressor else None)
            """, Zarr);
        Assert.Equal($"(9, 21, 37) (4, 8, 16) uint16 {id}\n", output);
    }

    [Theory]
    [InlineData("compressor=numcodecs.Blosc()", "C", "<u2")]
    [InlineData("compressor=numcodecs.Blosc(cname='zstd', shuffle=numcodecs.Blosc.BITSHUFFLE)", "C", "<u2")]
    [InlineData("compressor=numcodecs.Zstd(level=3)", "F", "<u2")]
    [InlineData("compressor=numcodecs.Zlib(level=6)", "C", ">u2")]
    [InlineData("compressor=numcodecs.GZip()", "F", ">u2")]
    [InlineData("compressor=None", "C", ">u2")]
    [InlineData("compressor=None, dimension_separator='/'", "F", "<u2")]
    public void ZarrPythonArrays_ReadInIOLink_InNumpyOrder(string options, string order, string dtype)
    {
        var path = _dir.File("p.zarr");
        NumpyProcess.Run($$"""
            import numpy as np, zarr, numcodecs
            z_, y_, x_ = np.meshgrid(np.arange(9), np.arange(21), np.arange(37), indexing='ij')
            a = ((x_ + 7 * y_ + 131 * z_) % 65536).astype('{{dtype}}')
            z = zarr.open(r'{{path}}', mode='w', shape=a.shape, chunks=(4, 8, 16), dtype='{{dtype}}', order='{{order}}', {{options}})
            z[:] = a
            """, Zarr);
        using var expected = Volume(37, 21, 9);
        using var read = ZarrArray.Open(path, false, ImageTypeId.VOLUME);
        Assert.Equal(new VectorXu64(37, 21, 9), read.Shape);
        Assert.Equal(ImageCapability.READ, read.Capabilities);
        Assert.Equal(ReadAll(expected), ReadAll(read));

        // Without an interpretation the view keeps the array's axis order (rule 1).
        using var plain = ZarrArray.Open(path);
        Assert.Equal(new VectorXu64(9, 21, 37), plain.Shape);
        Assert.Equal((ushort)(3 + (7 * 2) + (131 * 5)), plain.GetValue<ushort>(5, 2, 3));
    }

    [Fact]
    public void FillValues_AndMissingChunks_ReadAsZarrPythonReadsThem()
    {
        var path = _dir.File("f.zarr");
        NumpyProcess.Run($$"""
            import numpy as np, zarr
            z = zarr.open(r'{{path}}', mode='w', shape=(10, 10), chunks=(4, 4), dtype='>f8', fill_value=np.nan)
            z[0:4, 0:4] = 2.5
            i = zarr.open(r'{{path}}-i', mode='w', shape=(5,), chunks=(2,), dtype='i2', fill_value=-7)
            i[0] = 3
            """, Zarr);
        using var f = ZarrArray.Open(path);
        Assert.Equal(2.5, f.GetValue<double>(3, 3));
        Assert.True(double.IsNaN(f.GetValue<double>(4, 4)));
        Assert.True(double.IsNaN(f.GetValue<double>(9, 9)));
        using var i = ZarrArray.Open(path + "-i");
        Assert.Equal([3, -7, -7, -7, -7], Enumerable.Range(0, 5).Select(k => i.GetValue<short>((ulong)k)).ToArray());
    }

    [Fact]
    public void PartialWrites_ReadModifyWriteTheirChunks_AndZarrPythonSeesThem()
    {
        var path = _dir.File("w.zarr");
        using (var z = ZarrArray.Create(path, new VectorXu64(10, 6), DataTypeId.INT32, ImageTypeId.IMAGE,
            new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(4, 4), Codec = ZarrCodec.Zlib }))
        {
            Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, z.Capabilities);
            z.WriteRegion(new RegionXu64(new VectorXu64(3, 1), new VectorXu64(5, 2)), System.Runtime.InteropServices.MemoryMarshal.AsBytes(Enumerable.Range(1, 10).ToArray().AsSpan()));
            z.SetValue(99, 9UL, 5UL);
        }

        var output = NumpyProcess.Run($$"""
            import zarr
            a = zarr.open(r'{{path}}', mode='r')[:]
            print(a.shape, a[1, 3:8].tolist(), a[2, 3:8].tolist(), int(a[5, 9]), int(a.sum()))
            """, Zarr);
        Assert.Equal("(6, 10) [1, 2, 3, 4, 5] [6, 7, 8, 9, 10] 99 154\n", output);
    }

    [Fact]
    public void ChunkAlignedRead_DecodesExactlyOneChunk_AndTheCacheServesRepeats()
    {
        using var v = Volume(128, 64, 64);
        var path = _dir.File("c.zarr");
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(64, 64, 64) });
        using var z = ZarrArray.Open(path, false, ImageTypeId.VOLUME);
        var buffer = new byte[64 * 64 * 64 * 2];
        z.ReadRegion(new RegionXu64(new VectorXu64(64, 0, 0), new VectorXu64(64, 64, 64)), buffer);
        Assert.Equal(1, z.ChunksDecoded);
        using var expected = ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(64, 0, 0), new VectorXu64(64, 64, 64)));
        Assert.Equal(ReadAll(expected), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(buffer).ToArray());

        // Small reads inside one chunk decode it once, then hit the cache.
        for (var k = 0UL; k < 10; k++)
        {
            Assert.Equal((ushort)(k + (7 * 3) + (131 * 2)), z.GetValue<ushort>(k, 3, 2));
        }

        Assert.Equal(2, z.ChunksDecoded);
        z.ChunkCacheBytes = 0;
        _ = z.GetValue<ushort>(0, 0, 0);
        _ = z.GetValue<ushort>(1, 0, 0);
        Assert.Equal(4, z.ChunksDecoded);
    }

    [Fact]
    public void ConcurrentWrites_OfOneChunk_AllLand()
    {
        var path = _dir.File("t.zarr");
        using var z = ZarrArray.Create(path, new VectorXu64(64, 8), DataTypeId.UINT8, ImageTypeId.IMAGE, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(64, 8) });
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, x =>
        {
            for (var y = 0UL; y < 8; y++)
            {
                z.SetValue((byte)(x + (int)y), (ulong)x, y);
            }
        });
        using var back = ZarrArray.Open(path, false, ImageTypeId.IMAGE);
        for (var x = 0UL; x < 64; x++)
        {
            Assert.Equal((byte)(x + 5), back.GetValue<byte>(x, 5UL));
        }
    }

    [Fact]
    public void Groups_ReachArraysByPath_AndAGroupSaysWhichArraysItHolds()
    {
        var path = _dir.File("g.zarr");
        NumpyProcess.Run($$"""
            import numpy as np, zarr
            root = zarr.open_group(r'{{path}}', mode='w')
            root.create_group('scans').create_dataset('ct', data=np.arange(12, dtype='u1').reshape(3, 4), chunks=(2, 2))
            root.create_dataset('mask', data=np.ones((2, 2), dtype=bool))
            """, Zarr);
        using var ct = ZarrArray.Open(Path.Combine(path, "scans/ct"), false, ImageTypeId.IMAGE);
        Assert.Equal(new VectorXu64(4, 3), ct.Shape);
        Assert.Equal((byte)11, ct.GetValue<byte>(3, 2));
        using var mask = ZarrArray.Open(Path.Combine(path, "mask"));
        Assert.Equal(ImageInterpretation.BINARY, mask.Properties.ImageInterpretation);
        var ex = Assert.Throws<ArgumentException>(() => ZarrArray.Open(path));
        Assert.Contains("is a Zarr group", ex.Message, StringComparison.Ordinal);
        Assert.Contains("g.zarr/mask'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("g.zarr/scans/ct'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmeZarr_WrittenWithAxesAndScale_ReadBackWithThem()
    {
        using var v = Volume(20, 10, 6);
        v.Properties.SpatialSpacing = [0.5, 0.25, 2.0];
        v.Properties.SpatialUnit = "um";
        var path = _dir.File("ome.zarr");
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, OmeZarr = true });
        var output = NumpyProcess.Run($$"""
            import zarr
            g = zarr.open_group(r'{{path}}', mode='r')
            m = g.attrs['multiscales'][0]
            print([a['name'] for a in m['axes']], m['datasets'][0]['coordinateTransformations'][0]['scale'], m['axes'][2]['unit'], g['0'].shape)
            """, Zarr);
        Assert.Equal("['z', 'y', 'x'] [2.0, 0.25, 0.5] micrometer (6, 10, 20)\n", output);
        using var back = ZarrArray.Open(path);
        Assert.Equal(ImageType.FromId(ImageTypeId.VOLUME), back.AxesInterpretation);
        Assert.Equal(new VectorXu64(20, 10, 6), back.Shape);
        Assert.Equal([0.5, 0.25, 2.0], back.Properties.SpatialSpacing);
        Assert.Equal("um", back.Properties.SpatialUnit);
        Assert.Equal(ReadAll(v), ReadAll(back));
        Assert.Equal([""], ZarrArray.LevelPaths(Path.Combine(path, "0")));
        Assert.Equal(["0"], ZarrArray.LevelPaths(path));
    }

    [Fact]
    public void OmeZarr_WithNonFiniteAttributes_AsZarrPythonWritesThem_Opens()
    {
        // zarr-python writes attributes with Python's json: NaN and Infinity unquoted, which strict JSON refuses.
        var path = _dir.File("nan.zarr");
        var output = NumpyProcess.Run($$$"""
            import numpy as np, zarr
            g = zarr.open_group(r'{{{path}}}', mode='w')
            g.create_dataset('0', data=np.arange(24, dtype='f4').reshape(2, 3, 4), chunks=(1, 3, 4))
            g.attrs['multiscales'] = [{'version': '0.4', 'axes': [{'name': n, 'type': 'space'} for n in 'zyx'],
                                       'datasets': [{'path': '0', 'coordinateTransformations': [{'type': 'scale', 'scale': [1.0, 1.0, 1.0]}]}]}]
            g.attrs['omero'] = {'window': {'min': float('nan'), 'max': float('inf'), 'start': float('-inf')}}
            print('NaN' in open(r'{{{path}}}/.zattrs').read(), 'Infinity' in open(r'{{{path}}}/.zattrs').read())
            """, Zarr);
        Assert.Equal("True True\n", output);
        using var image = ZarrArray.Open(path);
        Assert.Equal(ImageType.FromId(ImageTypeId.VOLUME), image.AxesInterpretation);
        Assert.Equal(new VectorXu64(4, 3, 2), image.Shape);
        Assert.Equal(23f, image.GetValue<float>(3, 2, 1));
    }

    [Fact]
    public void OmeZarrLevels_WrittenByZarrPython_OpenAsOneMultiResolutionView_EqualToZarrPythonsArrays()
    {
        var path = _dir.File("pyramid.zarr");
        var output = NumpyProcess.Run($$$"""
            import numpy as np, zarr
            g = zarr.open_group(r'{{{path}}}', mode='w')
            a = (np.arange(8 * 12 * 16) % 1000).astype('u2').reshape(8, 12, 16)
            levels = [a, a[::2, ::2, ::2], a[::4, ::4, ::4]]
            for i, level in enumerate(levels):
                g.create_dataset(str(i), data=level, chunks=(4, 4, 4))
            g.attrs['multiscales'] = [{'version': '0.4', 'axes': [{'name': n, 'type': 'space', 'unit': 'micrometer'} for n in 'zyx'],
                                       'datasets': [{'path': str(i), 'coordinateTransformations': [{'type': 'scale', 'scale': [2.0 ** i] * 3},
                                                                                         {'type': 'translation', 'translation': [0.0, 1.0 * i, 2.0]}]} for i in range(3)]}]
            print(';'.join(','.join(str(int(v)) for v in g[str(i)][:].ravel()[::7]) for i in range(3)))
            """, Zarr);
        using var lod = ZarrArray.OpenLod(path);
        Assert.Equal((0, 2), lod.LevelRange());
        var expected = output.Trim().Split(';');
        for (var i = 0; i < 3; i++)
        {
            using var level = lod.Resolution(i);
            Assert.Equal(ImageType.FromId(ImageTypeId.VOLUME), level.AxesInterpretation);
            Assert.Equal(new VectorXu64(16UL >> i, 12UL >> i, 8UL >> i), level.Shape);
            Assert.Equal(Math.Pow(2, i), level.Properties.SpatialSpacing[0]);
            Assert.Equal([2.0, i, 0.0], level.Properties.SpatialOrigin);    // the translation, x y z
            Assert.Equal("um", level.Properties.SpatialUnit);
            var values = new ushort[level.ByteCount / 2];
            level.ReadRegion(RegionXu64.CreateFullRegion(level.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            // The view's canonical order (X fastest) is the array's C order (x last): the same flat sequence.
            Assert.Equal(expected[i], string.Join(',', values.Where((_, k) => k % 7 == 0)));
        }

        // A single array is a view of one level.
        using var single = ZarrArray.OpenLod(Path.Combine(path, "1"));
        Assert.Equal((0, 0), single.LevelRange());
    }

    [Fact]
    public void AMeanPyramid_WrittenAsOmeZarr_ReadsBackLevelByLevel_InZarrPythonAndInIOLink()
    {
        var path = _dir.File("mean.ome.zarr");
        using (var volume = ImageViewFactory.Allocate(new VectorXu64(20, 12, 6), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var values = Enumerable.Range(0, 20 * 12 * 6).Select(i => (float)i).ToArray();
            volume.WriteRegion(RegionXu64.CreateFullRegion(volume.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            volume.Properties.SpatialSpacing = [0.25, 0.25, 1];
            using var lod = LodImageViewFactory.Downsample(volume, 3);
            var reports = new List<double>();
            ZarrArray.Write(lod, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(8, 8, 4) }, new SyncProgress(reports.Add));
            Assert.Equal(1.0, reports[^1], 6);
            Assert.True(reports.SequenceEqual(reports.Order()), "progress only grows");
        }

        // zarr-python: three arrays whose level 1 is the mean of 2x2x2 windows, and the scales of each level.
        var output = NumpyProcess.Run($$$"""
            import numpy as np, zarr
            g = zarr.open_group(r'{{{path}}}', mode='r')
            a = np.arange(20 * 12 * 6, dtype='f4').reshape(6, 12, 20)
            mean = a.reshape(3, 2, 6, 2, 10, 2).mean(axis=(1, 3, 5))
            datasets = g.attrs['multiscales'][0]['datasets']
            print([g[p].shape for p in '012'], np.allclose(g['1'][:], mean),
                  [d['coordinateTransformations'][0]['scale'] for d in datasets],
                  [[t['translation'] for t in d['coordinateTransformations'][1:]] for d in datasets])
            """, Zarr);
        // A mean level's first element is the center of the 2x2x2 block it averages: half a voxel of the level above along each axis.
        Assert.Equal("[(6, 12, 20), (3, 6, 10), (2, 3, 5)] True [[1.0, 0.25, 0.25], [2.0, 0.5, 0.5], [4.0, 1.0, 1.0]] [[], [[0.5, 0.125, 0.125]], [[1.5, 0.375, 0.375]]]\n", output);
        using var back = ZarrArray.OpenLod(path);
        Assert.Equal((0, 2), back.LevelRange());
        using var coarsest = back.Resolution(2);
        Assert.Equal(1.0, coarsest.Properties.SpatialSpacing[0]);
        Assert.Equal([0.375, 0.375, 1.5], coarsest.Properties.SpatialOrigin);
    }

    /// <summary>Reports on the calling thread.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    [Fact]
    public void OmeZarrLevels_ThatGrow_AreAFormatError()
    {
        var path = _dir.File("growing.zarr");
        NumpyProcess.Run($$$"""
            import numpy as np, zarr
            g = zarr.open_group(r'{{{path}}}', mode='w')
            g.create_dataset('0', data=np.zeros((2, 2, 2), 'u1'))
            g.create_dataset('1', data=np.zeros((4, 4, 4), 'u1'))
            g.attrs['multiscales'] = [{'version': '0.4', 'axes': [{'name': n, 'type': 'space'} for n in 'zyx'],
                                       'datasets': [{'path': p} for p in '01']}]
            """, Zarr);
        var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.OpenLod(path));
        Assert.Contains("not resolutions of one image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorViews_KeepTheirComponentsInOneChunk()
    {
        var path = _dir.File("rgb.zarr");
        using var v = ImageViewFactory.Allocate(new VectorXu64(5, 3), DataTypeId.VEC3_UINT8, new ImageProperties(ImageTypeId.IMAGE));
        v.Write(new VectorXu64(4, 2), [1, 2, 3]);
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(2, 2) });
        var output = NumpyProcess.Run($$"""
            import zarr
            z = zarr.open(r'{{path}}', mode='r')
            print(z.shape, z.chunks, z[2, 4].tolist())
            """, Zarr);
        Assert.Equal("(3, 5, 3) (2, 2, 3) [1, 2, 3]\n", output);
        using var back = ZarrArray.Open(path, false, ImageTypeId.IMAGE);
        Assert.Equal((DataType)DataTypeId.VEC3_UINT8, back.DataType);
        Assert.Equal(new VectorXu64(2, 2), back.ChunkShape);
    }
}
