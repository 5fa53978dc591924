namespace IOLink.Python.Tests;

/// <summary>Rules 1 to 5: arrays become views over the same memory, NumPy being the oracle for layouts and values.</summary>
[Collection(PythonTests.Name)]
public sealed class NumpyImportTests
{
    private static PyRef A(string expression) => Np.Ref(expression);

    [Theory]
    [InlineData("C")]
    [InlineData("F")]
    public void Rule1_plain_import_keeps_the_array_axes_whatever_the_order(string order)
    {
        using var a = A($"np.array(np.arange(6, dtype=np.uint16).reshape(2, 3), order='{order}')");
        using var view = NumpyInterop.FromNumpyArray(a);
        Assert.Equal(new VectorXu64(2, 3), view.Shape);
        Assert.Equal("VectorXu64(2, 3)", view.Shape.ToString());
        Assert.Equal(DataType.FromId(DataTypeId.UINT16), view.DataType);
        Assert.False(view.AxesInterpretation.IsKnown);
        Assert.Equal(Np.Longs("a.strides", ("a", a)), view.Strides);
        for (ulong i = 0; i < 2; i++)
        {
            for (ulong j = 0; j < 3; j++)
            {
                Assert.Equal(Np.Get<long>($"int(a[{i}, {j}])", ("a", a)), view.GetValue<ushort>(i, j));
            }
        }
    }

