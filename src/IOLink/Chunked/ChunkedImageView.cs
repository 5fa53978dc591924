using IOLink.Interop;

namespace IOLink.Chunked;

/// <summary>
/// A <see cref="ChunkedArray"/> as an image view: READ, and WRITE when asked for and the store is writable; no
/// MEMORY_ACCESS. The array's axes become the view's dimensions by the NumPy rules (an <see cref="AxisSpec"/>), as for
/// a .npy file; a region read or write is one box of the array, moved by the array's copy planner (only the chunks it
/// touches, in parallel, straight into the destination where a chunk lies wholly inside the region in the same
/// layout). Zarr arrays are such views; so is any array a format describes as chunks in a store.
/// </summary>
/// <remarks>The array is closed (its cached chunks dropped, an owned store disposed) once this view and every view made from it are gone.</remarks>
public unsafe class ChunkedImageView : ImageView
{
    private readonly int[] _viewDimension;
    private readonly bool _writable;

    /// <summary>Shows <paramref name="array"/> as a view, its axes by <paramref name="axes"/>.</summary>
    /// <param name="array">The chunked array.</param>
    /// <param name="axes">What is known of the array's axes (nothing: the view keeps the array's order).</param>
    /// <param name="writable">Whether the view gets WRITE (refused for a read-only store).</param>
    /// <param name="properties">The view's properties; its axes interpretation is set from <paramref name="axes"/>.</param>
    /// <param name="isBool">Whether the items are bools (UINT8 items holding 0 or 1): the view is BINARY.</param>
    /// <exception cref="ArgumentException">The array's shape does not fit <paramref name="axes"/>.</exception>
    /// <exception cref="NotSupportedException"><paramref name="writable"/> is true and the store is read-only.</exception>
    public ChunkedImageView(ChunkedArray array, AxisSpec axes = default, bool writable = false, ImageProperties? properties = null, bool isBool = false)
        : this(array, ImportLayout(array, axes, isBool, writable), axes, writable, properties)
    {
    }

