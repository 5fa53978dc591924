using System.Runtime.InteropServices;
using IOLink.DataAccess;
using IOLink.Files;
using IOLink.Interop;
using IOLink.Internal;
using IOLink.Layout;
using IOLink.Memory;
using IOLink.Views;

namespace IOLink;

/// <summary>
/// NumPy <c>.npy</c> files: read into memory, open memory-mapped (zero-copy, MEMORY_ACCESS) and write. The file's
/// shape is in NumPy order: reading follows the NumPy rules 1 to 4 (plain, with an axes interpretation, or with a
/// list naming each axis), writing follows rules 6 to 8 (NumPy order, vector components last).
/// </summary>
public static unsafe class NpyFile
{
    /// <summary>Chunks small enough to stay in cache and to be reused without fresh page faults on every call.</summary>
    private const long ChunkBytes = 4L << 20;

    /// <summary>Reads the header of a .npy file without reading its data.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is not a .npy file IOLink can read.</exception>
    public static NpyHeader ReadHeader(string path) => NpyHeader.Read(path);

    /// <summary>Reads a .npy file into new memory; the view's dimensions are the array's axes as they are (rule 1), UNKNOWN axes.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    public static ImageView Read(string path) => Read(path, AxisSpec.Unknown);

    /// <summary>Reads a .npy file into new memory, its axes read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array's rank does not fit <paramref name="type"/>.</exception>
    public static ImageView Read(string path, ImageTypeId type) => Read(path, AxisSpec.Of(type));

    /// <summary>Reads a .npy file into new memory with each array axis named, in the array's axis order (rules 3 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The names do not fit the array.</exception>
    public static ImageView Read(string path, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Read(path, AxisSpec.Named(axes));
    }

    /// <summary>Reads a .npy file into new memory, its axes as <paramref name="axes"/> says (rules 1 to 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array does not fit <paramref name="axes"/>.</exception>
    public static ImageView Read(string path, AxisSpec axes) => Load(path, Mode.Read, writable: true, axes);

    /// <summary>
    /// Opens a .npy file memory-mapped: a zero-copy view with MEMORY_ACCESS over the file's data (rule 1). With
    /// <paramref name="writable"/>, writes through the view change the file. The mapping stays open until the view
    /// and every view made from it are disposed.
    /// </summary>
    /// <remarks>
    /// If another process truncates the file while it is mapped, touching a page past the new end is a bus error
    /// (SIGBUS) that ends the process, as with NumPy's memmap; use <see cref="Read(string)"/> for files that may change.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    public static ImageView OpenMapped(string path, bool writable = false) => OpenMapped(path, writable, AxisSpec.Unknown);

    /// <summary>Opens a .npy file memory-mapped, its axes read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array's rank does not fit <paramref name="type"/>.</exception>
    public static ImageView OpenMapped(string path, bool writable, ImageTypeId type) => OpenMapped(path, writable, AxisSpec.Of(type));

    /// <summary>Opens a .npy file memory-mapped with each array axis named, in the array's axis order (rules 3 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The names do not fit the array.</exception>
    public static ImageView OpenMapped(string path, bool writable, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return OpenMapped(path, writable, AxisSpec.Named(axes));
    }

    /// <summary>Opens a .npy file memory-mapped (see <see cref="OpenMapped(string, bool)"/>), its axes as <paramref name="axes"/> says (rules 1 to 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array does not fit <paramref name="axes"/>.</exception>
    public static ImageView OpenMapped(string path, bool writable, AxisSpec axes) => Load(path, Mode.Map, writable, axes);

    /// <summary>
    /// Opens a .npy file for reading on demand: a view with READ (no MEMORY_ACCESS, no copy in memory) whose region
    /// reads are positioned reads of the file (rule 1). Unlike a mapping, a file that another process truncates or
    /// replaces while the view is read gives an <see cref="IOException"/>, never a bus error: the way to read inputs
    /// that may change. The file stays open until the view and every view made from it are disposed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    public static ImageView Open(string path) => Open(path, AxisSpec.Unknown);

    /// <summary>Opens a .npy file for reading on demand (see <see cref="Open(string)"/>), its axes read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array's rank does not fit <paramref name="type"/>.</exception>
    public static ImageView Open(string path, ImageTypeId type) => Open(path, AxisSpec.Of(type));

    /// <summary>Opens a .npy file for reading on demand (see <see cref="Open(string)"/>) with each array axis named, in the array's axis order (rules 3 and 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The names do not fit the array.</exception>
    public static ImageView Open(string path, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Open(path, AxisSpec.Named(axes));
    }

