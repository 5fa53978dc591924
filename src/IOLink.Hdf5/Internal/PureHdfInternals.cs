using System.Reflection;
using PureHDF;
using PureHDF.VOL.Native;

namespace IOLink.Hdf5.Internal;

/// <summary>
/// What IOLink needs of a dataset that PureHDF 2.2.0 knows but does not publish: where a contiguous dataset's bytes
/// are in the file, where each chunk of a chunked one is (every chunk index HDF5 has: B-tree v1 and v2, single chunk,
/// fixed and extensible arrays), the filter pipeline, and the byte order. Read through reflection on the pinned
/// version; every member is looked up once, and a missing one is a <see cref="NotSupportedException"/> naming it
/// (the tests run these paths, so a PureHDF upgrade that moves them fails there, not in a user's hands).
/// </summary>
internal static class PureHdfInternals
{
    private const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
    private static readonly Assembly Library = typeof(H5File).Assembly;

    private static object? Get(object target, string name, bool required = true)
    {
        var property = target.GetType().GetProperty(name, Members);
        if (property is null)
        {
            return required ? throw Missing(target.GetType(), name) : null;
        }

        return property.GetValue(target);
    }

    private static MissingInternalException Missing(Type type, string name) =>
        new($"IOLink.Hdf5 reads {type.Name}.{name} of PureHDF {Library.GetName().Version}, which does not have it; IOLink.Hdf5 is built for PureHDF 2.2.0.");

    /// <summary>PureHDF lacks a member IOLink reads: a different version than the one IOLink.Hdf5 is built for (never a damaged file).</summary>
    public sealed class MissingInternalException(string message) : NotSupportedException(message);

    /// <summary>The superblock's base address: dataset addresses count from it (it is not 0 when the file has a user block).</summary>
    public static long BaseAddress(NativeDataset dataset)
    {
        var context = typeof(NativeObject).GetProperty("Context", Members)?.GetValue(dataset) ?? throw Missing(typeof(NativeObject), "Context");
        var superblock = Get(context, "Superblock")!;
        return checked((long)(ulong)Get(superblock, "BaseAddress")!);
    }

    /// <summary>A contiguous dataset's address (from the base address) and byte count; the address is <see cref="ulong.MaxValue"/> when it was never written.</summary>
    public static (ulong Address, ulong Size) Contiguous(NativeDataset dataset, ulong bytes)
    {
        var layout = Get(dataset, "InternalDataLayout")!;
        if (Get(layout, "Properties", required: false) is { } properties)
        {
            return ((ulong)Get(properties, "Address")!, (ulong)Get(properties, "Size")!);
        }

        return ((ulong)Get(layout, "Address")!, bytes);   // layout messages 1 and 2 give the address alone
    }

    /// <summary>Whether the numbers are big-endian (false for types without a byte order).</summary>
    public static bool BigEndian(IH5DataType type)
    {
        var message = type.GetType().GetField("_dataType", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(type)
            ?? throw Missing(type.GetType(), "_dataType");
        var bitField = Get(message, "BitField", required: false);
        return bitField?.GetType().GetProperty("ByteOrder", Members)?.GetValue(bitField)?.ToString() == "BigEndian";
    }

    /// <summary>The dataset's filters in the order they were applied when writing: identifier and client data.</summary>
    public static List<(int Id, uint[] ClientData)> Filters(NativeDataset dataset)
    {
        var result = new List<(int, uint[])>();
        if (Get(dataset, "InternalFilterPipeline", required: false) is not { } pipeline)
        {
            return result;
        }

        foreach (var description in (Array)Get(pipeline, "FilterDescriptions")!)
        {
            result.Add(((int)(ushort)Get(description!, "Identifier")!, (uint[])Get(description!, "ClientData")!));
        }

        return result;
    }

    /// <summary>
    /// Whether the values of a variable-length attribute (h5py's strings) may be read: PureHDF takes each global
    /// heap object's size from the file and allocates it before reading, so a damaged size makes it allocate up to
    /// 2 GiB for a few bytes of file. Each heap collection the attribute refers to is walked here first, as PureHDF
    /// will walk it, with every size checked against the collection and the file.
    /// </summary>
    public static bool HeapReferencesAreSound(IH5Attribute attribute, RandomAccess file, long baseAddress)
    {
        var message = attribute.GetType().GetProperty("Message", Members)?.GetValue(attribute) ?? throw Missing(attribute.GetType(), "Message");
        var data = ((Memory<byte>)Get(message, "InputData")!).Span;
        var context = attribute.GetType().GetField("_context", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(attribute) ?? throw Missing(attribute.GetType(), "_context");
        var superblock = Get(context, "Superblock")!;
        int offsets = (byte)Get(superblock, "OffsetsSize")!, lengths = (byte)Get(superblock, "LengthsSize")!;
        var entry = 4 + offsets + 4;   // a reference: the sequence's length, the collection's address, the object's index
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8) || data.Length % entry != 0)
        {
            return false;
        }

        var checkedCollections = new HashSet<ulong>();
        for (var at = 0; at + entry <= data.Length; at += entry)
        {
            var address = Unsigned(data.Slice(at + 4, offsets));
            if (address == 0 || checkedCollections.Contains(address))
            {
                continue;   // an empty string, or a collection already walked
            }

            if (checkedCollections.Count > 64 || !CollectionIsSound(file, baseAddress, address, lengths))
            {
                return false;
            }

            checkedCollections.Add(address);
        }

        return true;
    }

