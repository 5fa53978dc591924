using System.Runtime.InteropServices;

namespace IOLink.PublicApi.Tests;

/// <summary>Tables stored by column, as IOLink's DataFrameView describes them.</summary>
public sealed class DataFrameViewTests
{
    private static DataFrameView Labels() => DataFrameViewFactory.Allocate(
        [
            new("label", DataTypeId.INT32),
            new("volume", DataTypeId.DOUBLE, "mm^3"),
            new("name", DataTypeId.UTF8_STRING),
            new("touches_border", DataTypeId.UINT8, Interpretation: ImageInterpretation.BINARY),
        ],
        3);

    [Fact]
    public void A_table_has_named_typed_columns_with_units_and_reads_and_writes_by_column_and_cell()
    {
        using var table = Labels();
        Assert.Equal(new VectorXu64(4, 3), table.Shape);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.RESHAPE, table.Capabilities);
        Assert.Equal("volume", table.ColumnName(1));
        Assert.Equal(2, table.ColumnIndex("name"));
        Assert.Equal(DataType.FromId(DataTypeId.UTF8_STRING), table.ColumnDataType(2));
        Assert.True(table.ColumnDataType(2).IsString);
        Assert.Equal("mm^3", table.ColumnUnit(1));
        Assert.Equal(ImageInterpretation.BINARY, table.ColumnInterpretation(3));

        table.Write(0, 0, 3, MemoryMarshal.AsBytes<int>([7, 8, 9]));
        table.SetAt(1, 2, 12.5);
        table.SetAt("name", 1, "nucleus");
        table.SetAt<byte>(3, 0, 1);
        Assert.Equal(8, table.At<int>(0, 1));
        Assert.Equal(12.5, table.At<double>("volume", 2));
        Assert.Equal("nucleus", table.At<string>(2, 1));
        Assert.Equal(string.Empty, table.At<string>(2, 0));
        var labels = new int[2];
        table.Read(0, 1, 2, MemoryMarshal.AsBytes(labels.AsSpan()));
        Assert.Equal([8, 9], labels);
        var names = new string[3];
        table.Read(2, 0, 3, names);
        Assert.Equal(["", "nucleus", ""], names);
        table.Write(2, 0, ["a", "b"]);
        Assert.Equal("b", table.At<string>(2, 1));
        Assert.Contains("volume: DOUBLE [mm^3]", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_columns_rows_and_types_are_clear_errors()
    {
        using var table = Labels();
        Assert.Contains("4 column(s)", Assert.Throws<ArgumentOutOfRangeException>(() => table.ColumnName(4)).Message, StringComparison.Ordinal);
        Assert.Contains("\"label\"", Assert.Throws<KeyNotFoundException>(() => table.ColumnIndex("area")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.At<int>(0, 3));
        Assert.Throws<ArgumentException>(() => table.At<float>(0, 0));
        Assert.Throws<ArgumentException>(() => table.At<string>(0, 0));
        Assert.Throws<ArgumentException>(() => table.At<int>(2, 0));
        Assert.Throws<ArgumentException>(() => table.Read(0, 0, 2, new byte[7]));
        Assert.Throws<ArgumentException>(() => table.AddColumn("label", DataTypeId.INT8));
        Assert.Throws<ArgumentException>(() => table.AddColumn("rgb", DataTypeId.VEC3_UINT8));
        Assert.Throws<ArgumentException>(() => table.AddColumn("flag", DataTypeId.INT16, interpretation: ImageInterpretation.BINARY));
        Assert.Throws<ArgumentException>(() => table.ColumnView(2));
        Assert.Throws<ArgumentException>(() => DataFrameViewFactory.Allocate([new("a", DataTypeId.INT8), new("a", DataTypeId.INT8)]));

        // Text is a column type, never an image's element type.
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.UTF8_STRING));
        Assert.Contains("table column", ex.Message, StringComparison.Ordinal);
        table.Dispose();
        Assert.Equal(ImageCapability.NONE, table.Capabilities);
        Assert.Throws<ObjectDisposedException>(() => table.Shape);
    }

    [Fact]
    public void A_column_view_is_the_tables_memory_until_its_rows_change()
    {
        using var table = Labels();
        using var labels = table.ColumnView(0);
        Assert.Equal(new VectorXu64(3), labels.Shape);
        Assert.True(labels.Support(ImageCapability.MEMORY_ACCESS | ImageCapability.WRITE));
        labels.SetValue(41, 1);
        Assert.Equal(41, table.At<int>(0, 1));
        table.SetAt(0, 2, 42);
        Assert.Equal(42, labels.GetValue<int>(2));
        using (var flags = table.ColumnView(3))
        {
            Assert.Equal(ImageInterpretation.BINARY, flags.ImageInterpretation);
        }

        // Rows inserted at 1: the old rows move, the new ones are 0 and "", and the old column view keeps the old memory.
        table.AddRows(1, 2);
        Assert.Equal(5L, table.RowCount);
        Assert.Equal([0, 0, 0, 41, 42], Enumerable.Range(0, 5).Select(r => table.At<int>(0, r)));
        Assert.Equal(string.Empty, table.At<string>(2, 2));
        labels.SetValue(7, 0);
        Assert.Equal(0, table.At<int>(0, 0));

        table.RemoveRows(0, 3);
        Assert.Equal([41, 42], Enumerable.Range(0, 2).Select(r => table.At<int>(0, r)));
        table.RemoveColumn(1);
        Assert.Equal(new VectorXu64(3, 2), table.Shape);
        Assert.Equal("name", table.ColumnName(1));
        table.AddColumn("area", DataTypeId.FLOAT, "um^2");
        Assert.Equal(0f, table.At<float>("area", 1));
        table.RemoveRows(0, 2);
        Assert.Equal(new VectorXu64(4, 0), table.Shape);
        Assert.Throws<ArgumentException>(() => table.ColumnView(0));
        table.AddRows(0, 1);
        Assert.Equal(0, table.At<int>(0, 0));
    }

    [Fact]
    public void A_column_over_a_callers_view_is_read_and_written_in_place()
    {
        var data = new double[] { 1, 2, 3 };
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            using var values = ImageViewFactory.FromBuffer(handle.AddrOfPinnedObject(), 24, new VectorXu64(3), DataTypeId.DOUBLE);
            using var table = DataFrameViewFactory.Allocate([], 3);
            table.AddColumn("intensity", values, "counts");
            table.SetAt(0, 1, 20.0);
            Assert.Equal(20.0, data[1]);
            using var other = ImageViewFactory.Allocate(new VectorXu64(4), DataTypeId.DOUBLE);
            Assert.Throws<ArgumentException>(() => table.AddColumn("other", other));
        }
        finally
        {
            handle.Free();
        }
    }
}