    /// <summary>Opens a .npy file for reading on demand (see <see cref="Open(string)"/>), its axes as <paramref name="axes"/> says (rules 1 to 4).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileFormatException">The file is malformed, truncated, or holds a dtype IOLink cannot read.</exception>
    /// <exception cref="ArgumentException">The array does not fit <paramref name="axes"/>.</exception>
    public static ImageView Open(string path, AxisSpec axes) => Load(path, Mode.Access, writable: false, axes);

    /// <summary>
    /// Writes a view as a .npy file (format 1.0 unless the header needs 2.0), C order, its axes in NumPy order
    /// (rule 6, or rule 7 for UNKNOWN axes; vector components as a last axis). A new or regular file is written under
    /// an unpredictable temporary name beside it, created exclusively, and moved into place only when complete (it
    /// keeps an existing file's permissions); a symbolic link is written through to its target; a device or FIFO is
    /// written in place and never replaced.
    /// </summary>
    /// <param name="view">A readable view.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="order">The view's dimensions in the order the array's axes should have (rule 8), or null.</param>
    /// <param name="progress">Receives the fraction written, from 0 to 1.</param>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ArgumentException">The order does not fit the view.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, or writing failed (for example, no space left).</exception>
    public static void Write(ImageView view, string path, ImageDimension[]? order = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrEmpty(path);
        // The file's length is known before it is written, so its blocks are reserved in one go.
        view.Require(ImageCapability.READ, nameof(Write));
        if (Storage.Locations.IsRemote(path))
        {
            // An S3 object: uploaded in parts as it is written, made only when complete.
            using var upload = Storage.Locations.CreateUpload(path);
            Write(view, upload, order, progress);
            upload.Complete();
            return;
        }

        path = Storage.Locations.LocalPath(path);
        var array = ArrayAxes.Export(view, order);
        var header = NpyHeader.Encode(TypeString(view), array.Lengths);
        OutputFile.Write(path, header.Length + view.ByteCount, stream => Write(view, stream, array, header, progress));
    }

    /// <summary>Writes a view in .npy format to a stream (see <see cref="Write(ImageView, string, ImageDimension[], IProgress{double})"/>).</summary>
    /// <exception cref="NotSupportedException">The view does not have READ, or the stream cannot be written.</exception>
    /// <exception cref="ArgumentException">The order does not fit the view.</exception>
    public static void Write(ImageView view, Stream stream, ImageDimension[]? order = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(stream);
        view.Require(ImageCapability.READ, nameof(Write));
        var array = ArrayAxes.Export(view, order);
        Write(view, stream, array, NpyHeader.Encode(TypeString(view), array.Lengths), progress);
    }

    /// <summary>
    /// Writes a view's elements as <c>numpy.ndarray.tofile</c> writes an array, with no header: the array the view is
    /// (rules 6 to 8, as <see cref="Write(ImageView, Stream, ImageDimension[], IProgress{double})"/> writes it) in C order.
    /// A raw file of a .npy's payload, which its NumPy shape and dtype read back.
    /// </summary>
    /// <returns>The array's shape in NumPy order (a vector's components last).</returns>
    /// <exception cref="NotSupportedException">The view does not have READ, or the stream cannot be written.</exception>
    /// <exception cref="ArgumentException">The order does not fit the view.</exception>
    public static long[] WriteData(ImageView view, Stream stream, ImageDimension[]? order = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(stream);
        view.Require(ImageCapability.READ, nameof(WriteData));
        var array = ArrayAxes.Export(view, order);
        Write(view, stream, array, [], progress);
        return array.Lengths.ToArray();
    }

