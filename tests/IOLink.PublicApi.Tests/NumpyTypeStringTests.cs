using IOLink.Interop;

namespace IOLink.PublicApi.Tests;

/// <summary>The one NumPy type-string parser (.npy headers and Zarr metadata) and its one byte-order rule: read and reported, never refused.</summary>
public sealed class NumpyTypeStringTests
{
    [Theory]
    [InlineData("<u2", DataTypeId.UINT16, ByteOrder.LittleEndian, false)]
    [InlineData(">f4", DataTypeId.FLOAT, ByteOrder.BigEndian, false)]
    [InlineData("!i4", DataTypeId.INT32, ByteOrder.BigEndian, false)]
    [InlineData(">c8", DataTypeId.COMPLEX_FLOAT, ByteOrder.BigEndian, false)]
    [InlineData("|b1", DataTypeId.UINT8, ByteOrder.LittleEndian, true)]
    [InlineData(">u1", DataTypeId.UINT8, ByteOrder.LittleEndian, false)]
    [InlineData("=i8", DataTypeId.INT64, ByteOrder.LittleEndian, false)]
    public void Type_strings_give_the_item_its_order_and_boolness(string text, DataTypeId item, ByteOrder order, bool isBool)
    {
        Assert.True(BitConverter.IsLittleEndian);
        Assert.True(NumpyTypeString.TryParse(text, out var type, out var reason), reason);
        Assert.Equal((DataType)item, type!.ItemType);
        Assert.Equal(order, type.Order);
        Assert.Equal(isBool, type.IsBool);
        Assert.Equal(order == ByteOrder.BigEndian, type.Swaps);
        Assert.Equal(text, type.ToString());
    }

    [Theory]
    [InlineData("<u2\0", "not a NumPy type string")]
    [InlineData("<u+2", "not a NumPy type string")]
    [InlineData("u2", "not a NumPy type string")]
    [InlineData("#u2", "not a NumPy type string")]
    [InlineData("<U4", "hold no image data")]
    [InlineData("|O", "pickling")]
    [InlineData("<f3", "no IOLink data type")]
    [InlineData("<u99999999999", "not a NumPy type string")]
    public void Other_strings_say_why_not(string text, string fragment)
    {
        Assert.False(NumpyTypeString.TryParse(text, out var type, out var reason));
        Assert.Null(type);
        Assert.Contains(fragment, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_strings_are_what_numpy_writes()
    {
        Assert.Equal("<u2", NumpyTypeString.Native(DataTypeId.UINT16).Text);
        Assert.Equal("|i1", NumpyTypeString.Native(DataTypeId.INT8).Text);
        Assert.Equal("<c16", NumpyTypeString.Native(DataTypeId.COMPLEX_DOUBLE).Text);
        Assert.Throws<ArgumentException>(() => NumpyTypeString.Native(DataTypeId.VEC3_FLOAT));
    }
}
