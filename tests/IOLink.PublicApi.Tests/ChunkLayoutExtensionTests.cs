using IOLink.Chunked;
using IOLink.Storage;

namespace IOLink.PublicApi.Tests;

/// <summary>The extension points a format's chunk layout uses: its own chunk key encoding, store values that are parts of other values.</summary>
public sealed unsafe class ChunkLayoutExtensionTests
{
    private static readonly DataType U16 = DataTypeId.UINT16;

    private static ushort[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (ushort)(i * 7 + 1)).ToArray();

    private static void Write(ChunkedArray array, long[] start, long[] count, ushort[] data)
    {
        fixed (ushort* p = data)
        {
            array.Write(start, count, (byte*)p, StridedMemory.DenseByteStrides(count, 2, cOrder: true));
        }
    }

    private static ushort[] Read(ChunkedArray array, long[] start, long[] count)
    {
        var result = new ushort[count.Aggregate(1L, (a, b) => a * b)];
        fixed (ushort* p = result)
        {
            array.Read(start, count, (byte*)p, StridedMemory.DenseByteStrides(count, 2, cOrder: true));
        }

        return result;
    }

    /// <summary>A format's own key encoding: the array asks it for every key, and a store sees only those keys.</summary>
    private sealed class HexKeys() : ChunkKeyEncoding('/')
    {
        public override string Key(ReadOnlySpan<long> chunk)
        {
            var parts = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                parts[i] = chunk[i].ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            }

            return "h/" + string.Join("/", parts);
        }
    }

    [Fact]
    public void ADerivedKeyEncoding_NamesEveryChunk_AndTheArrayReadsBackThroughIt()
    {
        using var store = new MemoryStore("hex");
        var array = new ChunkedArray(store, ChunkGrid.Regular([80, 7], [4, 3]), new HexKeys(), new CodecPipeline(BytesCodec.Native), U16, [0, 0]);
        var data = Ramp(80 * 7);
        Write(array, [0, 0], [80, 7], data);
        Assert.Equal('/', array.Keys.Separator);
        Assert.Contains("h/a/2", store.List());
        Assert.DoesNotContain(store.List(), k => !k.StartsWith("h/", StringComparison.Ordinal));
        Assert.Equal(data, Read(array, [0, 0], [80, 7]));
    }

    [Fact]
    public void AStoreValueRebased_KeepsItsBytes_WithoutACopy_AndTheOriginalIsDisposed()
    {
        using var store = new MemoryStore("rebase");
        store.Set("outer", Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        var part = store.Get("outer", ByteRange.Of(40, 10))!;
        var before = part.Span.ToArray();
        using var inner = part.Rebase(valueLength: 12, offset: 2, part.Version);
        Assert.Equal(before, inner.ToArray());
        Assert.Equal(12, inner.ValueLength);
        Assert.Equal(2, inner.Offset);
        Assert.Throws<ObjectDisposedException>(() => part.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => part.Rebase(12, 2, part.Version));
        using var another = store.Get("outer", ByteRange.Of(0, 10))!;
        Assert.Throws<ArgumentOutOfRangeException>(() => another.Rebase(valueLength: 5, offset: 0, another.Version));
        Assert.Throws<ArgumentOutOfRangeException>(() => another.Rebase(valueLength: 50, offset: -1, another.Version));
    }
}
