using System.Runtime.CompilerServices;
using IOLink.Internal;
using IOLink.Layout;
using IOLink.Memory;

namespace IOLink;

/// <summary>
/// An N-dimensional array of elements of one <see cref="IOLink.DataType"/>, with capabilities, properties and
/// metadata. Views are made by <see cref="ImageViewFactory"/> and may wrap memory they do not own.
/// </summary>
/// <remarks>
/// Disposing a view releases its hold on the memory or data behind it; that memory is freed when the last view
/// that uses it is disposed (views made from another view hold it too). After <see cref="Dispose()"/>,
/// <see cref="Capabilities"/> is NONE and data members throw <see cref="ObjectDisposedException"/>.
/// </remarks>
public abstract unsafe class ImageView : IDisposable
{
    /// <summary>
    /// The most dimensions a view can have: 32, as in NumPy. Every factory and importer checks it when a view is
    /// made, so that no operation on a view ever needs memory in proportion to a caller-chosen rank.
    /// </summary>
    public const int MaxDimensionCount = 32;

    private MetadataNode? _metadata;
    private ImageProperties _properties;
    private VectorXu64 _shape;
    private DataType _dataType;
    private RefCounted? _source;

    /// <summary>For a view implemented outside IOLink (made by the protected constructor), what each read and write holds: the same lifetime object as <see cref="_source"/>, which this handle's Dispose releases.</summary>
    private readonly RefCounted? _callHold;

    /// <param name="source">The data behind the view, with one reference already taken for this view (which releases it on Dispose).</param>
    /// <param name="shape">The view's shape.</param>
    /// <param name="dataType">The view's data type.</param>
    /// <param name="properties">Properties to copy, or to take as they are when <paramref name="ownsProperties"/>.</param>
    /// <param name="metadata">Metadata to copy.</param>
    /// <param name="ownsProperties">Whether <paramref name="properties"/> is a fresh copy made for this view (no second copy is made).</param>
    private protected ImageView(RefCounted source, VectorXu64 shape, DataType dataType, ImageProperties? properties, MetadataNode? metadata, bool ownsProperties = false)
    {
        _source = source;
        CheckShape(shape, nameof(shape));
        if (!dataType.IsElementType)
        {
            ThrowHelper.InvalidDataType(dataType, nameof(dataType));
        }

        _shape = shape;
        _dataType = dataType;
        _properties = properties is null ? new ImageProperties().BindTo(shape.Size)
            : ownsProperties ? properties.BindTo(shape.Size)
            : properties.CloneFor(shape.Size);
        // Most views never touch their metadata: the (empty) tree is made on first use.
        _metadata = metadata?.Clone();
    }

    /// <summary>
    /// Makes a view implemented outside IOLink: a format, a computed image, a view over another library's data. The
    /// subclass gives its capabilities (<see cref="CapabilitiesCore"/>: READ and WRITE; MEMORY_ACCESS and RESHAPE
    /// belong to IOLink's own views and are ignored), reads regions (<see cref="ReadRegionCore"/>) and, with WRITE,
    /// writes them (<see cref="WriteRegionCore"/>); it may say how its data is stored in blocks
    /// (<see cref="StorageBlockShapeCore"/>) and what to free (<see cref="ReleaseResources"/>).
    /// </summary>
    /// <remarks>
    /// IOLink checks every region before the subclass sees it, and keeps the view's data alive during each call:
    /// <see cref="ReleaseResources"/> runs once, after this view and every view made from it
    /// (<see cref="ImageViewFactory.ExtractRegion(ImageView, RegionXu64)"/>, <see cref="ImageViewFactory.Share"/>, ...) are
    /// disposed and no call is in progress, on the thread that ends the last of them. Calls may come from several
    /// threads at once (parallel copies, views made from this one). A subclass whose constructor fails after this one
    /// returns should call <see cref="Dispose()"/> before it throws.
    /// </remarks>
    /// <param name="shape">The view's shape: 1 to <see cref="MaxDimensionCount"/> dimensions, none of length 0.</param>
    /// <param name="dataType">What one element is.</param>
    /// <param name="properties">Properties to copy (their axes interpretation must fit the rank); null for the defaults.</param>
    /// <param name="metadata">Metadata to copy; null for none.</param>
    /// <exception cref="ArgumentException">The shape or data type is not valid, or the properties do not fit the shape.</exception>
    protected ImageView(VectorXu64 shape, DataType dataType, ImageProperties? properties = null, MetadataNode? metadata = null)
    {
        CheckShape(shape, nameof(shape));
        if (!dataType.IsElementType)
        {
            ThrowHelper.InvalidDataType(dataType, nameof(dataType));
        }

        _shape = shape;
        _dataType = dataType;
        _properties = properties is null ? new ImageProperties().BindTo(shape.Size) : properties.CloneFor(shape.Size);
        _metadata = metadata?.Clone();
        // Last, so that a constructor that throws above leaves nothing to release.
        var hold = new Resources(ReleaseResources);
        _callHold = hold;
        _source = hold;
    }

