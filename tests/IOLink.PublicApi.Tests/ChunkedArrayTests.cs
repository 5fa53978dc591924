using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using IOLink.Chunked;
using IOLink.Conformance;
using IOLink.Interop;
using IOLink.Storage;

namespace IOLink.PublicApi.Tests;

/// <summary>The chunked-array layer through its public API: grids, keys, codecs, the planner, the cache, the view.</summary>
public sealed unsafe class ChunkedArrayTests
{
    private static readonly DataType U16 = DataTypeId.UINT16;

    /// <summary>A 10x7 UINT16 array in 4x3 chunks, big-endian, zlib-compressed, chunks in Fortran order: every stage of the pipeline.</summary>
    private static ChunkedArray Make(KeyValueStore store, ChunkCache? cache = null, ushort fill = 0) => new(
        store,
        ChunkGrid.Regular([10, 7], [4, 3]),
        ChunkKeyEncoding.V2('.'),
        new CodecPipeline(new BytesCodec(ByteOrder.BigEndian), [new DeflateCodec(gzip: false)], [TransposeCodec.Fortran(2)]),
        U16,
        BitConverter.GetBytes(fill),
        cache);

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

    [Fact]
    public void A_written_array_reads_back_whole_and_by_any_box()
    {
        using var store = new MemoryStore();
        var array = Make(store);
        var data = Ramp(70);
        Write(array, [0, 0], [10, 7], data);
        Assert.Equal(data, Read(array, [0, 0], [10, 7]));
        // A box across chunk borders, in the array's C order.
        var box = Read(array, [3, 2], [5, 4]);
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(data[((3 + i) * 7) + 2 + j], box[(i * 4) + j]);
            }
        }

        Assert.Equal(3 * 3, store.Count);
        Assert.Equal(["0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1", "2.2"], store.List());
    }

    [Fact]
    public void The_stored_bytes_are_what_each_codec_says()
    {
        using var store = new MemoryStore();
        var array = Make(store);
        var data = Ramp(70);
        Write(array, [0, 0], [10, 7], data);

        // Chunk 1.2 holds rows 4-7, columns 6-8 (only column 6 inside the array): zlib, then Fortran order, big-endian.
        using var stored = store.Get("1.2")!;
        using var zlib = new ZLibStream(new MemoryStream(stored.ToArray()), CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(4 * 3 * 2, bytes.Length);
        for (var r = 0; r < 4; r++)
        {
            // Fortran order: the row index varies fastest.
            Assert.Equal(data[((4 + r) * 7) + 6], BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(r * 2)));
            // Past the array's end the chunk holds the fill value.
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan((4 + r) * 2)));
        }

        Assert.Equal([2, 8], array.DecodedByteStridesOf([1, 2]));
    }

    [Fact]
    public void A_missing_chunk_reads_as_the_fill_value_and_a_partial_write_starts_from_it()
    {
        using var store = new MemoryStore();
        var array = Make(store, fill: 42);
        Assert.All(Read(array, [0, 0], [10, 7]), v => Assert.Equal(42, v));
        Write(array, [1, 1], [1, 1], [5]);
        var all = Read(array, [0, 0], [10, 7]);
        Assert.Equal(5, all[8]);
        Assert.Equal(69, all.Count(v => v == 42));
        Assert.Equal(["0.0"], store.List());
        Assert.Equal(0, array.Cache?.Count ?? 0);
    }

    [Fact]
    public void Partial_reads_decode_a_chunk_once_through_the_cache_and_see_another_writer()
    {
        using var store = new MemoryStore();
        var cache = new ChunkCache(1 << 20);
        var array = Make(store, cache);
        Write(array, [0, 0], [10, 7], Ramp(70));
        var decoded = array.ChunksDecoded;
        for (var i = 0; i < 4; i++)
        {
            Read(array, [i, 0], [1, 2]);
        }

        // Chunk 0.0 was kept by the write: no decode at all.
        Assert.Equal(decoded, array.ChunksDecoded);

        // Another writer of the same store replaces the chunk: the cached copy is stale and is not served.
        var other = Make(store);
        Write(other, [0, 0], [4, 3], Enumerable.Repeat((ushort)9, 12).ToArray());
        Assert.Equal(Enumerable.Repeat((ushort)9, 2), Read(array, [0, 0], [1, 2]));
        Assert.Equal(decoded + 1, array.ChunksDecoded);
    }

    [Fact]
    public void One_cache_serves_two_arrays_within_its_budget_and_a_closed_array_leaves_it()
    {
        using var one = new MemoryStore();
        using var two = new MemoryStore();
        var cache = new ChunkCache(1 << 20);
        var a = Make(one, cache);
        var b = Make(two, cache);
        Write(a, [0, 0], [10, 7], Ramp(70));
        Write(b, [0, 0], [10, 7], Ramp(70));
        Assert.Equal(18, cache.Count);
        cache.ByteBudget = 100;
        Assert.InRange(cache.Bytes, 1, 100);
        Assert.Equal(Ramp(70), Read(a, [0, 0], [10, 7]));
        a.Close();
        b.Close();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
        cache.ByteBudget = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.ByteBudget = -1);
    }

    [Fact]
    public void A_corrupt_chunk_is_an_error_naming_it()
    {
        using var store = new MemoryStore("lab.store");
        var array = Make(store);
        Write(array, [0, 0], [10, 7], Ramp(70));
        store.Set("1.1", [1, 2, 3, 4]);
        var ex = Assert.Throws<InvalidFileFormatException>(() => Read(array, [0, 0], [10, 7]));
        Assert.Contains("lab.store: chunk '1.1' cannot be read: it is not valid zlib data", ex.Message, StringComparison.Ordinal);
        store.Set("1.1", []);
        ex = Assert.Throws<InvalidFileFormatException>(() => Read(array, [4, 3], [1, 1]));
        Assert.Contains("chunk '1.1' cannot be read: it is empty", ex.Message, StringComparison.Ordinal);
        store.Set("1.1", new byte[3 << 20]);
        ex = Assert.Throws<InvalidFileFormatException>(() => Read(array, [4, 3], [1, 1]));
        Assert.Contains("more bytes than any encoding", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Boxes_outside_the_array_and_mismatched_descriptions_are_refused()
    {
        using var store = new MemoryStore();
        var array = Make(store);
        Assert.Throws<ArgumentException>(() => Read(array, [8, 0], [3, 1]));
        Assert.Throws<ArgumentException>(() => Read(array, [0, 0], [0, 1]));
        Assert.Throws<ArgumentException>(() => Read(array, [-1, 0], [1, 1]));
        Assert.Throws<ArgumentException>(() => Read(array, [0], [1]));
        Assert.Throws<ArgumentException>(() => ChunkGrid.Regular([10, 7], [4]));
        Assert.Throws<ArgumentException>(() => ChunkGrid.Regular([10, 0], [4, 1]));
        Assert.Throws<ArgumentException>(() => ChunkGrid.Regular([10, 7], [4, 0]));
        Assert.Throws<ArgumentException>(() => new TransposeCodec([0, 0]));
        Assert.Throws<ArgumentException>(() => ChunkKeyEncoding.V2('-'));
        Assert.Throws<ArgumentException>(() => new ChunkedArray(store, ChunkGrid.Regular([4], [4]), ChunkKeyEncoding.V2('.'), new CodecPipeline(BytesCodec.Native), U16, [0]));
        Assert.Throws<ArgumentException>(() => new ChunkedArray(store, ChunkGrid.Regular([1L << 40], [1L << 31]), ChunkKeyEncoding.V2('.'), new CodecPipeline(BytesCodec.Native), U16, [0, 0]));
        Assert.Throws<ArgumentException>(() => new ChunkedArray(store, ChunkGrid.Regular([4], [4]), ChunkKeyEncoding.V2('.'), new CodecPipeline(BytesCodec.Native), U16, [0, 0], keyPrefix: "../"));
    }

    [Fact]
    public void Keys_grids_and_strides_follow_the_formats()
    {
        Assert.Equal("0.3.1", ChunkKeyEncoding.V2('.').Key([0, 3, 1]));
        Assert.Equal("0/3/1", ChunkKeyEncoding.V2('/').Key([0, 3, 1]));
        Assert.Equal("c/0/3/1", ChunkKeyEncoding.Default().Key([0, 3, 1]));
        Assert.Equal("c.0.3", ChunkKeyEncoding.Default('.').Key([0, 3]));
        var grid = ChunkGrid.Regular([10, 7, long.MaxValue], [4, 3, 1L << 62]);
        Assert.Equal(3, grid.ChunksAlong(0));
        Assert.Equal(2, grid.ChunksAlong(2));
        Assert.Equal([2, 1, 1], grid.Coordinates(grid.Number([2, 1, 1])));
        var pipeline = new CodecPipeline(BytesCodec.Native, null, [new TransposeCodec([2, 0, 1])]);
        // Stored as axes (2, 0, 1) in C order: axis 1 fastest, then 0, then 2.
        Assert.Equal([2 * 5, 2, 2 * 5 * 4], pipeline.DecodedByteStrides([4, 5, 6], 2));
        Assert.Equal("none", pipeline.Description);
        Assert.Equal((8, 2), ByteRange.Last(2).Within(10));
        Assert.Equal((10, 0), ByteRange.From(12).Within(10));
    }

    [Fact]
    public void A_bytes_stage_that_cannot_say_its_length_must_come_first()
    {
        using var store = new MemoryStore();
        var array = new ChunkedArray(store, ChunkGrid.Regular([4], [4]), ChunkKeyEncoding.V2('.'),
            new CodecPipeline(BytesCodec.Native, [new DeflateCodec(false), new DeflateCodec(true)]), U16, [0, 0]);
        Write(array, [0], [4], [1, 2, 3, 4]);
        var ex = Assert.Throws<InvalidFileFormatException>(() => Read(array, [0], [4]));
        Assert.Contains("does not say how long its output is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_view_over_a_chunked_array_shares_its_chunks_both_ways()
    {
        using var store = new MemoryStore();
        var array = Make(store);
        using var view = new ChunkedImageView(array, ImageTypeId.IMAGE, writable: true);
        // Rule 2: the array's (10, 7) in NumPy order (Y, X) is the view's (X=7, Y=10).
        Assert.Equal(new VectorXu64(7, 10), view.Shape);
        Assert.Equal(new VectorXu64(3, 4), view.ChunkShape);
        Assert.Equal(new VectorXu64(3, 4), view.StorageBlockShape);
        view.WriteRegion(new RegionXu64(new VectorXu64(6, 9), new VectorXu64(1, 1)), BitConverter.GetBytes((ushort)777));
        Assert.Equal([777], Read(array, [9, 6], [1, 1]));
        Write(array, [0, 1], [1, 1], [555]);
        var element = new byte[2];
        view.ReadRegion(new RegionXu64(new VectorXu64(1, 0), new VectorXu64(1, 1)), element);
        Assert.Equal(555, BitConverter.ToUInt16(element));
    }

    [Fact]
    public void A_view_over_a_read_only_store_cannot_be_writable_and_closing_the_view_closes_the_array()
    {
        var folder = Directory.CreateTempSubdirectory("iolink-chunked-").FullName;
        try
        {
            var array = Make(new DirectoryStore(folder, readOnly: true));
            Assert.Throws<NotSupportedException>(() => new ChunkedImageView(array, writable: true));
            var cache = new ChunkCache(1 << 20);
            var owned = new ChunkedArray(new DirectoryStore(folder), ChunkGrid.Regular([4], [2]), ChunkKeyEncoding.V2('.'),
                new CodecPipeline(BytesCodec.Native), U16, [0, 0], cache, ownsStore: true);
            var view = new ChunkedImageView(owned, writable: true);
            view.WriteRegion(new RegionXu64(new VectorXu64(0UL), new VectorXu64(4UL)), new byte[8]);
            Assert.Equal(2, cache.Count);
            view.Dispose();
            Assert.True(owned.IsClosed);
            Assert.True(owned.Store.IsDisposed);
            Assert.Equal(0, cache.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>A chunked view in a memory store (every pipeline stage) passes what every view passes.</summary>
public sealed class ChunkedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        var store = new MemoryStore();
        var array = new ChunkedArray(store, ChunkGrid.Regular([5, 9, 7], [2, 4, 3]), ChunkKeyEncoding.V2('/'),
            new CodecPipeline(new BytesCodec(ByteOrder.BigEndian), [new DeflateCodec(gzip: true)], [new TransposeCodec([1, 2, 0])]),
            DataTypeId.FLOAT, BitConverter.GetBytes(-1f), new ChunkCache(1024), ownsStore: true);
        var view = new ChunkedImageView(array, AxisSpec.Of(ImageTypeId.VOLUME), writable: true);
        var values = Enumerable.Range(0, 5 * 9 * 7).Select(i => i * 0.25f).ToArray();
        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return view;
    }
}