    [Fact]
    public void Rule2_import_as_image_gives_canonical_order()
    {
        using var a = A("np.arange(6, dtype=np.uint16).reshape(2, 3)");
        using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE);
        Assert.Equal(new VectorXu64(3, 2), view.Shape);
        Assert.Equal(ImageTypeId.IMAGE, view.AxesInterpretation.Id);
        Assert.Equal(Np.Get<long>("int(a[0, 2])", ("a", a)), view.GetValue<ushort>(2, 0));
        Assert.Equal(new long[] { 2, 6 }, view.Strides);
    }

    [Theory]
    [InlineData(ImageTypeId.VOLUME, "(6, 4, 12)", new ulong[] { 12, 4, 6 })]
    [InlineData(ImageTypeId.IMAGE_SEQUENCE, "(5, 4, 12)", new ulong[] { 12, 4, 5 })]
    [InlineData(ImageTypeId.MULTISPECTRAL_IMAGE, "(4, 12, 7)", new ulong[] { 12, 4, 7 })]
    [InlineData(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE, "(2, 3, 4, 5, 6)", new ulong[] { 5, 4, 3, 6, 2 })]
    public void Rule2_reads_array_axes_in_TZYXC_order(ImageTypeId type, string shape, ulong[] expected)
    {
        using var a = A($"np.arange(np.prod({shape}), dtype=np.int32).reshape({shape})");
        using var view = NumpyInterop.FromNumpyArray(a, type);
        Assert.Equal(new VectorXu64(expected), view.Shape);
        Assert.Equal(type, view.AxesInterpretation.Id);
    }

    [Fact]
    public void Rule2_unknown_type_is_a_plain_import()
    {
        using var a = A("np.zeros((2, 3), np.uint8)");
        using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.UNKNOWN);
        Assert.Equal(new VectorXu64(2, 3), view.Shape);
        Assert.False(view.AxesInterpretation.IsKnown);
    }

    [Fact]
    public void Rule3_named_axes_reorder_through_strides()
    {
        using var a = A("np.arange(6, dtype=np.uint16).reshape(2, 3)");
        using var view = NumpyInterop.OrderFromNumpyArray(a, ImageDimension.ROW, ImageDimension.COLUMN);
        Assert.Equal(new VectorXu64(3, 2), view.Shape);
        Assert.Equal(ImageTypeId.IMAGE, view.AxesInterpretation.Id);
        Assert.Equal(Np.Get<long>("int(a[1, 2])", ("a", a)), view.GetValue<ushort>(2, 1));
    }

    [Fact]
    public void Rule3_unusual_layout_row_column_slice()
    {
        using var a = A("np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)");
        using var view = NumpyInterop.OrderFromNumpyArray(a, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.SLICE);
        Assert.Equal(new VectorXu64(3, 2, 4), view.Shape);
        Assert.Equal(ImageTypeId.VOLUME, view.AxesInterpretation.Id);
        Assert.Equal(Np.Get<float>("float(a[1, 2, 3])", ("a", a)), view.GetValue<float>(2, 1, 3));
    }

    [Fact]
    public void Rule3_a_repeated_dimension_is_an_error()
    {
        using var a = A("np.zeros((2, 3), np.uint8)");
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.OrderFromNumpyArray(a, ImageDimension.ROW, ImageDimension.ROW));
        Assert.Contains("listed twice", ex.Message);
    }

    [Theory]
    [InlineData(2, DataTypeId.VEC2_UINT16)]
    [InlineData(3, DataTypeId.VEC3_UINT16)]
    [InlineData(4, DataTypeId.VEC4_UINT16)]
    public void Rule4_a_packed_last_axis_becomes_vector_components(int components, DataTypeId expected)
    {
        using var a = A($"np.arange(2 * 3 * {components}, dtype=np.uint16).reshape(2, 3, {components})");
        using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE);
        Assert.Equal(DataType.FromId(expected), view.DataType);
        Assert.Equal(new VectorXu64(3, 2), view.Shape);
        var element = new byte[2 * components];
        view.Read(new VectorXu64(2, 1), element);
        Assert.Equal(Np.Bytes("a[1, 2].tobytes()", ("a", a)), element);
    }

    [Fact]
    public void Rule4_an_unpacked_last_axis_is_an_error_that_says_so()
    {
        using var a = A("np.zeros((2, 3, 6), np.uint16)[..., ::2]");
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE));
        Assert.Contains("not packed", ex.Message);
        Assert.Contains("ascontiguousarray", ex.Message);
    }

    [Fact]
    public void Rule4_a_last_axis_of_five_cannot_be_components()
    {
        using var a = A("np.zeros((2, 3, 5), np.uint16)");
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE));
        Assert.Contains("2 to 4", ex.Message);
    }

    [Fact]
    public void Rule4_complex_values_cannot_be_components()
    {
        using var a = A("np.zeros((2, 3, 2), np.complex64)");
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE));
        Assert.Contains("no vectors of complex", ex.Message);
    }

    [Theory]
    [InlineData("np.zeros((2, 3), np.uint8)", ImageTypeId.VOLUME)]
    [InlineData("np.zeros((2, 3, 4, 5, 6), np.uint8)", ImageTypeId.IMAGE)]
    public void Rule2_axis_count_must_fit_the_interpretation(string array, ImageTypeId type)
    {
        using var a = A(array);
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(a, type));
        Assert.Contains($"does not fit {type}", ex.Message);
    }

    [Theory]
    [InlineData("bool", DataTypeId.UINT8)]
    [InlineData("uint8", DataTypeId.UINT8)]
    [InlineData("int8", DataTypeId.INT8)]
    [InlineData("uint16", DataTypeId.UINT16)]
    [InlineData("int16", DataTypeId.INT16)]
    [InlineData("uint32", DataTypeId.UINT32)]
    [InlineData("int32", DataTypeId.INT32)]
    [InlineData("uint64", DataTypeId.UINT64)]
    [InlineData("int64", DataTypeId.INT64)]
    [InlineData("float32", DataTypeId.FLOAT)]
    [InlineData("float64", DataTypeId.DOUBLE)]
    [InlineData("complex64", DataTypeId.COMPLEX_FLOAT)]
    [InlineData("complex128", DataTypeId.COMPLEX_DOUBLE)]
    public void Rule5_every_dtype_maps_and_reads_the_same_bytes(string dtype, DataTypeId expected)
    {
        using var a = A($"(np.arange(12).reshape(3, 4) % 2).astype('{dtype}')[:, ::-1]");
        using var view = NumpyInterop.FromNumpyArray(a);
        Assert.Equal(DataType.FromId(expected), view.DataType);
        Assert.Equal(dtype == "bool" ? ImageInterpretation.BINARY : ImageInterpretation.UNKNOWN, view.ImageInterpretation);
        var all = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), all);
        // A region is dense in canonical order: first view dimension fastest, which is NumPy's Fortran order here.
        Assert.Equal(Np.Bytes("a.tobytes(order='F')", ("a", a)), all);
    }

    [Fact]
    public void Rule5_float16_is_a_16_bit_floating_point_type()
    {
        using var a = A("np.array([1.5, -2.0], np.float16)");
        using var view = NumpyInterop.FromNumpyArray(a);
        Assert.Equal(new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16), view.DataType);
        Assert.Equal((Half)(-2.0), view.GetValue<Half>(1));
    }

    [Fact]
    public void Rule5_read_only_arrays_give_views_without_write()
    {
        using var a = A("np.arange(4, dtype=np.int16)");
        Np.Exec("a.flags.writeable = False", ("a", a));
        using var view = NumpyInterop.FromNumpyArray(a);
        Assert.False(view.Support(ImageCapability.WRITE));
        Assert.True(view.Support(ImageCapability.READ | ImageCapability.MEMORY_ACCESS));
        var ex = Assert.Throws<NotSupportedException>(() => view.SetValue<short>(1, 0));
        Assert.Contains("WRITE", ex.Message);
    }

    [Fact]
    public void Rule5_negative_strides_are_a_layout_like_any_other()
    {
        using var a = A("np.arange(12, dtype=np.int32).reshape(3, 4)[::-1, ::-2]");
        using var view = NumpyInterop.FromNumpyArray(a);
        Assert.Equal(Np.Longs("a.strides", ("a", a)), view.Strides);
        Assert.Equal(Np.Get<long>("a.__array_interface__['data'][0]", ("a", a)), (long)view.Buffer);
        Assert.Equal(Np.Get<int>("int(a[2, 1])", ("a", a)), view.GetValue<int>(2, 1));
    }

    [Theory]
    [InlineData("np.zeros(3, dtype='>u2')", "non-native byte order")]
    [InlineData("np.zeros(3, dtype=object)", "object array")]
    [InlineData("np.zeros(3, dtype=[('x', 'f4'), ('y', 'i2')])", "structured")]
    [InlineData("np.zeros(3, dtype='U4')", "strings")]
    [InlineData("np.zeros(3, dtype='S4')", "strings")]
    [InlineData("np.zeros(3, dtype='V4')", "void")]
    [InlineData("np.zeros(3, dtype='M8[s]')", "dates")]
    [InlineData("np.zeros(3, dtype=np.longdouble)", "no view data type")]
    [InlineData("np.array(5, dtype=np.uint8)", "0-d")]
    [InlineData("np.zeros((2, 0), np.uint8)", "no elements")]
    public void Rule5_unsupported_arrays_are_clear_errors(string array, string fragment)
    {
        using var a = A(array);
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(a));
        Assert.Contains(fragment, ex.Message);
        Assert.Equal("array", ex.ParamName);
    }

    [Fact]
    public void Something_that_is_not_an_array_is_refused()
    {
        using var list = A("[1, 2, 3]");
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.FromNumpyArray(list));
        Assert.Contains("numpy.ndarray", ex.Message);
        Assert.Contains("list", ex.Message);
        Assert.Throws<ArgumentNullException>(() => NumpyInterop.FromNumpyArray(null!));
    }

    [Fact]
    public void Writes_cross_both_ways_and_the_address_is_the_arrays()
    {
        using var a = A("np.zeros((2, 3), np.uint16)");
        using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.IMAGE);
        Assert.Equal(Np.Get<long>("a.ctypes.data", ("a", a)), (long)view.Buffer);
        view.SetValue<ushort>(77, 2, 1);
        Assert.Equal(77, Np.Get<int>("int(a[1, 2])", ("a", a)));
        Np.Exec("a[0, 1] = 1234", ("a", a));
        Assert.Equal(1234, view.GetValue<ushort>(1, 0));
    }
}
