namespace IOLink.Python.Tests;

/// <summary>Rules 6 to 8: views become arrays over the same memory.</summary>
[Collection(PythonTests.Name)]
public sealed class NumpyExportTests
{
    private static ImageView Volume(DataTypeId type, ImageTypeId axes = ImageTypeId.VOLUME) =>
        ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), type, new ImageProperties(axes));

    [Fact]
    public void Rule6_volume_exports_as_slice_row_column()
    {
        using var view = Volume(DataTypeId.UINT16);
        view.SetValue<ushort>(42, 11, 2, 5);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.Equal("(6, 4, 12)", Np.Get<string>("str(a.shape)", ("a", a)));
        Assert.Equal("uint16", Np.Get<string>("str(a.dtype)", ("a", a)));
        Assert.Equal(42, Np.Get<int>("int(a[5, 2, 11])", ("a", a)));
        Assert.Equal(new long[] { 96, 24, 2 }, Np.Longs("a.strides", ("a", a)));
        Assert.Equal((long)view.Buffer, Np.Get<long>("a.ctypes.data", ("a", a)));
    }

    [Fact]
    public void Rule6_vector_type_adds_the_components_axis_last()
    {
        using var view = Volume(DataTypeId.VEC3_UINT16);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.Equal("(6, 4, 12, 3)", Np.Get<string>("str(a.shape)", ("a", a)));
        Assert.Equal(new long[] { 288, 72, 6, 2 }, Np.Longs("a.strides", ("a", a)));
    }

    [Theory]
    [InlineData(DataTypeId.UINT16, "(12, 4, 6)")]
    [InlineData(DataTypeId.VEC3_UINT16, "(12, 4, 6, 3)")]
    public void Rule7_unknown_axes_keep_view_order(DataTypeId type, string shape)
    {
        using var view = Volume(type, ImageTypeId.UNKNOWN);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.Equal(shape, Np.Get<string>("str(a.shape)", ("a", a)));
    }

    [Theory]
    [InlineData("int8", DataTypeId.INT8)]
    [InlineData("uint8", DataTypeId.UINT8)]
    [InlineData("int16", DataTypeId.INT16)]
    [InlineData("uint32", DataTypeId.UINT32)]
    [InlineData("int32", DataTypeId.INT32)]
    [InlineData("uint64", DataTypeId.UINT64)]
    [InlineData("int64", DataTypeId.INT64)]
    [InlineData("float32", DataTypeId.FLOAT)]
    [InlineData("float64", DataTypeId.DOUBLE)]
    [InlineData("complex64", DataTypeId.COMPLEX_FLOAT)]
    [InlineData("complex128", DataTypeId.COMPLEX_DOUBLE)]
    public void Every_scalar_type_exports_to_its_dtype(string dtype, DataTypeId type)
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), type);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.Equal(dtype, Np.Get<string>("str(a.dtype)", ("a", a)));
        Assert.Equal("(3, 2)", Np.Get<string>("str(a.shape)", ("a", a)));
    }

    [Fact]
    public void Rule8_export_in_a_chosen_order()
    {
        using var view = Volume(DataTypeId.FLOAT);
        view.SetValue(1.5f, 7, 3, 2);
        using var a = Np.Own(NumpyInterop.OrderToNumpyArray(view, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW));
        Assert.Equal("(6, 12, 4)", Np.Get<string>("str(a.shape)", ("a", a)));
        Assert.Equal(1.5, Np.Get<double>("float(a[2, 7, 3])", ("a", a)));
    }

    [Fact]
    public void Rule8_vector_components_are_placed_as_channel()
    {
        using var view = Volume(DataTypeId.VEC3_UINT16);
        using var a = Np.Own(NumpyInterop.OrderToNumpyArray(view, ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN));
        Assert.Equal("(3, 6, 4, 12)", Np.Get<string>("str(a.shape)", ("a", a)));
        Assert.Equal(new long[] { 2, 288, 72, 6 }, Np.Longs("a.strides", ("a", a)));
    }

    [Fact]
    public void Rule8_needs_a_known_interpretation()
    {
        using var view = Volume(DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.OrderToNumpyArray(view, ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE));
        Assert.Contains("UNKNOWN", ex.Message);
        Assert.Contains("ReinterpretAxes", ex.Message);
    }

    [Fact]
    public void Rule8_vector_without_channel_in_the_order_is_an_error()
    {
        using var view = Volume(DataTypeId.VEC3_UINT16);
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.OrderToNumpyArray(view, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN));
        Assert.Contains("exactly once", ex.Message);
        Assert.Contains("CHANNEL", ex.Message);
    }

    [Fact]
    public void Rule8_channel_dimension_with_vector_type_is_an_error()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(4, 3, 2), DataTypeId.VEC2_FLOAT, new ImageProperties(ImageTypeId.MULTISPECTRAL_IMAGE));
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.OrderToNumpyArray(view, ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN));
        Assert.Contains("both a CHANNEL dimension and the multi-component data type", ex.Message);
    }

    [Theory]
    [InlineData(new[] { ImageDimension.SLICE, ImageDimension.ROW })]
    [InlineData(new[] { ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.ROW })]
    [InlineData(new[] { ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.SEQUENCE })]
    public void Rule8_order_must_list_each_dimension_once(ImageDimension[] order)
    {
        using var view = Volume(DataTypeId.UINT8);
        var ex = Assert.Throws<ArgumentException>(() => NumpyInterop.OrderToNumpyArray(view, order));
        Assert.Contains("exactly once", ex.Message);
        Assert.Equal("order", ex.ParamName);
    }

    [Fact]
    public void Export_needs_memory_access_and_points_to_CopyInMemory()
    {
        using var uniform = ImageViewFactory.Uniform(new VectorXu64(2, 2), DataTypeId.UINT8, [7]);
        var ex = Assert.Throws<NotSupportedException>(() => NumpyInterop.ToNumpyArray(uniform));
        Assert.Contains("MEMORY_ACCESS", ex.Message);
        Assert.Contains("ImageViewFactory.CopyInMemory", ex.Message);
        using var copy = ImageViewFactory.CopyInMemory(uniform);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(copy));
        Assert.Equal(28, Np.Get<int>("int(a.sum())", ("a", a)));
    }

    [Fact]
    public void Disposed_view_cannot_be_exported()
    {
        var view = Volume(DataTypeId.UINT8);
        view.Dispose();
        Assert.Throws<ObjectDisposedException>(() => NumpyInterop.ToNumpyArray(view));
    }

    [Fact]
    public void Rule9_a_view_without_write_exports_a_read_only_array()
    {
        using var view = Volume(DataTypeId.UINT8);
        using var ro = ImageViewFactory.MakeReadOnly(view);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(ro));
        Assert.False(Np.Get<bool>("a.flags.writeable", ("a", a)));
        using var b = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.True(Np.Get<bool>("b.flags.writeable", ("b", b)));
    }

    [Fact]
    public void Flipped_and_sub_sampled_views_export_with_their_strides()
    {
        using var view = Volume(DataTypeId.INT16);
        for (ulong x = 0; x < 12; x++)
        {
            view.SetValue((short)x, x, 1, 2);
        }

        using var flipped = ImageViewFactory.FlipDimension(view, ImageDimension.COLUMN);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(flipped));
        Assert.Equal(new long[] { 96, 24, -2 }, Np.Longs("a.strides", ("a", a)));
        Assert.Equal("[11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]", Np.Get<string>("str(a[2, 1].tolist())", ("a", a)));
    }

    [Fact]
    public void Writes_cross_both_ways()
    {
        using var view = Volume(DataTypeId.UINT16);
        using var a = Np.Own(NumpyInterop.ToNumpyArray(view));
        Np.Exec("a[1, 2, 3] = 999", ("a", a));
        Assert.Equal(999, view.GetValue<ushort>(3, 2, 1));
        view.SetValue<ushort>(5, 0, 0, 0);
        Assert.Equal(5, Np.Get<int>("int(a[0, 0, 0])", ("a", a)));
    }

    [Fact]
    public void Import_then_export_returns_the_same_memory()
    {
        using var a = Np.Ref("np.arange(24, dtype=np.uint8).reshape(2, 3, 4)");
        using var view = NumpyInterop.FromNumpyArray(a, ImageTypeId.VOLUME);
        using var b = Np.Own(NumpyInterop.ToNumpyArray(view));
        Assert.True(Np.Get<bool>("a.__array_interface__['data'][0] == b.__array_interface__['data'][0] and a.shape == b.shape and a.strides == b.strides", ("a", a), ("b", b)));
    }
}
