using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace IOLink.Chunked;

/// <summary>
/// One stage of a chunk's codec pipeline (<see cref="CodecPipeline"/>), of one of three kinds, as Zarr v3 and
/// zarr-python 3 name them: <see cref="ArrayToArrayCodec"/> (the chunk stays an array: a transpose),
/// <see cref="ArrayToBytesCodec"/> (the array becomes bytes: item byte order) and <see cref="BytesToBytesCodec"/>
/// (bytes become bytes: compression, checksums).
/// </summary>
public abstract class ChunkCodec
{
    /// <summary>The codec's name, such as <c>transpose</c>, <c>bytes</c>, <c>zstd</c>.</summary>
    public abstract string Name { get; }

    /// <summary>How <c>iolink info</c> shows it, such as <c>zstd (level 1)</c>; the name by default.</summary>
    public virtual string Description => Name;

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>
/// A codec that reorders a chunk's axes. The pipeline folds the order into the strides it copies with, so no item
/// moves: a transposed chunk is decoded as it is stored and copied to the region in the region's order in one pass.
/// Codecs that change values (scale and offset) are not of this kind.
/// </summary>
public abstract class ArrayToArrayCodec : ChunkCodec
{
    /// <summary>For each axis of the encoded chunk, the axis of the chunk this codec receives that it is (a permutation of 0 to <paramref name="rank"/> - 1).</summary>
    public abstract int[] EncodedAxisOrder(int rank);
}

/// <summary>Zarr's <c>transpose</c>: the encoded chunk's axis <c>i</c> is the received chunk's axis <c>Order[i]</c> (Zarr v2's <c>"order": "F"</c> is the reversed order).</summary>
public sealed class TransposeCodec : ArrayToArrayCodec
{
    private readonly int[] _order;

    /// <summary>A transpose to <paramref name="order"/>, a permutation of the axes.</summary>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not a permutation of 0 to its length - 1.</exception>
    public TransposeCodec(ReadOnlySpan<int> order)
    {
        var seen = new bool[order.Length];
        foreach (var axis in order)
        {
            if (axis < 0 || axis >= order.Length || seen[axis])
            {
                throw new ArgumentException($"The transpose order ({string.Join(", ", order.ToArray())}) is not a permutation of the axes 0 to {order.Length - 1}.", nameof(order));
            }

            seen[axis] = true;
        }

        _order = order.ToArray();
    }

    /// <summary>The order of the axes in the encoded chunk.</summary>
    public IReadOnlyList<int> Order => _order;

    /// <summary>The transpose that stores a chunk in Fortran order (the last axis varies slowest).</summary>
    public static TransposeCodec Fortran(int rank) => new(Enumerable.Range(0, rank).Reverse().ToArray());

    /// <inheritdoc/>
    public override string Name => "transpose";

    /// <inheritdoc/>
    public override string Description => $"transpose ({string.Join(", ", _order)})";

    /// <inheritdoc/>
    public override int[] EncodedAxisOrder(int rank) => rank == _order.Length ? _order.ToArray()
        : throw new ArgumentException($"The transpose order has {_order.Length} axes, and the chunk {rank}.", nameof(rank));
}

/// <summary>A codec that turns a chunk (its items, dense in C order over its axes) into bytes, and back.</summary>
public abstract class ArrayToBytesCodec : ChunkCodec
{
    /// <summary>
    /// Whether the encoded bytes have the decoded chunk's length, so the pipeline decodes the bytes-to-bytes stages
    /// straight into the destination and calls <see cref="DecodeInPlace"/> there (no buffer between the stages).
    /// </summary>
    public virtual bool DecodesInPlace => false;

    /// <summary>Decodes <paramref name="encoded"/> into all of <paramref name="decoded"/> (one chunk of <paramref name="itemType"/> items).</summary>
    /// <exception cref="InvalidDataException">The bytes do not decode to one chunk; the message says why, in words that follow "it".</exception>
    public abstract void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded, DataType itemType);

