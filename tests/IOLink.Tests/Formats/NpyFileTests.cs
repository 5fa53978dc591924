using IOLink.Tests.Views;

using System.Text;

namespace IOLink.Tests.Formats;

public class NpyReadTests
{
    public static TheoryData<string, string> Dtypes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var dtype in new[] { "u1", "i1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8", "<f2", "<f4", "<f8", "<c8", "<c16", "?" })
            {
                data.Add(dtype, "C");
                data.Add(dtype, "F");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void FilesWrittenByNumpy_ReadWithTheRightValues(string dtype, string order)
    {
        using var dir = new TempDir();
        var npy = dir.File("a.npy");
        var raw = dir.File("a.raw");
        // The raw file holds the same values with the first axis fastest: IOLink's canonical order of a plain import.
        NumpyProcess.Run($$"""
            import numpy as np
            a = (np.arange(3 * 4 * 5) % 7 - 2).reshape(3, 4, 5).astype('{{dtype}}')
            np.save(r'{{npy}}', np.asarray(a, order='{{order}}'))
            a.T.copy(order='C').tofile(r'{{raw}}')
            """);
        var header = NpyFile.ReadHeader(npy);
        Assert.Equal(order == "F", header.FortranOrder);
        Assert.Equal([3L, 4, 5], header.Shape);
        using var v = NpyFile.Read(npy);
        Assert.Equal(new VectorXu64(3, 4, 5), v.Shape);
        Assert.False(v.AxesInterpretation.IsKnown);
        var bytes = new byte[v.ByteCount];
        v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), bytes);
        Assert.Equal(File.ReadAllBytes(raw), bytes);
        if (dtype == "?")
        {
            Assert.Equal((DataType)DataTypeId.UINT8, v.DataType);
            Assert.Equal(ImageInterpretation.BINARY, v.ImageInterpretation);
        }

        // Read on demand through positioned reads: the same view, without the data in memory.
        using var opened = NpyFile.Open(npy);
        Assert.Equal(v.Shape, opened.Shape);
        Assert.Equal(v.DataType, opened.DataType);
        Assert.Equal(ImageCapability.READ, opened.Capabilities);
        Array.Clear(bytes);
        opened.ReadRegion(RegionXu64.CreateFullRegion(opened.Shape), bytes);
        Assert.Equal(File.ReadAllBytes(raw), bytes);
    }

    [Fact]
    public void AnOpenedFileTruncatedByAnotherWriter_IsAnIOException_NotABusError()
    {
        using var dir = new TempDir();
        var path = dir.File("t.npy");
        NumpyProcess.Run($"import numpy as np; np.save(r'{path}', np.arange(1 << 20, dtype='<u2').reshape(1024, 1024))");
        using var v = NpyFile.Open(path, ImageTypeId.IMAGE);
        Assert.Equal((ushort)1025, v.GetValue<ushort>(1, 1));
        using (var shorten = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            shorten.SetLength(4096);
        }

        var buffer = new byte[v.ByteCount];
        var ex = Assert.Throws<EndOfStreamException>(() => v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), buffer));
        Assert.Contains("truncated it while it was open", ex.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<IOException>(() => NpyFile.Write(v, dir.File("copy.npy")));
        Assert.Equal(["t.npy"], Directory.GetFileSystemEntries(dir.Path).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public void Version2Header_Reads()
    {
        using var dir = new TempDir();
        var npy = dir.File("v2.npy");
        NumpyProcess.Run($$"""
            import numpy as np
            with open(r'{{npy}}', 'wb') as f:
                np.lib.format.write_array(f, np.arange(6, dtype='<u2').reshape(2, 3), version=(2, 0))
            """);
        Assert.Equal(2, NpyFile.ReadHeader(npy).MajorVersion);
        using var v = NpyFile.Read(npy);
        Assert.Equal(new VectorXu64(2, 3), v.Shape);
        Assert.Equal(5, v.GetValue<ushort>(1, 2));
    }

    [Fact]
    public void WithAnInterpretation_TheAxesAreReadInNumpyOrder()
    {
        using var dir = new TempDir();
        var scalar = dir.File("s.npy");
        var vector = dir.File("v.npy");
        NumpyProcess.Run($$"""
            import numpy as np
            z, y, x = np.meshgrid(np.arange(6), np.arange(4), np.arange(12), indexing='ij')
            np.save(r'{{scalar}}', (x + 10 * y + 100 * z).astype('<u2'))
            np.save(r'{{vector}}', np.stack([x, y, z], axis=-1).astype('<u2'))
            """);
        using var volume = NpyFile.Read(scalar, ImageTypeId.VOLUME);
        Assert.Equal(new VectorXu64(12, 4, 6), volume.Shape);
        Assert.Equal((ImageType)ImageTypeId.VOLUME, volume.AxesInterpretation);
        Assert.Equal(11 + 30 + 500, volume.GetValue<ushort>(11, 3, 5));
        using var rgb = NpyFile.Read(vector, ImageTypeId.VOLUME);
        Assert.Equal((DataType)DataTypeId.VEC3_UINT16, rgb.DataType);
        Assert.Equal(new VectorXu64(12, 4, 6), rgb.Shape);
        var element = new byte[6];
        rgb.Read(new VectorXu64(11, 3, 5), element);
        Assert.Equal(new byte[] { 11, 0, 3, 0, 5, 0 }, element);
        using var named = NpyFile.Read(scalar, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        Assert.Equal(new VectorXu64(12, 4, 6), named.Shape);
        var ex = Assert.Throws<ArgumentException>(() => NpyFile.Read(scalar, ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE));
        Assert.Contains("does not fit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid() + ".npy");
        var ex = Assert.Throws<FileNotFoundException>(() => NpyFile.Read(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}

public class NpyMalformedTests
{
    private static byte[] Header(string dict, int major = 1, int? declaredLength = null)
    {
        var text = Encoding.Latin1.GetBytes(dict + "\n");
        var prefix = major == 1 ? 10 : 12;
        var result = new byte[prefix + text.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 }.CopyTo(result, 0);
        if (major == 1)
        {
            BitConverter.TryWriteBytes(result.AsSpan(8, 2), (ushort)(declaredLength ?? text.Length));
        }
        else
        {
            BitConverter.TryWriteBytes(result.AsSpan(8, 4), (uint)(declaredLength ?? text.Length));
        }

        text.CopyTo(result, prefix);
        return result;
    }

    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "bad magic", Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all"), "does not start with" },
        { "version 4", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", major: 4), "version 4.0 is not supported" },
        { "huge header", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", major: 2, declaredLength: 100_000), "over the 10000-byte limit" },
        { "truncated header", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", declaredLength: 500), "ends inside the header" },
        { "missing shape", Header("{'descr': '<u2', 'fortran_order': False, }"), "misses 'descr', 'fortran_order' or 'shape'" },
        { "extra key", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), 'x': 1}"), "unexpected entry 'x'" },
        { "structured", Header("{'descr': [('a', '<u2')], 'fortran_order': False, 'shape': (2,), }"), "structured dtype" },
        { "pickled objects", Header("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), "pickling" },
        { "strings", Header("{'descr': '<U4', 'fortran_order': False, 'shape': (2,), }"), "cannot be read" },
        { "code instead of a literal", Header("{'descr': __import__('os').system('echo hi'), 'fortran_order': False, 'shape': (2,)}"), "not a valid dictionary" },
        { "negative size", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (-2,), }"), "not a tuple of non-negative integers" },
        { "overflowing shape", Header("{'descr': '<u8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), "more than 2^63 bytes" },
        { "truncated data", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }"), "truncated" },
        { "0-d", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (), }"), "0-d array" },
        { "empty", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (0, 3), }"), "empty array" },
        { "escaped string", Header("{'descr': '<u\\x32', 'fortran_order': False, 'shape': (2,), }"), "escaped string" },
        { "unterminated", Header("{'descr': '<u2, 'fortran_order': False"), "not a valid dictionary" },
        { "duplicate key", Header("{'descr': '<u2', 'descr': '<u2', 'fortran_order': False, 'shape': (2,), }"), "names 'descr' twice" },
        { "sign before a string", Header("{'descr': '<u2', 'fortran_order': False, 'shape': (-'2',), }"), "expected a number after the sign" },
        { "truncated word", Header("{'descr': '<u2', 'fortran_order': Fals"), "expected a string, a number, True, False or a tuple" },
    };

    [Fact]
    public void BigEndianFilesAreSwappedOnReadAndRefusedWhereAViewCannotSwap()
    {
        using var dir = new TempDir();
        var path = dir.File("big.npy");
        var content = Header("{'descr': '>u2', 'fortran_order': False, 'shape': (3,), }").Concat(new byte[] { 0x01, 0x02, 0x00, 0xFF, 0xAB, 0xCD }).ToArray();
        File.WriteAllBytes(path, content);
        Assert.Equal(ByteOrder.BigEndian, NpyFile.ReadHeader(path).ByteOrder);
        using (var view = NpyFile.Read(path))
        {
            var values = new ushort[3];
            view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            Assert.Equal(new ushort[] { 0x0102, 0x00FF, 0xABCD }, values);
        }

        var mapped = Assert.Throws<InvalidFileFormatException>(() => NpyFile.OpenMapped(path));
        Assert.Contains("other byte order than this machine's", mapped.Message, StringComparison.Ordinal);
        Assert.Contains("NpyFile.Read", mapped.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidFileFormatException>(() => NpyFile.Open(path));
        // One-byte items have no byte order: '>u1' and '|b1' map like '<u1'.
        File.WriteAllBytes(path, Header("{'descr': '>u1', 'fortran_order': False, 'shape': (2,), }").Concat(new byte[] { 7, 8 }).ToArray());
        using var bytes = NpyFile.OpenMapped(path);
        Assert.Equal(DataTypeId.UINT8, bytes.DataType);
    }

    /// <summary>Headers the parser once accepted and NumPy refuses: each is refused here too, and NumPy is asked to confirm.</summary>
    public static TheoryData<string, byte[], string> NumpyRefuses => new()
    {
        { "leading zeros", Header("{'descr': '<u1', 'fortran_order': False, 'shape': (00003,), }     "), "leading zeros" },
        { "double L", Header("{'descr': '<u1', 'fortran_order': False, 'shape': (1LL,), }     "), "not an integer a shape can hold" },
        { "L in version 3", Header("{'descr': '<u1', 'fortran_order': False, 'shape': (1L,), }     ", major: 3), "Python 2 long integer" },
        { "list shape", Header("{'descr': '<u1', 'fortran_order': False, 'shape': [3, 4], }     "), "not a tuple" },
        { "parenthesized int", Header("{'descr': '<u1', 'fortran_order': False, 'shape': (1), }     "), "not a tuple" },
        { "33 dimensions", Header("{'descr': '<u1', 'fortran_order': False, 'shape': (" + string.Concat(Enumerable.Repeat("1,", 33)) + "), }"), "at most 32" },
        { "version 1.13", HeaderVersion("{'descr': '<u1', 'fortran_order': False, 'shape': (3,), }     ", 1, 13), "version 1.13 is not supported" },
        { "unicode space", Header("{'descr': '<u1',\u00a0'fortran_order': False, 'shape': (3,), }     "), "not a valid dictionary" },
    };

    private static byte[] HeaderVersion(string dict, int major, int minor)
    {
        var bytes = Header(dict, major);
        bytes[7] = (byte)minor;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(NumpyRefuses))]
    public void WhatNumpyRefuses_IsRefused(string name, byte[] content, string fragment)
    {
        _ = name;
        using var dir = new TempDir();
        var path = dir.File("bad.npy");
        // Enough data for the shape, so that only the header is at fault.
        File.WriteAllBytes(path, [.. content, .. new byte[64]]);
        var ex = Assert.Throws<InvalidFileFormatException>(() => NpyFile.Read(path));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        var verdict = NumpyProcess.Run($$"""
            import numpy as np
            try:
                np.load({{System.Text.Json.JsonSerializer.Serialize(path)}})
                print("accepted")
            except Exception as e:
                print("refused", type(e).__name__)
            """);
        Assert.StartsWith("refused", verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(1_0,)", 10)]
    [InlineData("( 3 , )", 3)]
    [InlineData("(0x3,)", 3)]
    [InlineData("(+3,)", 3)]
    [InlineData("(3L,)", 3)]
    public void WhatNumpyAccepts_IsRead(string shape, int length)
    {
        using var dir = new TempDir();
        var path = dir.File("ok.npy");
        var data = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(path, [.. Header("{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }     "), .. data]);
        using var view = NpyFile.Read(path);
        Assert.Equal(new VectorXu64((ulong)length), view.Shape);
        Assert.Equal(length - 1, view.GetValue<byte>((ulong)length - 1));
        Assert.Equal($"{length}", NumpyProcess.Run($"import numpy as np\nprint(np.load({System.Text.Json.JsonSerializer.Serialize(path)}).shape[0])").Trim());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsAClearFormatError(string name, byte[] content, string fragment)
    {
        _ = name;
        using var dir = new TempDir();
        var path = dir.File("bad.npy");
        File.WriteAllBytes(path, content);
        var ex = Assert.Throws<InvalidFileFormatException>(() => NpyFile.Read(path));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        // Each error names the file the caller named.
        Assert.StartsWith($"'{path}'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{path}'", Assert.Throws<InvalidFileFormatException>(() => NpyFile.OpenMapped(path)).Message, StringComparison.Ordinal);
    }
}

public class NpyWriteTests
{
    /// <summary>Counts the writes a stream gets.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            base.Write(buffer);
        }
    }

    [Fact]
    public void AViewWhoseMemoryIsTheFilesOrder_IsWrittenStraightFromIt_AndAnotherOrderBySlabs()
    {
        // 9 MiB: straight from memory it is one write after the header; through slabs of 4 MiB it would be three.
        using var volume = ImageViewFactory.Allocate(new VectorXu64(1024, 1152, 4), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var stored = new CountingStream();
        NpyFile.Write(volume, stored);
        Assert.Equal(2, stored.Writes);

        // A flipped view's memory is not in the file's order: it goes through the region reads, slab by slab.
        using var flipped = ImageViewFactory.FlipDimension(volume, 2);
        var slabbed = new CountingStream();
        NpyFile.Write(flipped, slabbed);
        Assert.True(slabbed.Writes > 2, $"{slabbed.Writes} writes");
        Assert.Equal(stored.Length, slabbed.Length);
    }

    [Theory]
    [InlineData(DataTypeId.UINT16, "uint16", "(6, 4, 12)")]
    [InlineData(DataTypeId.VEC3_UINT16, "uint16", "(6, 4, 12, 3)")]
    [InlineData(DataTypeId.FLOAT, "float32", "(6, 4, 12)")]
    [InlineData(DataTypeId.COMPLEX_DOUBLE, "complex128", "(6, 4, 12)")]
    [InlineData(DataTypeId.INT8, "int8", "(6, 4, 12)")]
    public void Volume_LoadsInNumpyInNumpyOrder(DataTypeId id, string numpyType, string shape)
    {
        using var dir = new TempDir();
        var path = dir.File("volume.npy");
        DataType type = id;
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), type, new ImageProperties(ImageTypeId.VOLUME));
        var element = new byte[type.ByteCount];
        element[0] = 9;
        if (type.Dimension > 1)
        {
            element[^type.ComponentByteCount] = 7;
        }

        v.Write(new VectorXu64(11, 2, 5), element);
        NpyFile.Write(v, path);
        var component = type.Dimension > 1 && type.Interpretation != DataTypeInterpretation.COMPLEX;
        var output = NumpyProcess.Run($$"""
            import numpy as np
            for mode in (None, 'r'):
                a = np.load(r'{{path}}', mmap_mode=mode)
                assert a.dtype == np.dtype('{{numpyType}}'), a.dtype
                print(tuple(a.shape), a.flags['C_CONTIGUOUS'])
                e = a[5, 2, 11]
                raw = np.asarray(e).tobytes()
                assert raw[0] == 9, raw
                assert np.count_nonzero(a) == {{(component ? 2 : 1)}}, np.count_nonzero(a)
            """);
        Assert.Equal($"{shape} True\n{shape} True\n", output);
    }

    [Fact]
    public void UnknownAxes_KeepTheViewOrder_AndAnOrderReordersThem()
    {
        using var dir = new TempDir();
        var plain = dir.File("plain.npy");
        var ordered = dir.File("ordered.npy");
        using var v = SampleViews.Numbered(12, 4, 6);
        NpyFile.Write(v, plain);
        using var volume = ImageViewFactory.Reinterpret(v, ImageTypeId.VOLUME);
        NpyFile.Write(volume, ordered, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]);
        var output = NumpyProcess.Run($$"""
            import numpy as np
            a = np.load(r'{{plain}}')
            b = np.load(r'{{ordered}}')
            print(a.shape, int(a[11, 3, 5]), b.shape, int(b[5, 11, 3]))
            """);
        Assert.Equal("(12, 4, 6) 541 (6, 12, 4) 541\n", output);
    }

    [Fact]
    public void VectorComponents_BecomeAChannelAxisWhereverTheOrderPutsThem()
    {
        using var dir = new TempDir();
        var path = dir.File("c.npy");
        using var v = ImageViewFactory.Allocate(new VectorXu64(5, 3), DataTypeId.VEC3_UINT8, new ImageProperties(ImageTypeId.IMAGE));
        v.Write(new VectorXu64(4, 2), [1, 2, 3]);
        NpyFile.Write(v, path, [ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN]);
        var output = NumpyProcess.Run($$"""
            import numpy as np
            a = np.load(r'{{path}}')
            print(a.shape, a[:, 2, 4].tolist())
            """);
        Assert.Equal("(3, 3, 5) [1, 2, 3]\n", output);
    }

    [Fact]
    public void WrittenFiles_RoundTripThroughIOLink()
    {
        using var dir = new TempDir();
        var path = dir.File("r.npy");
        using var v = SampleViews.Numbered(7, 5, 3);
        using var flipped = ImageViewFactory.FlipDimension(v, 1);
        NpyFile.Write(flipped, path);
        using var back = NpyFile.Read(path);
        Assert.Equal(flipped.Shape, back.Shape);
        Assert.Equal(SampleViews.ReadAll16(flipped), SampleViews.ReadAll16(back));
        var header = NpyFile.ReadHeader(path);
        Assert.Equal(0, header.DataOffset % 64);
        Assert.Equal(1, header.MajorVersion);
    }

    [Fact]
    public void WriteWithAnOrderOnUnknownAxes_Throws_AndLeavesNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("x.npy");
        using var v = SampleViews.Numbered(2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() => NpyFile.Write(v, path, new[] { ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE }));
        Assert.Contains("axes interpretation is UNKNOWN", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}

public class NpyMappedTests
{
    [Fact]
    public void MappedView_IsZeroCopy_AndWritesReachTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("m.npy");
        NumpyProcess.Run($"import numpy as np; np.save(r'{path}', np.zeros((6, 4, 12), dtype='<u2'))");
        using (var v = NpyFile.OpenMapped(path, writable: true, ImageTypeId.VOLUME))
        {
            Assert.True(v.Support(ImageCapability.MEMORY_ACCESS | ImageCapability.WRITE));
            Assert.False(v.Support(ImageCapability.RESHAPE));
            v.SetValue<ushort>(1234, 11, 3, 5);
            using var second = NpyFile.OpenMapped(path);
            Assert.Equal(1234, second.GetValue<ushort>(5, 3, 11));
        }

        var output = NumpyProcess.Run($"import numpy as np; print(int(np.load(r'{path}')[5, 3, 11]))");
        Assert.Equal("1234\n", output);
    }

    [Fact]
    public void ReadOnlyMapping_RefusesWrites()
    {
        using var dir = new TempDir();
        var path = dir.File("r.npy");
        NumpyProcess.Run($"import numpy as np; np.save(r'{path}', np.arange(10, dtype='<f8'))");
        using var v = NpyFile.OpenMapped(path);
        Assert.Equal(ImageCapability.READ | ImageCapability.MEMORY_ACCESS, v.Capabilities);
        Assert.Equal(9.0, v.GetValue<double>(9));
        var ex = Assert.Throws<NotSupportedException>(() => v.SetValue(1.0, 0));
        Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MappedFortranFile_IsAStridedView()
    {
        using var dir = new TempDir();
        var path = dir.File("f.npy");
        NumpyProcess.Run($"import numpy as np; np.save(r'{path}', np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)))");
        using var v = NpyFile.OpenMapped(path);
        Assert.Equal([4L, 8L], v.Strides);
        Assert.Equal(5, v.GetValue<int>(1, 2));
    }
}