    /// <summary>The size of each dimension.</summary>
    public VectorXu64 Shape => _shape;

    /// <summary>What one element is.</summary>
    public DataType DataType => _dataType;

    /// <summary>The number of dimensions.</summary>
    public int DimensionCount => _shape.Size;

    /// <summary>What this view can do; NONE once disposed.</summary>
    public ImageCapability Capabilities => IsDisposed ? ImageCapability.NONE : DataCapabilities;

    /// <summary>Whether the view has every capability in <paramref name="capability"/>.</summary>
    public bool Support(ImageCapability capability) => (Capabilities & capability) == capability;

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _source) is null;

    /// <summary>What the dimensions and values mean. Changing the axes interpretation is checked against the rank.</summary>
    public ImageProperties Properties => _properties;

    /// <summary>The metadata tree carried with the view.</summary>
    public MetadataNode Metadata => _metadata ??= new MetadataNode("metadata");

    /// <summary>The last plain export of this view (<see cref="Interop.ArrayAxes.Export(ImageView, ImageDimension[], bool?, string)"/>), reused while its layout and axes are unchanged.</summary>
    internal Interop.ArrayLayout? ExportCache { get; set; }

    /// <summary>The metadata tree if it was ever made, for views made from this one.</summary>
    internal MetadataNode? MetadataIfAny => _metadata;

    /// <summary>Gives a view just made a copy of <paramref name="metadata"/> in place of its own (FromImageView).</summary>
    internal void ReplaceMetadata(MetadataNode metadata) => _metadata = metadata.Clone();

    /// <summary>Which dimensions the view has, in canonical order; shortcut for <c>Properties.AxesInterpretation</c>.</summary>
    public ImageType AxesInterpretation => _properties.AxesInterpretation;

    /// <summary>What the values mean; shortcut for <c>Properties.ImageInterpretation</c>.</summary>
    public ImageInterpretation ImageInterpretation => _properties.ImageInterpretation;

    /// <summary>The number of elements.</summary>
    public long ElementCount => checked((long)_shape.ComputeProduct());

    /// <summary>The number of bytes of a dense copy of the view.</summary>
    public long ByteCount => checked(ElementCount * _dataType.ByteCount);

    /// <summary>The address of element 0 (all indices zero).</summary>
    /// <exception cref="NotSupportedException">The view does not have MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public nint Buffer
    {
        get
        {
            var layout = RequireMemory(nameof(Buffer));
            return layout.Address;
        }
    }

    /// <summary>The byte stride of each dimension, in view order (a copy).</summary>
    /// <exception cref="NotSupportedException">The view does not have MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public long[] Strides => RequireMemory(nameof(Strides)).Strides.ToArray();

    /// <summary>Whether the elements are dense in canonical order (first dimension fastest, no gaps).</summary>
    /// <exception cref="NotSupportedException">The view does not have MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public bool IsContiguous => RequireMemory(nameof(IsContiguous)).IsDenseCanonical;

    /// <summary>Reads the element at <paramref name="index"/> into <paramref name="dst"/>.</summary>
    /// <exception cref="ArgumentException">The index rank is wrong or <paramref name="dst"/> is shorter than one element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void Read(VectorXu64 index, Span<byte> dst)
    {
        Require(ImageCapability.READ, nameof(Read));
        var origin = CheckIndex(index, nameof(index));
        CheckLength(_dataType.ByteCount, dst.Length, "destination", nameof(dst));
        fixed (byte* p = dst)
        {
            ReadRegionData(origin, Ones(origin.Length), p);
        }
    }

    /// <summary>Writes the element at <paramref name="index"/> from <paramref name="src"/>.</summary>
    /// <exception cref="ArgumentException">The index rank is wrong or <paramref name="src"/> is shorter than one element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void Write(VectorXu64 index, ReadOnlySpan<byte> src)
    {
        Require(ImageCapability.WRITE, nameof(Write));
        var origin = CheckIndex(index, nameof(index));
        CheckLength(_dataType.ByteCount, src.Length, "source", nameof(src));
        fixed (byte* p = src)
        {
            WriteRegionData(origin, Ones(origin.Length), p);
        }
    }

    /// <summary>
    /// Reads <paramref name="region"/> into <paramref name="dst"/>, densely in canonical order (first dimension fastest).
    /// </summary>
    /// <exception cref="ArgumentException">The region's rank is wrong or <paramref name="dst"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The region reaches outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void ReadRegion(RegionXu64 region, Span<byte> dst)
    {
        Require(ImageCapability.READ, nameof(ReadRegion));
        var (origin, size) = CheckRegion(region, nameof(region));
        CheckLength(RegionBytes(size), dst.Length, "destination", nameof(dst));
        if (Lengths.AnyZero(size))
        {
            return;
        }

        fixed (byte* p = dst)
        {
            ReadRegionData(origin, size, p);
        }
    }

    /// <summary>Writes <paramref name="region"/> from <paramref name="src"/>, dense in canonical order.</summary>
    /// <exception cref="ArgumentException">The region's rank is wrong or <paramref name="src"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The region reaches outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void WriteRegion(RegionXu64 region, ReadOnlySpan<byte> src)
    {
        Require(ImageCapability.WRITE, nameof(WriteRegion));
        var (origin, size) = CheckRegion(region, nameof(region));
        CheckLength(RegionBytes(size), src.Length, "source", nameof(src));
        if (Lengths.AnyZero(size))
        {
            return;
        }

        fixed (byte* p = src)
        {
            WriteRegionData(origin, size, p);
        }
    }

    /// <summary>Reads one element as a <typeparamref name="T"/> of the element's size.</summary>
    /// <exception cref="ArgumentException">The size of <typeparamref name="T"/> differs from the element size, or the index rank is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public T GetValue<T>(params ulong[] index)
        where T : unmanaged
    {
        CheckElementType<T>();
        T value = default;
        Read(new VectorXu64(index), new Span<byte>(&value, sizeof(T)));
        return value;
    }

    /// <summary>Writes one element from a <typeparamref name="T"/> of the element's size.</summary>
    /// <exception cref="ArgumentException">The size of <typeparamref name="T"/> differs from the element size, or the index rank is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the shape.</exception>
    /// <exception cref="NotSupportedException">The view does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void SetValue<T>(T value, params ulong[] index)
        where T : unmanaged
    {
        CheckElementType<T>();
        Write(new VectorXu64(index), new ReadOnlySpan<byte>(&value, sizeof(T)));
    }

    /// <summary>
    /// Changes shape and data type in place. When the byte size is unchanged the data is kept (reinterpreted);
    /// otherwise new zeroed memory replaces it. Views made earlier from this one keep the old memory.
    /// </summary>
    /// <exception cref="ArgumentException">The shape or data type is not valid.</exception>
    /// <exception cref="NotSupportedException">The view does not have RESHAPE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public void Reshape(VectorXu64 shape, DataType type)
    {
        Require(ImageCapability.RESHAPE, nameof(Reshape));
        CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        var bytes = CheckedByteCount(shape, type);
        ReshapeCore(shape, type, bytes);
        _shape = shape;
        _dataType = type;
        var properties = _properties.Clone();
        if (properties.AxesInterpretation.IsKnown && properties.AxesInterpretation.DimensionCount != shape.Size)
        {
            properties.AxesInterpretation = ImageType.Unknown;
        }

        _properties = properties.CloneFor(shape.Size);
    }

    /// <summary>Releases this view's hold on its memory or data.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _source, null)?.Release();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ImageView(shape: {_shape}, type: {_dataType}, axes: {AxesInterpretation}, capabilities: {ThrowHelper.Describe(Capabilities)})";

    // ---- what each kind of view provides ----

    /// <summary>What the view can do while it is not disposed. Views made outside IOLink have READ and WRITE at most.</summary>
    protected abstract ImageCapability CapabilitiesCore { get; }

    /// <summary>The capabilities of the data behind the view, whether or not the user disposed this handle.</summary>
    internal ImageCapability DataCapabilities =>
        _callHold is null ? CapabilitiesCore : CapabilitiesCore & (ImageCapability.READ | ImageCapability.WRITE);

    /// <summary>
    /// Reads a region into dense memory at <paramref name="dst"/>, in canonical order (first dimension fastest).
    /// </summary>
    /// <remarks>
    /// The region is checked: <paramref name="origin"/> and <paramref name="size"/> have one entry per dimension,
    /// every size is at least 1 and origin + size stays inside the shape. <paramref name="dst"/> holds the product of
    /// the sizes times <see cref="IOLink.DataType.ByteCount"/> bytes, which may be more than 2 GiB. The data is
    /// kept alive for the length of the call; calls may run on several threads at once.
    /// </remarks>
    /// <param name="origin">The region's first element, per dimension.</param>
    /// <param name="size">The region's length, per dimension.</param>
    /// <param name="dst">Where the region's elements go.</param>
    protected abstract void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst);

    /// <summary>Writes a region from dense memory at <paramref name="src"/>, in canonical order; called only when the view has WRITE, as <see cref="ReadRegionCore"/> is.</summary>
    /// <param name="origin">The region's first element, per dimension.</param>
    /// <param name="size">The region's length, per dimension.</param>
    /// <param name="src">The region's elements.</param>
    /// <exception cref="NotSupportedException">The view cannot be written (what this base implementation throws).</exception>
    protected virtual void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src) =>
        ThrowHelper.MissingCapability(ImageCapability.WRITE, nameof(WriteRegion), Capabilities);

    /// <summary>
    /// The shape of the blocks the view's data is stored and decoded in (chunks, tiles, strips), one length per
    /// dimension, or null when any region reads as cheaply as any other. Streaming reads (file writes, statistics,
    /// copies in slabs) then take whole block layers, so that each block is decoded once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The subclass gave a block shape of another rank or with a length of 0.</exception>
    public VectorXu64? StorageBlockShape
    {
        get
        {
            if (StorageBlockShapeCore is not { } block)
            {
                return null;
            }

            var fits = block.Size == _shape.Size;
            for (var d = 0; fits && d < block.Size; d++)
            {
                fits = block[d] != 0;
            }

            return fits ? block : throw new InvalidOperationException(
                $"{GetType().Name} gives the storage block shape {block} for a view of shape {_shape}; a storage block has one length of at least 1 per dimension.");
        }
    }

    /// <summary>The shape of the blocks the data is stored in, or null (see <see cref="StorageBlockShape"/>); checked by it.</summary>
    protected virtual VectorXu64? StorageBlockShapeCore => null;

    /// <summary>
    /// Frees what a view made outside IOLink holds (files, handles, native memory), once, when this view and every
    /// view made from it are disposed and no read or write is in progress. The base implementation does nothing.
    /// </summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>Reads a checked, non-empty region; a view made outside IOLink is held for the call (core views hold their own data).</summary>
    internal void ReadRegionData(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        using var call = HoldForCall();
        ReadRegionCore(origin, size, dst);
    }

    /// <summary>Writes a checked, non-empty region, holding a view made outside IOLink as <see cref="ReadRegionData"/> does.</summary>
    internal void WriteRegionData(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        using var call = HoldForCall();
        WriteRegionCore(origin, size, src);
    }

    /// <summary>One more reference on a view made outside IOLink for the length of a call (nothing for a core view).</summary>
    /// <exception cref="ObjectDisposedException">The view and every view made from it are gone.</exception>
    private CallHold HoldForCall()
    {
        var hold = _callHold;
        if (hold is not null && !hold.TryAddReference())
        {
            ThrowHelper.Disposed(this);
        }

        return new CallHold(hold);
    }

    private readonly ref struct CallHold(RefCounted? hold)
    {
        public void Dispose() => hold?.Release();
    }

    /// <summary>The memory layout, for views with MEMORY_ACCESS; null otherwise. Take a reference on its block before touching the memory.</summary>
    internal virtual MemoryLayout? Layout => null;

    /// <summary>
    /// Writes the view's elements to <paramref name="stream"/> straight from where they are stored (memory, a file),
    /// front to back, when they lie there as the output wants: <paramref name="liesAsOutput"/> is given their byte
    /// strides per view dimension. False, nothing written, for a view that cannot or whose layout is another: the
    /// writer then reads regions. A view's own storage is its business: writers never test for concrete view types.
    /// </summary>
    internal virtual bool TryWriteStored(Stream stream, Func<long[], bool> liesAsOutput, IProgress<double>? progress) => false;

    /// <summary>The most one streaming read takes to stay aligned to <see cref="StorageBlockShape"/> layers.</summary>
    private const long AlignedReadBytes = 256L << 20;

    /// <summary>
    /// How many planes along <paramref name="dimension"/> a streaming read (a file write, a slab copy) should take
    /// when <paramref name="planes"/> of <paramref name="planeBytes"/> each fit its buffer: for a view stored in
    /// blocks, whole block layers (up to 256 MiB per read), so that each block is decoded once rather than once per
    /// read that cuts it.
    /// </summary>
    internal long PlanesPerRead(int dimension, long planes, long planeBytes)
    {
        if (StorageBlockShape is not { } block)
        {
            return planes;
        }

        var layer = (long)Math.Min(block[dimension], _shape[dimension]);
        if (planes >= layer)
        {
            return planes / layer * layer;
        }

        return (decimal)layer * planeBytes <= AlignedReadBytes ? layer : planes;
    }

    private protected virtual void ReshapeCore(VectorXu64 shape, DataType type, long byteCount) =>
        ThrowHelper.MissingCapability(ImageCapability.RESHAPE, nameof(Reshape), Capabilities);

    /// <summary>Takes one more reference on the data behind the view, for a view made from it.</summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed, or its data is gone.</exception>
    internal RefCounted ShareSource()
    {
        var source = Volatile.Read(ref _source);
        if (source is null)
        {
            ThrowHelper.Disposed(this);
        }

        source.AddReference(nameof(ImageView));
        return source;
    }

    /// <summary>Replaces the data behind the view (Reshape): the view's reference moves to <paramref name="source"/>, which must carry one for it.</summary>
    /// <exception cref="ObjectDisposedException">The view was disposed meanwhile; <paramref name="source"/> is released.</exception>
    private protected void ReplaceSource(RefCounted source)
    {
        var old = Volatile.Read(ref _source);
        if (old is null || !ReferenceEquals(Interlocked.CompareExchange(ref _source, source, old), old))
        {
            source.Release();
            ThrowHelper.Disposed(this);
        }

        old.Release();
    }

    // ---- checks shared by every view ----

    internal void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            ThrowHelper.Disposed(this);
        }
    }

    internal void Require(ImageCapability capability, string operation)
    {
        ThrowIfDisposed();
        var has = DataCapabilities;
        if ((has & capability) != capability)
        {
            ThrowHelper.MissingCapability(capability, operation, has);
        }
    }

    internal MemoryLayout RequireMemory(string operation)
    {
        Require(ImageCapability.MEMORY_ACCESS, operation);
        return Layout!;
    }

    internal long[] CheckIndex(VectorXu64 index, string paramName)
    {
        if (index.Size != DimensionCount)
        {
            ThrowHelper.RankMismatch("index", index.Size, DimensionCount, paramName);
        }

        var result = new long[index.Size];
        for (var i = 0; i < result.Length; i++)
        {
            if (index[i] >= _shape[i])
            {
                ThrowHelper.IndexOutOfShape(index, _shape, paramName);
            }

            result[i] = (long)index[i];
        }

        return result;
    }

    internal (long[] Origin, long[] Size) CheckRegion(RegionXu64 region, string paramName)
    {
        if (region.DimensionCount != DimensionCount)
        {
            ThrowHelper.RankMismatch("region", region.DimensionCount, DimensionCount, paramName);
        }

        var origin = new long[DimensionCount];
        var size = new long[DimensionCount];
        for (var i = 0; i < origin.Length; i++)
        {
            var o = region.Origin[i];
            var s = region.Size[i];
            if (o > _shape[i] || s > _shape[i] - o)
            {
                ThrowHelper.RegionOutOfShape(region, _shape, paramName);
            }

            origin[i] = (long)o;
            size[i] = (long)s;
        }

        return (origin, size);
    }

    internal long RegionBytes(long[] size)
    {
        long n = _dataType.ByteCount;
        foreach (var s in size)
        {
            n = checked(n * s);
        }

        return n;
    }

    private static long[] Ones(int n)
    {
        var a = new long[n];
        Array.Fill(a, 1L);
        return a;
    }

    private static void CheckLength(long needed, int got, string what, string paramName)
    {
        if (got < needed)
        {
            ThrowHelper.BufferTooSmall(what, needed, got, paramName);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CheckElementType<T>()
        where T : unmanaged
    {
        if (sizeof(T) != _dataType.ByteCount)
        {
            ThrowHelper.ElementSizeMismatch(typeof(T), sizeof(T), _dataType, "T");
        }
    }

    internal static void CheckShape(VectorXu64 shape, string paramName)
    {
        if (shape.Size == 0)
        {
            ThrowHelper.InvalidShape(shape, paramName);
        }

        if (shape.Size > MaxDimensionCount)
        {
            ThrowHelper.TooManyDimensions(shape.Size, paramName);
        }

        foreach (var s in shape.AsSpan())
        {
            if (s == 0 || s > long.MaxValue)
            {
                ThrowHelper.InvalidShape(shape, paramName);
            }
        }
    }

    internal static long CheckedByteCount(VectorXu64 shape, DataType type)
    {
        try
        {
            long n = type.ByteCount;
            foreach (var s in shape.AsSpan())
            {
                n = checked(n * (long)s);
            }

            return n;
        }
        catch (OverflowException)
        {
            ThrowHelper.TooLarge(shape, type);
            return 0;
        }
    }
}
