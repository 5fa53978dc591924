using System.Runtime.InteropServices;
using IOLink.Tests.Formats;

namespace IOLink.Hdf5.Tests;

/// <summary>HDF5 files h5py writes (contiguous, chunked with every filter IOLink undoes, every numeric type, both byte orders, in groups), read equal by IOLink.</summary>
public sealed class Hdf5ReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-hdf5-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs <paramref name="script"/> (Python with <c>path</c> the file and h5py, numpy imported) and returns the file's path.</summary>
    private string H5py(string name, string script)
    {
        var path = Path.Combine(_dir, name);
        NumpyProcess.Run($$"""
            import numpy as np, h5py
            path = r'{{path}}'
            def save(a, name):
                np.save(path + '.' + name + '.npy', np.ascontiguousarray(a).astype(a.dtype.newbyteorder('=')))
            {{script}}
            """, "numpy, h5py");
        return path;
    }

    private static byte[] Npy(string npy) => File.ReadAllBytes(npy)[(int)NpyFile.ReadHeader(npy).DataOffset..];

    /// <summary>The same array as a .npy opens, by the same axis rules: what an HDF5 dataset without named axes must equal.</summary>
    private static void AssertSameAsNpy(string npy, ImageView view)
    {
        using var expected = NpyFile.Open(npy);
        Assert.Equal(expected.Shape, view.Shape);
        Assert.Equal(expected.AxesInterpretation, view.AxesInterpretation);
        Assert.Equal(expected.DataType, view.DataType);
        Assert.Equal(Bytes(expected), Bytes(view));
    }

    private static byte[] Bytes(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    [Fact]
    public void AContiguousDataset_IsMapped_AndAChangeToTheFileShowsInTheView()
    {
        var path = H5py("contiguous.h5", """
            a = (np.arange(6 * 20 * 30) % 60000).astype(np.uint16).reshape(6, 20, 30)
            with h5py.File(path, 'w') as f:
                f.create_dataset('volume', data=a)
                open(path + '.offset', 'w').write(str(f['volume'].id.get_offset()))
            save(a, 'a')
            """);
        using var view = Hdf5File.Open(path);
        Assert.True(view.Support(ImageCapability.MEMORY_ACCESS));
        AssertSameAsNpy(path + ".a.npy", view);
        // No copy: a value written into the file at the dataset's offset is what the view reads.
        var offset = long.Parse(File.ReadAllText(path + ".offset"), System.Globalization.CultureInfo.InvariantCulture);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = offset + (2 * ((1 * 20 * 30) + (2 * 30) + 3));
            stream.Write([0x34, 0x12]);
        }

        var pixel = new byte[2];
        using var named = ImageViewFactory.ReinterpretAxes(view, [ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN]);   // the (Z, Y, X) array's axes
        named.ReadRegion(new RegionXu64(new VectorXu64(3, 2, 1), new VectorXu64(1, 1, 1)), pixel);
        Assert.Equal(0x1234, BitConverter.ToUInt16(pixel));
    }

    public static TheoryData<string, string> Datasets() => new()
    {
        { "u8-gzip-shuffle", "(np.arange(7 * 33 * 41) % 251).astype(np.uint8).reshape(7, 33, 41)" },
        { "i16-gzip", "(np.arange(9 * 50) % 3000 - 1500).astype(np.int16).reshape(9, 50)" },
        { "u32", "(np.arange(5 * 6 * 7) * 100003).astype(np.uint32).reshape(5, 6, 7)" },
        { "i32", "(np.arange(5 * 6 * 7) * -7919).astype(np.int32).reshape(5, 6, 7)" },
        { "u64", "(np.arange(3 * 17, dtype=np.uint64) << 40).reshape(3, 17)" },
        { "i64", "(np.arange(3 * 17, dtype=np.int64) * -(1 << 35)).reshape(3, 17)" },
        { "i8", "(np.arange(70) % 200 - 100).astype(np.int8)" },
        { "f32", "np.linspace(-5, 5, 4 * 21 * 19, dtype=np.float32).reshape(4, 21, 19)" },
        { "f64", "np.linspace(-1e9, 1e9, 6 * 13, dtype=np.float64).reshape(6, 13)" },
        { "be-i32", "(np.arange(4 * 9 * 10) * 1234567 - 10000).astype('>i4').reshape(4, 9, 10)" },
        { "be-f64", "np.linspace(0, 1, 5 * 11).astype('>f8').reshape(5, 11)" },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void EveryNumericType_ContiguousOrChunked_WithEachFilter_ReadsEqual(string name, string numpy)
    {
        var path = H5py(name + ".h5", $$"""
            a = {{numpy}}
            chunks = tuple(max(1, n // 2) for n in a.shape)
            with h5py.File(path, 'w') as f:
                f.create_dataset('contiguous', data=a)
                f.create_dataset('g/gzip-shuffle', data=a, chunks=chunks, compression='gzip', shuffle=True)
                f.create_dataset('g/lzf', data=a, chunks=chunks, compression='lzf')
                f.create_dataset('g/fletcher', data=a, chunks=chunks, fletcher32=True, compression='gzip', compression_opts=9)
                f.create_dataset('g/plain-chunks', data=a, chunks=chunks)
            save(a, 'a')
            """);
        foreach (var dataset in new[] { "/contiguous", "/g/gzip-shuffle", "/g/lzf", "g/fletcher", "/g/plain-chunks" })
        {
            using var view = Hdf5File.Open(path, dataset);
            AssertSameAsNpy(path + ".a.npy", view);
            using var chunked = Hdf5File.OpenChunked(path, dataset);
            AssertSameAsNpy(path + ".a.npy", chunked);
            Assert.False(chunked.Support(ImageCapability.MEMORY_ACCESS));
        }

        var described = Hdf5File.Describe(path);
        Assert.Equal(["/contiguous", "/g/fletcher", "/g/gzip-shuffle", "/g/lzf", "/g/plain-chunks"], described.Select(d => d.Path));
        Assert.Equal(["gzip", "shuffle"], described.Single(d => d.Path == "/g/gzip-shuffle").Filters.Order());
    }

    [Fact]
    public void ChunksNeverWritten_AreTheFillValue_AndARegionDecodesOnlyItsChunks()
    {
        var path = H5py("fill.h5", """
            with h5py.File(path, 'w', libver='latest') as f:
                d = f.create_dataset('sparse', shape=(64, 64, 64), dtype=np.int32, chunks=(16, 16, 16), fillvalue=-7, compression='gzip')
                d[16:32, 0:16, 32:48] = np.arange(16 ** 3, dtype=np.int32).reshape(16, 16, 16)
                save(d[...], 'a')
            """);
        using var view = (Chunked.ChunkedImageView)Hdf5File.Open(path);
        var region = new RegionXu64(new VectorXu64(32, 0, 16), new VectorXu64(16, 16, 16));
        var got = new int[16 * 16 * 16];
        using (var named = ImageViewFactory.ReinterpretAxes(view, [ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN]))
        {
            named.ReadRegion(region, MemoryMarshal.AsBytes(got.AsSpan()));
        }

        Assert.Equal(1, view.ChunkedArray.ChunksDecoded);
        Assert.Equal(Enumerable.Range(0, 16 * 16 * 16), got);
        AssertSameAsNpy(path + ".a.npy", view);
        var corner = new int[1];
        view.ReadRegion(new RegionXu64(new VectorXu64(63, 63, 63), new VectorXu64(1, 1, 1)), MemoryMarshal.AsBytes(corner.AsSpan()));
        Assert.Equal(-7, corner[0]);
    }

    [Fact]
    public void EveryChunkIndexHdf5Has_IsRead()
    {
        // libver='latest' gives fixed arrays, extensible arrays (one unlimited dimension), version 2 B-trees (two)
        // and single chunks; the default gives version 1 B-trees.
        var path = H5py("indexes.h5", """
            a = (np.arange(40 * 30) % 1000).astype(np.uint16).reshape(40, 30)
            with h5py.File(path, 'w', libver='latest') as f:
                f.create_dataset('fixed', data=a, chunks=(8, 8), compression='gzip')
                f.create_dataset('extensible', data=a, chunks=(8, 8), maxshape=(None, 30), compression='gzip')
                f.create_dataset('btree2', data=a, chunks=(8, 8), maxshape=(None, None), compression='gzip')
                f.create_dataset('single', data=a, chunks=(40, 30), compression='gzip')
            with h5py.File(path + '.v1.h5', 'w', userblock_size=512) as f:
                f.create_dataset('btree1', data=a, chunks=(8, 8), compression='gzip')
                f.create_dataset('contiguous', data=a)
            save(a, 'a')
            """);
        foreach (var name in new[] { "fixed", "extensible", "btree2", "single" })
        {
            using var view = Hdf5File.Open(path, name);
            AssertSameAsNpy(path + ".a.npy", view);
        }

        foreach (var name in new[] { "btree1", "contiguous" })
        {
            using var view = Hdf5File.Open(path + ".v1.h5", name);   // a 512-byte user block before the superblock
            AssertSameAsNpy(path + ".a.npy", view);
        }
    }

    [Fact]
    public void AxesAndVoxelSize_AreReadFromTheDatasetsAttributes_AndTheRestIsMetadata()
    {
        var path = H5py("axes.h5", """
            a = (np.arange(2 * 3 * 4 * 5) % 251).astype(np.uint8).reshape(2, 3, 4, 5)
            with h5py.File(path, 'w') as f:
                d = f.create_dataset('named', data=a)
                d.attrs['axes'] = 'czyx'
                d.attrs['element_size_um'] = np.array([1.0, 2.0, 0.5, 0.25])
                d.attrs['instrument'] = 'beamline 7'
                d.attrs['energy_kev'] = 25.5
                d.attrs['binning'] = np.array([2, 2], dtype=np.int32)
                l = f.create_dataset('labelled', data=a)
                for i, label in enumerate('tzyx'):
                    l.dims[i].label = label
                f.create_dataset('mask', data=np.array([[True, False], [False, True]]))
            save(a, 'a')
            """);
        using var named = Hdf5File.Open(path, "named");
        Assert.Equal("VectorXu64(5, 4, 3, 2)", named.Shape.ToString());   // X, Y, Z, C
        Assert.Equal(ImageTypeId.MULTISPECTRAL_VOLUME, named.AxesInterpretation.Id);
        Assert.Equal([0.25, 0.5, 2.0], named.Properties.SpatialSpacing);
        Assert.Equal("micrometer", named.Properties.SpatialUnit);
        Assert.Equal("beamline 7", named.Metadata.Find("hdf5/instrument")?.Value);
        Assert.Equal(25.5, named.Metadata.Find("hdf5/energy_kev")?.Value);
        Assert.Equal(new long[] { 2, 2 }, named.Metadata.Find("hdf5/binning")?.Value);

        using var labelled = Hdf5File.Open(path, "/labelled");
        Assert.Equal(ImageTypeId.VOLUME_SEQUENCE, labelled.AxesInterpretation.Id);
        Assert.Equal("VectorXu64(5, 4, 3, 2)", labelled.Shape.ToString());

        using var mask = Hdf5File.Open(path, "mask");
        Assert.Equal(ImageInterpretation.BINARY, mask.Properties.ImageInterpretation);
        Assert.Equal(new byte[] { 1, 0, 0, 1 }, Bytes(mask));
    }

    [Fact]
    public void SeveralDatasets_AndNoneNamed_IsAnErrorListingThem()
    {
        var path = H5py("many.h5", """
            with h5py.File(path, 'w') as f:
                f.create_dataset('a', data=np.zeros((4, 4), np.uint8))
                f.create_dataset('scans/b', data=np.zeros((4, 4), np.uint8))
            """);
        var error = Assert.Throws<ArgumentException>(() => Hdf5File.Open(path));
        Assert.Contains("holds 2 datasets; name one (/a, /scans/b)", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Hdf5File.Open(path, "/c"));
        Assert.Contains("has no dataset '/c'; its datasets are /a, /scans/b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compound", "f.create_dataset('d', data=np.zeros(4, dtype=[('x', 'i4'), ('y', 'f4')]))", "Compound items")]
    [InlineData("scalar", "f.create_dataset('d', data=np.float64(3))", "single value")]
    [InlineData("strings", "f.create_dataset('d', data=np.array([b'ab', b'cd']))", "String items")]
    [InlineData("empty", "f.create_dataset('d', shape=(0, 4), dtype=np.uint8)", "is empty")]
    public void DatasetsIOLinkDoesNotRead_AreClearErrors(string name, string create, string expected)
    {
        var path = H5py(name + ".h5", $$"""
            with h5py.File(path, 'w') as f:
                {{create}}
            """);
        var error = Assert.Throws<InvalidFileFormatException>(() => Hdf5File.Open(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotHdf5_TruncatedAndDamagedFiles_AreClearErrors()
    {
        var text = Path.Combine(_dir, "text.h5");
        File.WriteAllText(text, "this is not HDF5 at all, but long enough to be read as if it were one");
        Assert.Contains("no HDF5 signature", Assert.Throws<InvalidFileFormatException>(() => Hdf5File.Open(text)).Message, StringComparison.Ordinal);

        var path = H5py("whole.h5", """
            with h5py.File(path, 'w') as f:
                f.create_dataset('d', data=np.arange(100000, dtype=np.uint16), chunks=(1000,), compression='gzip')
            """);
        var bytes = File.ReadAllBytes(path);
        foreach (var cut in new[] { 40, 200, 800, bytes.Length / 2 })
        {
            var truncated = Path.Combine(_dir, $"cut-{cut}.h5");
            File.WriteAllBytes(truncated, bytes[..cut]);
            var error = Record.Exception(() =>
            {
                using var view = Hdf5File.Open(truncated);
                _ = Bytes(view);
            });
            Assert.True(error is InvalidFileFormatException, $"cut at {cut}: {error?.GetType().Name}: {error?.Message}");
        }
    }

    [Fact]
    public void ADamagedHeapReference_IsSkipped_NotAllocatedFor()
    {
        // A fuzzer's file whose string attribute points at a heap object claiming 2 GiB: PureHDF allocates what a
        // heap object claims before reading it, so IOLink checks the heap first and skips the attribute.
        var folder = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(folder, "fuzz", "corpus", "hdf5")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new DirectoryNotFoundException("fuzz/corpus/hdf5 is not above the test's folder");
        }

        var path = Path.Combine(folder, "fuzz", "corpus", "hdf5", "found-heap-2.h5");
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var view = Hdf5File.Open(path))
        {
            Assert.Equal(120, view.ByteCount);
            Assert.Null(view.Metadata.Find("hdf5/axes"));
        }

        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "opening a 6 KB file allocated more than 64 MiB");
    }
}