    /// <summary>Decodes a chunk in place, when <see cref="DecodesInPlace"/>.</summary>
    public virtual void DecodeInPlace(Span<byte> chunk, DataType itemType) =>
        throw new NotSupportedException($"The codec {Name} does not decode in place.");

    /// <summary>
    /// Encodes a chunk: the encoded bytes are <paramref name="decoded"/> itself when <paramref name="output"/> comes back
    /// null, else the first bytes (the return value) of <paramref name="output"/>, rented from
    /// <see cref="ArrayPool{T}.Shared"/> (the caller returns it).
    /// </summary>
    public abstract int Encode(ReadOnlySpan<byte> decoded, DataType itemType, out byte[]? output);
}

/// <summary>Zarr's <c>bytes</c>: items stored as they are, in a byte order (swapped per component on machines of the other order; complex items per part).</summary>
public sealed class BytesCodec(ByteOrder order) : ArrayToBytesCodec
{
    /// <summary>The stored byte order.</summary>
    public ByteOrder Order => order;

    /// <summary>The machine's own order: no item is swapped.</summary>
    public static BytesCodec Native => new(BitConverter.IsLittleEndian ? ByteOrder.LittleEndian : ByteOrder.BigEndian);

    /// <inheritdoc/>
    public override string Name => "bytes";

    /// <inheritdoc/>
    public override string Description => order == ByteOrder.LittleEndian ? "bytes (little-endian)" : "bytes (big-endian)";

    /// <inheritdoc/>
    public override bool DecodesInPlace => true;

    /// <summary>Whether items of <paramref name="itemType"/> are swapped on this machine.</summary>
    public bool Swaps(DataType itemType) => itemType.ComponentByteCount > 1 && (order == ByteOrder.BigEndian) == BitConverter.IsLittleEndian;

    /// <inheritdoc/>
    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded, DataType itemType)
    {
        if (encoded.Length != decoded.Length)
        {
            throw new InvalidDataException($"it holds {encoded.Length} bytes instead of the chunk's {decoded.Length}");
        }

        encoded.CopyTo(decoded);
        DecodeInPlace(decoded, itemType);
    }

    /// <inheritdoc/>
    public override void DecodeInPlace(Span<byte> chunk, DataType itemType)
    {
        if (Swaps(itemType))
        {
            Swap(chunk, itemType.ComponentByteCount);
        }
    }

    /// <inheritdoc/>
    public override int Encode(ReadOnlySpan<byte> decoded, DataType itemType, out byte[]? output)
    {
        output = null;
        if (!Swaps(itemType))
        {
            return decoded.Length;
        }

        output = ArrayPool<byte>.Shared.Rent(decoded.Length);
        var swapped = output.AsSpan(0, decoded.Length);
        decoded.CopyTo(swapped);
        Swap(swapped, itemType.ComponentByteCount);
        return decoded.Length;
    }

    /// <summary>Reverses the bytes of every <paramref name="unit"/>-byte word of <paramref name="data"/>.</summary>
    public static void Swap(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            case 1:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(unit), unit, "Items are swapped in words of 1, 2, 4 or 8 bytes.");
        }
    }
}

/// <summary>A codec from bytes to bytes: a compressor, a checksum.</summary>
public abstract class BytesToBytesCodec : ChunkCodec
{
    /// <summary>Decodes <paramref name="encoded"/> into all of <paramref name="decoded"/>, whose length is what the data must decode to.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, or decodes to another length; the message says which, in words that follow "it".</exception>
    public abstract void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded);

    /// <summary>
    /// The length <paramref name="encoded"/> decodes to, when the data says (a checksum's is 4 bytes less, a zstd frame
    /// may record it); null when only the next stage knows. A codec that is not the first of the bytes-to-bytes
    /// stages must know it.
    /// </summary>
    public virtual long? DecodedLength(ReadOnlySpan<byte> encoded) => null;

    /// <summary>
    /// Encodes <paramref name="data"/> (items of <paramref name="itemSize"/> bytes, for shuffling compressors) into
    /// <paramref name="output"/>, rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it); returns the
    /// bytes used.
    /// </summary>
    public abstract int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output);
}