    /// <summary>Writes the header, then the view's elements in the file's order (the array layout and header made once by the caller).</summary>
    private static void Write(ImageView view, Stream stream, ArrayLayout array, byte[] header, IProgress<double>? progress)
    {
        var type = view.DataType;
        var components = array.HasComponentAxis;
        var itemType = array.ItemType;
        var rank = view.DimensionCount;
        var mapping = array.Dimensions;

        // The file's dense C-order strides, seen per view dimension (components last) for the copy kernel.
        var arrayShape = array.Lengths.ToArray();
        var target = array.ToViewOrder(StridedLayout.DenseStrides(arrayShape, itemType.ByteCount, cOrder: true));

        // Chunks along the array's first axis are contiguous in the file, so the file is written front to back.
        var chunkDim = mapping[0] == ArrayAxes.ComponentAxis ? -1 : mapping[0];
        if (view.Layout is null && chunkDim >= 0 && chunkDim != rank - 1 && view.ByteCount <= StagingLimit())
        {
            // A file-backed view read in chunks along a fast dimension would take one tiny read per run: read it
            // whole in long runs instead, then write from memory.
            using var staged = ImageViewFactory.CopyInMemory(view);
            Write(staged, stream, array, header, progress);   // the same shape, type and axes: the same array and header
            return;
        }

        stream.Write(header);
        // A view whose stored bytes already lie in the file's order writes them straight from where they are (its
        // memory, or its file inside the kernel); each view knows its own storage.
        if (view.TryWriteStored(stream, strides => Lengths.Equal(Expand(strides, components, itemType), target), progress))
        {
            return;
        }

        // Slabs along the array's first axis, whole along the others (one slab when that axis is the components),
        // aligned to the view's storage blocks: the one traversal every streamed read uses.
        var shape = StridedLayout.ToLengths(view.Shape);
        var slabs = chunkDim >= 0 ? RegionSlabs.Along(view, chunkDim, ChunkBytes) : null;
        var bufferBytes = slabs?.MaxByteCount ?? view.ByteCount;
        var identity = IsIdentity(shape, type, components, itemType, target);
        var input = (byte*)NativeMemory.Alloc((nuint)bufferBytes);
        var output = identity ? null : (byte*)NativeMemory.Alloc((nuint)bufferBytes);
        try
        {
            long written = 0;
            foreach (var (origin, size) in slabs?.Regions() ?? [(new long[rank], shape)])
            {
                view.ReadRegionData(origin, size, input);
                var bytes = view.RegionBytes(size);
                var source = Expand(StridedLayout.DenseStrides(size, type.ByteCount), components, itemType);
                var expandedShape = components ? [.. size, type.Dimension] : size;
                var data = input;
                if (!identity)
                {
                    StridedCopy.Copy(input, source, output, target, expandedShape, itemType);
                    data = output;
                }

                for (long done = 0; done < bytes; done += int.MaxValue)
                {
                    stream.Write(new ReadOnlySpan<byte>(data + done, (int)Math.Min(int.MaxValue, bytes - done)));
                }

                written += bytes;
                progress?.Report(Math.Min(1.0, (double)written / view.ByteCount));
            }
        }
        finally
        {
            NativeMemory.Free(input);
            NativeMemory.Free(output);
        }
    }

    /// <summary>How much a write may stage in memory: half of what the process may use.</summary>
    private static long StagingLimit() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>Whether the view's dense canonical order is already the file's C order (no permutation needed).</summary>
    private static bool IsIdentity(long[] shape, DataType type, bool components, DataType itemType, long[] target) =>
        Lengths.Equal(Expand(StridedLayout.DenseStrides(shape, type.ByteCount), components, itemType), target);

    /// <summary>The .npy type string a view is written with: NumPy's bool for a BINARY view of UINT8 (0 and 1), as it was read.</summary>
    private static string TypeString(ImageView view) =>
        view.Properties.ImageInterpretation == ImageInterpretation.BINARY && view.DataType == (DataType)DataTypeId.UINT8 ? "|b1" : NumpyDataTypes.TypeString(view.DataType);

    internal static FileStream OpenRead(string path, bool writable = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileOpener.RequireRegularFile(path, "as a .npy file");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no file '{path}'; check the path.", path);
        }

