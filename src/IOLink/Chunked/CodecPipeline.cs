using System.Buffers;

namespace IOLink.Chunked;

/// <summary>
/// The codecs a chunk goes through between its items and its stored bytes, in encoding order: array-to-array codecs
/// (folded into the copy's strides: <see cref="DecodedByteStrides"/>), one array-to-bytes codec, then bytes-to-bytes
/// codecs. Decoding runs them backwards, straight into the destination where the array-to-bytes codec decodes in
/// place (no buffer between the stages of a compressed chunk in the machine's byte order).
/// </summary>
public sealed class CodecPipeline
{
    private readonly ArrayToArrayCodec[] _arrayToArray;
    private readonly BytesToBytesCodec[] _bytesToBytes;

    /// <summary>A pipeline of the given codecs, each list in encoding order.</summary>
    /// <exception cref="ArgumentNullException">A codec is null.</exception>
    public CodecPipeline(ArrayToBytesCodec arrayToBytes, IEnumerable<BytesToBytesCodec>? bytesToBytes = null, IEnumerable<ArrayToArrayCodec>? arrayToArray = null)
    {
        ArgumentNullException.ThrowIfNull(arrayToBytes);
        ArrayToBytes = arrayToBytes;
        _bytesToBytes = (bytesToBytes ?? []).ToArray();
        _arrayToArray = (arrayToArray ?? []).ToArray();
        if (_bytesToBytes.Contains(null) || _arrayToArray.Contains(null))
        {
            throw new ArgumentNullException(nameof(bytesToBytes), "A codec pipeline cannot hold a null codec.");
        }
    }

    /// <summary>The array-to-array codecs, in encoding order.</summary>
    public IReadOnlyList<ArrayToArrayCodec> ArrayToArray => _arrayToArray;

    /// <summary>The codec from the chunk's items to bytes.</summary>
    public ArrayToBytesCodec ArrayToBytes { get; }

    /// <summary>The bytes-to-bytes codecs, in encoding order.</summary>
    public IReadOnlyList<BytesToBytesCodec> BytesToBytes => _bytesToBytes;

    /// <summary>The codecs as <c>iolink info</c> shows the compression: the bytes-to-bytes stages, or <c>none</c>.</summary>
    public string Description => _bytesToBytes.Length == 0 ? "none" : string.Join(", ", _bytesToBytes.Select(c => c.Description));

    /// <summary>
    /// The byte strides, per axis of the chunk (in the array's axis order), of a chunk of <paramref name="chunkShape"/>
    /// as <see cref="Decode"/> leaves it: dense in C order over the axes as the array-to-array codecs ordered them.
    /// </summary>
    public long[] DecodedByteStrides(ReadOnlySpan<long> chunkShape, int itemBytes)
    {
        var rank = chunkShape.Length;
        // order[i]: which axis of the chunk the stored axis i is, after every reordering.
        var order = Enumerable.Range(0, rank).ToArray();
        foreach (var codec in _arrayToArray)
        {
            var step = codec.EncodedAxisOrder(rank);
            order = step.Select(i => order[i]).ToArray();
        }

        var strides = new long[rank];
        long stride = itemBytes;
        for (var i = rank - 1; i >= 0; i--)
        {
            strides[order[i]] = stride;
            stride *= chunkShape[order[i]];
        }

        return strides;
    }

    /// <summary>Decodes a stored chunk into all of <paramref name="decoded"/> (one chunk's bytes of <paramref name="itemType"/> items).</summary>
    /// <exception cref="InvalidDataException">The bytes do not decode to one chunk; the message says why, in words that follow "it".</exception>
    public void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded, DataType itemType)
    {
        var rented = new List<byte[]>();
        try
        {
            // The stages after the first bytes-to-bytes codec, last first: each says how long its output is.
            for (var i = _bytesToBytes.Length - 1; i >= 1; i--)
            {
                var length = _bytesToBytes[i].DecodedLength(encoded)
                    ?? throw new InvalidDataException($"cannot be decoded: the codec {_bytesToBytes[i].Name} does not say how long its output is, so it must come first among the bytes-to-bytes codecs");
                if (length < 0 || length > (long)decoded.Length * 2 + (1 << 20))
                {
                    throw new InvalidDataException($"says its {_bytesToBytes[i].Name} stage holds {length} bytes, far more than a chunk of {decoded.Length}");
                }

                var next = ArrayPool<byte>.Shared.Rent((int)length);
                rented.Add(next);
                _bytesToBytes[i].Decode(encoded, next.AsSpan(0, (int)length));
                encoded = next.AsSpan(0, (int)length);
            }

            if (ArrayToBytes.DecodesInPlace)
            {
                if (_bytesToBytes.Length > 0)
                {
                    _bytesToBytes[0].Decode(encoded, decoded);
                }
                else if (encoded.Length == decoded.Length)
                {
                    encoded.CopyTo(decoded);
                }
                else
                {
                    throw new InvalidDataException($"it holds {encoded.Length} bytes instead of the chunk's {decoded.Length}");
                }

                ArrayToBytes.DecodeInPlace(decoded, itemType);
                return;
            }

            if (_bytesToBytes.Length > 0)
            {
                var length = _bytesToBytes[0].DecodedLength(encoded)
                    ?? throw new InvalidDataException($"cannot be decoded: the codec {_bytesToBytes[0].Name} does not say how long its output is, and {ArrayToBytes.Name} needs to know");
                if (length < 0 || length > int.MaxValue - 64)
                {
                    throw new InvalidDataException($"says its {_bytesToBytes[0].Name} stage holds {length} bytes");
                }

                var next = ArrayPool<byte>.Shared.Rent((int)length);
                rented.Add(next);
                _bytesToBytes[0].Decode(encoded, next.AsSpan(0, (int)length));
                encoded = next.AsSpan(0, (int)length);
            }

            ArrayToBytes.Decode(encoded, decoded, itemType);
        }
        finally
        {
            foreach (var buffer in rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Encodes a chunk of <paramref name="itemType"/> items and hands the stored bytes to <paramref name="store"/> (valid only during that call).</summary>
    public void Encode(ReadOnlySpan<byte> decoded, DataType itemType, EncodedHandler store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rented = new List<byte[]>();
        try
        {
            var length = ArrayToBytes.Encode(decoded, itemType, out var output);
            ReadOnlySpan<byte> bytes = decoded[..length];
            if (output is not null)
            {
                rented.Add(output);
                bytes = output.AsSpan(0, length);
            }

            foreach (var codec in _bytesToBytes)
            {
                var n = codec.Encode(bytes, itemType.ByteCount, out var next);
                rented.Add(next);
                bytes = next.AsSpan(0, n);
            }

            store(bytes);
        }
        finally
        {
            foreach (var buffer in rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(" -> ", _arrayToArray.Select(c => c.Description).Append(ArrayToBytes.Description).Concat(_bytesToBytes.Select(c => c.Description)));
}

/// <summary>Takes a chunk's encoded bytes (valid only during the call).</summary>
public delegate void EncodedHandler(ReadOnlySpan<byte> encoded);