    private static ulong Unsigned(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    /// <summary>A global heap collection ("GCOL", version, collection size, then objects of index, count, size, data) whose sizes all fit.</summary>
    private static bool CollectionIsSound(RandomAccess file, long baseAddress, ulong address, int lengths)
    {
        const long MaxCollection = 64L << 20;
        if (address > (ulong)file.Size)
        {
            return false;
        }

        var start = baseAddress + (long)address;
        var headerSize = 8 + lengths;
        if (start < 0 || start > file.Size - headerSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[16];
        file.Read(start, header[..headerSize]);
        if (!header[..4].SequenceEqual("GCOL"u8))
        {
            return false;
        }

        var size = Unsigned(header.Slice(8, lengths));
        if (size < (ulong)headerSize || size > (ulong)MaxCollection || (long)size > file.Size - start)
        {
            return false;
        }

        var collection = new byte[size];
        file.Read(start, collection);
        var position = (ulong)headerSize;
        var remaining = size - (ulong)headerSize;
        var objectHeader = 8UL + (ulong)lengths;
        while (remaining > (ulong)headerSize)
        {
            if (position + objectHeader > size)
            {
                return false;
            }

            var index = BitConverter.ToUInt16(collection, (int)position);
            var objectSize = Unsigned(collection.AsSpan((int)position + 8, lengths));
            if (index == 0)
            {
                return true;   // free space ends the objects
            }

            var padded = (objectSize + 7) / 8 * 8;
            if (objectSize > size || padded > size - position - objectHeader)
            {
                return false;
            }

            position += objectHeader + padded;
            remaining = size > position ? size - position : 0;
        }

        return true;
    }

    /// <summary>
    /// The dataset's chunk index, asked chunk by chunk: <see cref="Locate"/> gives a chunk's address, stored size and
    /// filter mask from its row-major index over the chunk grid. PureHDF reads the index through its own reader of the
    /// file, which is not safe for two threads at once: calls are serialized.
    /// </summary>
    public sealed class ChunkIndex : IDisposable
    {
        private readonly object _reader;
        private readonly MethodInfo _locate;
        private readonly Lock _lock = new();

        public ChunkIndex(NativeDataset dataset)
        {
            var context = typeof(NativeObject).GetProperty("Context", Members)?.GetValue(dataset) ?? throw Missing(typeof(NativeObject), "Context");
            var infoType = Library.GetType("PureHDF.VOL.Native.DatasetInfo") ?? throw Missing(typeof(H5File), "DatasetInfo");
            var info = Activator.CreateInstance(infoType, Members, null,
            [
                Get(dataset, "InternalDataspace"), Get(dataset, "InternalDataType"), Get(dataset, "InternalDataLayout"),
                Get(dataset, "InternalFillValue"), Get(dataset, "InternalFilterPipeline", required: false), Get(dataset, "InternalExternalFileList", required: false),
            ], null)!;
            var chunkType = Library.GetType("PureHDF.VOL.Native.H5D_Chunk") ?? throw Missing(typeof(H5File), "H5D_Chunk");
            var create = chunkType.GetMethod("Create", BindingFlags.Public | BindingFlags.Static) ?? throw Missing(chunkType, "Create");
            _reader = create.Invoke(null, [context, null, info, default(H5DatasetAccess), default(H5DatasetCreation)])!;
            (chunkType.GetMethod("Initialize") ?? throw Missing(chunkType, "Initialize")).Invoke(_reader, null);
            _locate = _reader.GetType().GetMethod("GetReadChunkInfo", Members) ?? throw Missing(chunkType, "GetReadChunkInfo");
        }

        /// <summary>Chunk <paramref name="index"/>'s address (from the base address; <see cref="ulong.MaxValue"/> when never written), stored size and filter mask.</summary>
        public (ulong Address, ulong Size, uint FilterMask) Locate(ulong index)
        {
            object info;
            lock (_lock)
            {
                try
                {
                    info = _locate.Invoke(_reader, [index])!;
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    throw e.InnerException;
                }
            }

            return ((ulong)Get(info, "Address")!, (ulong)Get(info, "Size")!, (uint)Get(info, "FilterMask")!);
        }

        public void Dispose() => (_reader as IDisposable)?.Dispose();
    }
}