        return FileOpener.OpenStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, FileOptions.RandomAccess,
            writable ? "for mapping read-write" : "for reading");
    }

    private static long[] Expand(long[] strides, bool components, DataType itemType) =>
        components ? [.. strides, itemType.ByteCount] : strides;

    /// <summary>How a .npy file's data is reached: read into memory, mapped, or read on demand with positioned reads.</summary>
    private enum Mode
    {
        Read,
        Map,
        Access,
    }

    private static ImageView Load(string path, Mode mode, bool writable, AxisSpec axes)
    {
        if (Storage.Locations.IsRemote(path))
        {
            if (mode == Mode.Map)
            {
                throw new NotSupportedException($"'{path}' is on a server and cannot be mapped into memory; open it with NpyFile.Open (read by ranges as regions are read) or NpyFile.Read (read whole into memory).");
            }

            if (mode == Mode.Read)
            {
                // Read whole: the remote view's regions come in concurrent ranged reads, then the view is dropped.
                using var remote = Load(path, Mode.Access, writable: false, axes);
                return ImageViewFactory.CopyInMemory(remote);
            }
        }
        else
        {
            path = Storage.Locations.LocalPath(path);
        }

        if (mode == Mode.Access)
        {
            // The header is read through the same access the view reads the data with: one open, one file.
            var access = Storage.Locations.OpenRead(path);
            try
            {
                using var stream = access.AsStream();
                var (header, layout, properties) = Describe(stream, access.Size, path, axes, swapsOnRead: false);
                return new RandomAccessImageView(access, header.DataOffset, layout.Shape, layout.DataType, layout.Layout, properties, null, ownsProperties: true);
            }
            finally
            {
                access.Dispose();   // the view holds the file open
            }
        }

        // The file is opened once: the header is read from the same handle the data is read or mapped from, so a
        // file replaced in between cannot pair one file's header with another's data.
        var file = OpenRead(path, mode == Mode.Map && writable);
        try
        {
            var (header, layout, properties) = Describe(file, file.Length, path, axes, swapsOnRead: mode == Mode.Read);
            if (mode == Mode.Map)
            {
                return Map(file, path, header, layout, writable, properties);
            }

            using (file)
            {
                return ReadInto(file, path, header, layout, properties);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads and checks the header from <paramref name="file"/>, and gives the view's layout by the axis rules.</summary>
    private static (NpyHeader Header, ViewLayout Layout, ImageProperties Properties) Describe(Stream file, long fileLength, string path, AxisSpec axes, bool swapsOnRead)
    {
        var header = NpyHeader.Read(file, path);

        if (header.Lengths.Length == 0)
        {
            throw new InvalidFileFormatException($"'{path}' holds a 0-d array (a single value); a view needs at least one dimension. Save it as a 1-element array.");
        }

        if (Internal.Lengths.AnyZero(header.Lengths))
        {
            throw new InvalidFileFormatException($"'{path}' holds an empty array of shape {header.ShapeText}; a view needs at least one element.");
        }

        if (fileLength - header.DataOffset < header.DataByteCount)
        {
            throw new InvalidFileFormatException(
                $"'{path}' is truncated: shape {header.ShapeText} of '{header.Descr}' needs {header.DataByteCount} data bytes after the header but the file holds {Math.Max(0, fileLength - header.DataOffset)}.");
        }

        // The axis rules give the view's layout from the file's C or Fortran layout, before any data is read.
        var lengths = header.Lengths;
        var type = header.DataType;
        var strides = StridedLayout.DenseStrides(lengths, type.ByteCount, cOrder: !header.FortranOrder, nameof(path));
        var layout = axes.Import(lengths, strides, type, nameof(path), header.IsBool);
        if (header.ByteOrder != NumpyTypeString.NativeOrder && !swapsOnRead)
        {
            throw new InvalidFileFormatException(
                $"'{path}' stores '{header.Descr}' items, in the other byte order than this machine's, and a view over the file itself cannot swap them. "
                + "Read it with NpyFile.Read (which swaps on the way in), or convert it in NumPy with a.astype(a.dtype.newbyteorder('=')).");
        }

        return (header, layout, layout.NewProperties());
    }

    /// <summary>Reads the data into new memory, left uninitialized since every byte is read over it (or the view is never made).</summary>
    private static MemoryImageView ReadInto(FileStream file, string path, NpyHeader header, ViewLayout layout, ImageProperties properties)
    {
        var block = NativeMemoryBlock.Allocate(header.DataByteCount, zero: false);
        try
        {
            var handle = file.SafeFileHandle;
            {
                for (long done = 0; done < header.DataByteCount;)
                {
                    var n = System.IO.RandomAccess.Read(handle,
                        new Span<byte>((byte*)block.Address + done, (int)Math.Min(1 << 30, header.DataByteCount - done)), header.DataOffset + done);
                    if (n == 0)
                    {
                        throw new InvalidFileFormatException($"'{path}' ended while its data was read; it is truncated.");
                    }

                    done += n;
                }
            }

            if (header.ByteOrder != NumpyTypeString.NativeOrder)
            {
                // Items stored in the other byte order are swapped once, in the new memory: the view is native.
                for (long done = 0; done < header.DataByteCount;)
                {
                    var count = (int)Math.Min(1 << 30, header.DataByteCount - done);
                    Chunked.BytesCodec.Swap(new Span<byte>((byte*)block.Address + done, count), header.DataType.ComponentByteCount);
                    done += count;
                }
            }

            var memory = MemoryLayout.Create(block, block.Address, layout.Layout, nameof(path));
            return new MemoryImageView(memory, layout.Shape, layout.DataType, writable: true, reshapable: false, properties, null, takeReference: false, ownsProperties: true);
        }
        catch
        {
            block.Release();
            throw;
        }
    }

    private static MemoryImageView Map(FileStream file, string path, NpyHeader header, ViewLayout layout, bool writable, ImageProperties properties)
    {
        var block = MappedFileBlock.Map(file, writable);
        try
        {
            var memory = MemoryLayout.Create(block, block.Address + (nint)header.DataOffset, layout.Layout, nameof(path));
            return new MemoryImageView(memory, layout.Shape, layout.DataType, writable, reshapable: false, properties, null, takeReference: false, ownsProperties: true);
        }
        catch
        {
            block.Release();
            throw;
        }
    }
}