    private ChunkedImageView(ChunkedArray array, ViewLayout layout, AxisSpec axes, bool writable, ImageProperties? properties)
        : base(layout.Shape, layout.DataType, WithAxes(properties, layout))
    {
        ChunkedArray = array;
        _writable = writable;
        try
        {
            // Which view dimension each array axis walks: the export rules give it (rule 8 with the axes as imported).
            var export = ArrayAxes.Export(this, axes.ExportOrder(array.Grid.Rank));
            _viewDimension = export.Dimensions.ToArray();
            if (!export.Lengths.SequenceEqual(array.Grid.ArrayShape.ToArray()))
            {
                throw new InvalidOperationException("The axis rules gave a view whose export is not the array; this is a bug in IOLink.");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The chunked array shown.</summary>
    public ChunkedArray ChunkedArray { get; }

    /// <summary>For each array axis, the view dimension it walks (<see cref="ArrayAxes.ComponentAxis"/> for vector components).</summary>
    public IReadOnlyList<int> ViewDimensions => _viewDimension;

    /// <summary>The chunk lengths per view dimension, in the view's order (a regular grid's; the first chunk's otherwise).</summary>
    public VectorXu64 ChunkShape
    {
        get
        {
            var first = ChunkedArray.Grid.ChunkShapeOf(new long[ChunkedArray.Grid.Rank]);
            var result = new ulong[DimensionCount];
            for (var a = 0; a < _viewDimension.Length; a++)
            {
                if (_viewDimension[a] != ArrayAxes.ComponentAxis)
                {
                    result[_viewDimension[a]] = (ulong)Math.Min(first[a], ChunkedArray.Grid.ArrayShape[a]);
                }
            }

            return new VectorXu64(result);
        }
    }

    /// <summary>How many chunks were decoded from the store since the array was described (cache hits and missing chunks are not).</summary>
    public long ChunksDecoded => ChunkedArray.ChunksDecoded;

    /// <inheritdoc/>
    protected override ImageCapability CapabilitiesCore =>
        ImageCapability.READ | (_writable ? ImageCapability.WRITE : ImageCapability.NONE);

    /// <summary>The chunks, per view dimension: streaming reads take whole chunk layers (see <see cref="ImageView.StorageBlockShape"/>).</summary>
    protected override VectorXu64? StorageBlockShapeCore => ChunkShape;

    /// <inheritdoc/>
    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var (low, count, strides) = ArrayBox(origin, size);
        ChunkedArray.Read(low, count, dst, strides);
    }

    /// <inheritdoc/>
    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        var (low, count, strides) = ArrayBox(origin, size);
        ChunkedArray.Write(low, count, src, strides);
    }

    /// <summary>Closes the array once this view and every view made from it are gone.</summary>
    protected override void ReleaseResources() => ChunkedArray.Close();

    /// <summary>
    /// The byte strides, per array axis, of a view region of <paramref name="size"/> read densely in the view's order
    /// (a component axis: one component apart): how a region buffer lies over the array's axes.
    /// </summary>
    public long[] RegionByteStrides(ReadOnlySpan<long> size) => RegionByteStrides(_viewDimension, size, DataType);

    /// <summary>
    /// The byte strides, per array axis, of a region of <paramref name="size"/> of a view of <paramref name="type"/>
    /// read densely in the view's order, for an array whose axis a walks view dimension
    /// <paramref name="viewDimensions"/>[a] (<see cref="ArrayAxes.ComponentAxis"/>: one component apart): what a writer of
    /// any chunked format copies a view's region into its chunks with.
    /// </summary>
    public static long[] RegionByteStrides(IReadOnlyList<int> viewDimensions, ReadOnlySpan<long> size, DataType type)
    {
        ArgumentNullException.ThrowIfNull(viewDimensions);
        var dense = StridedMemory.DenseByteStrides(size, type.ByteCount);
        var strides = new long[viewDimensions.Count];
        for (var a = 0; a < strides.Length; a++)
        {
            strides[a] = viewDimensions[a] == ArrayAxes.ComponentAxis ? type.ComponentByteCount : dense[viewDimensions[a]];
        }

        return strides;
    }

    /// <summary>A view region in array space: where it starts and how long it is along each array axis, and the dense region buffer's strides there.</summary>
    private (long[] Low, long[] Count, long[] Strides) ArrayBox(ReadOnlySpan<long> origin, ReadOnlySpan<long> size)
    {
        var rank = _viewDimension.Length;
        var low = new long[rank];
        var count = new long[rank];
        for (var a = 0; a < rank; a++)
        {
            var d = _viewDimension[a];
            (low[a], count[a]) = d == ArrayAxes.ComponentAxis ? (0, DataType.Dimension) : (origin[d], size[d]);
        }

        return (low, count, RegionByteStrides(size));
    }

    private static ViewLayout ImportLayout(ChunkedArray array, AxisSpec axes, bool isBool, bool writable)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (writable && array.Store.IsReadOnly)
        {
            // Before the view exists: a view that failed to be made never closes the caller's array.
            throw new NotSupportedException($"{array.Name} is in a read-only store; open it without write access.");
        }

        var shape = array.Grid.ArrayShape.ToArray();
        var strides = StridedMemory.DenseByteStrides(shape, array.ItemType.ByteCount, cOrder: true);
        return axes.Import(shape, strides, array.ItemType, nameof(array), isBool);
    }

    private static ImageProperties WithAxes(ImageProperties? properties, ViewLayout layout)
    {
        if (properties is null)
        {
            return layout.NewProperties();
        }

        var result = properties.Clone();
        result.AxesInterpretation = layout.AxesInterpretation;
        if (layout.ImageInterpretation == ImageInterpretation.BINARY)
        {
            result.ImageInterpretation = ImageInterpretation.BINARY;
        }

        return result;
    }
}
