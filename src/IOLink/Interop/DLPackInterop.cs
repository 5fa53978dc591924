using System.Runtime.InteropServices;

namespace IOLink.Interop;

/// <summary>
/// Image views to and from DLPack tensors (<see cref="DLManagedTensor"/>), the exchange format of PyTorch, NumPy,
/// JAX, CuPy and TensorFlow, with no copy and the axes of the NumPy rules: an export's axes follow rules 6 to 8
/// (<see cref="ArrayAxes.Export(ImageView, ImageDimension[], bool?, string)"/>), an import's rules 1 to 4
/// (<see cref="ArrayAxes.Import(ReadOnlySpan{long}, ReadOnlySpan{long}, DataType, string)"/> and its overloads).
/// </summary>
/// <remarks>
/// Both forms of DLPack are spoken: the unversioned <see cref="DLManagedTensor"/> (which cannot say read-only, so
/// a view without WRITE is not exported in it) and DLPack 1.x's <see cref="DLManagedTensorVersioned"/> (read-only
/// flag set for such views, and honoured on import: the view lacks WRITE). Exports are made for the consumers of
/// today: any offset is folded into <c>data</c> (<c>byte_offset</c> is 0, which torch 1.13 ignores), strides are
/// always given, and a view with a negative stride is refused (torch 1.13 aborts the process on one) with the
/// explicit copy to make instead. Ownership follows DLPack: the consumer of an
/// exported tensor calls its deleter once; an imported tensor belongs to the views made from it, and its deleter
/// runs once, when the last of them is disposed (from whatever thread disposes it).
/// </remarks>
public static unsafe class DLPackInterop
{
    private const string CopyName = "ImageViewFactory.CopyInMemory";

    private static int _liveExports;

    /// <summary>How many exported tensors have not been deleted yet (for leak checks).</summary>
    public static int LiveExportCount => Volatile.Read(ref _liveExports);

    /// <summary>
    /// A DLPack tensor over the view's memory, axes in NumPy order (rules 6 and 7) or in <paramref name="order"/>
    /// (rule 8), vector components as a last axis. It holds the memory until its deleter is called.
    /// </summary>
    /// <param name="view">A view with MEMORY_ACCESS and WRITE (an unversioned DLPack tensor cannot say it is read-only, and consumers write through it), no negative stride and strides of whole items.</param>
    /// <param name="order">The view's dimensions (CHANNEL for vector components) in the order the tensor's axes should have; null or empty for rules 6 and 7.</param>
    /// <returns>A tensor owned by the caller, who hands it to a consumer or calls its deleter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The order does not fit the view, or the view has a negative stride or a stride that is not a whole number of items.</exception>
    /// <exception cref="NotSupportedException">The view lacks MEMORY_ACCESS or WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static DLManagedTensor* ToDLPack(ImageView view, params ImageDimension[]? order)
    {
        var tensor = (DLManagedTensor*)Export(view, order, sizeof(DLManagedTensor), versioned: false, out var context);
        tensor->ManagerContext = context;
        tensor->Deleter = &DeleteExport;
        return tensor;
    }

    /// <summary>
    /// A DLPack 1.x tensor over the view's memory (<c>DLManagedTensorVersioned</c>, version 1.0), axes as in
    /// <see cref="ToDLPack(ImageView, ImageDimension[])"/>; a view without WRITE is exported with the read-only flag.
    /// </summary>
    /// <param name="view">A view with MEMORY_ACCESS, no negative stride and strides of whole items.</param>
    /// <param name="order">See <see cref="ToDLPack(ImageView, ImageDimension[])"/>.</param>
    /// <returns>A tensor owned by the caller, who hands it to a consumer or calls its deleter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The order does not fit the view, or the view has a negative stride or a stride that is not a whole number of items.</exception>
    /// <exception cref="NotSupportedException">The view lacks MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static DLManagedTensorVersioned* ToDLPackVersioned(ImageView view, params ImageDimension[]? order)
    {
        var tensor = (DLManagedTensorVersioned*)Export(view, order, sizeof(DLManagedTensorVersioned), versioned: true, out var context);
        tensor->Version = new DLPackVersion { Major = 1, Minor = 0 };
        tensor->ManagerContext = context;
        tensor->Deleter = &DeleteVersionedExport;
        return tensor;
    }

    /// <summary>
    /// The common part of both exports: a block of <paramref name="headerBytes"/> (the managed struct, whose
    /// <c>DLTensor</c> is written here) followed by the shape and strides, and the context that holds the view.
    /// </summary>
    private static byte* Export(ImageView view, ImageDimension[]? order, int headerBytes, bool versioned, out void* context)
    {
        ArgumentNullException.ThrowIfNull(view);
        order = order is { Length: > 0 } ? (ImageDimension[])order.Clone() : null;
        var held = ImageViewFactory.Share(view);
        try
        {
            if (!held.Support(ImageCapability.MEMORY_ACCESS))
            {
                throw new NotSupportedException(
                    $"A DLPack export needs the MEMORY_ACCESS capability, and this view has only {CapabilityText(held.Capabilities)}. Make an in-memory copy with {CopyName} first.");
            }

            var writable = held.Support(ImageCapability.WRITE);
            if (!writable && !versioned)
            {
                // A consumer of the unversioned form (torch) makes a writable tensor of every import: over read-only
                // memory its writes would land in data the view promised not to change, or crash on read-only pages.
                throw new NotSupportedException(
                    $"This view is read-only (it has {CapabilityText(held.Capabilities)}, no WRITE), and an unversioned DLPack tensor cannot say so: its consumer could write through it. Export a DLPack 1.x tensor (ToDLPackVersioned; in Python, a consumer that passes max_version), or make a writable copy with {CopyName} first.");
            }

            var array = ArrayAxes.Export(view, order, parameterName: nameof(order));
            var lengths = array.Lengths;
            var byteStrides = array.ByteStrides;
            var itemBytes = array.ItemType.ByteCount;
            var rank = lengths.Length;
            for (var k = 0; k < rank; k++)
            {
                if (byteStrides[k] < 0)
                {
                    throw new ArgumentException(
                        $"The view has a negative stride (a flipped dimension), which DLPack consumers such as torch cannot take (torch 1.13 aborts the process). Make a copy with {CopyName} first.",
                        nameof(view));
                }

                if (byteStrides[k] % itemBytes != 0)
                {
                    // DLPack strides count items: a stride of 3 bytes over 2-byte items has no such count.
                    throw new ArgumentException(
                        $"Axis {k} of the view steps {byteStrides[k]} bytes, not a whole number of its {itemBytes}-byte items, and DLPack strides count items. Make a copy with {CopyName} first.",
                        nameof(view));
                }
            }

            var dtype = ToDLDataType(array.ItemType);
            var block = (byte*)NativeMemory.AllocZeroed((nuint)(headerBytes + (2 * rank * sizeof(long))));
            var shape = (long*)(block + headerBytes);
            var strides = shape + rank;
            for (var k = 0; k < rank; k++)
            {
                shape[k] = lengths[k];
                strides[k] = byteStrides[k] / itemBytes;
            }

            // The unversioned struct starts with its DLTensor; the versioned one ends with it.
            var tensorPart = versioned ? &((DLManagedTensorVersioned*)block)->DLTensor : &((DLManagedTensor*)block)->DLTensor;
            *tensorPart = new DLTensor
            {
                Data = (void*)held.Buffer,
                Device = new DLDevice { DeviceType = (int)DLDeviceType.CPU, DeviceId = 0 },
                NDim = rank,
                DType = dtype,
                Shape = shape,
                Strides = strides,
                ByteOffset = 0,
            };
            if (versioned && !writable)
            {
                ((DLManagedTensorVersioned*)block)->Flags = (ulong)DLPackFlagBits.ReadOnly;
            }

            context = (void*)GCHandle.ToIntPtr(GCHandle.Alloc(held));
            Interlocked.Increment(ref _liveExports);
            return block;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>A view over a DLPack tensor's memory with its axes as they are and an UNKNOWN interpretation (rule 1).</summary>
    /// <param name="tensor">A CPU tensor of a type IOLink has, one lane; the view owns it from then on (it stays the caller's if this throws).</param>
    /// <returns>A view that calls the tensor's deleter once, when it and every view made from it are disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The device, element type, lanes or layout cannot be viewed.</exception>
    public static ImageView FromDLPack(DLManagedTensor* tensor) => FromDLPack(tensor, AxisSpec.Unknown);

    /// <summary>A view over a DLPack tensor, its axes read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensor*)"/>.</param>
    /// <param name="type">The axes interpretation; UNKNOWN as <see cref="FromDLPack(DLManagedTensor*)"/>.</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensor*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or its axis count does not fit <paramref name="type"/>.</exception>
    public static ImageView FromDLPack(DLManagedTensor* tensor, ImageTypeId type) => FromDLPack(tensor, AxisSpec.Of(type));

    /// <summary>A view over a DLPack tensor, naming what each of its axes is, in the tensor's order (rules 3 and 4).</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensor*)"/>.</param>
    /// <param name="axes">One dimension per tensor axis (or per axis but a last one of vector components).</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensor*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> or <paramref name="axes"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or the names do not fit it.</exception>
    public static ImageView OrderFromDLPack(DLManagedTensor* tensor, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        _ = ImageType.FromDimensions(axes);
        return FromDLPack(tensor, AxisSpec.Named(axes));
    }

    /// <summary>A view over a DLPack tensor, its axes as <paramref name="axes"/> says (rules 1 to 4); bool tensors are BINARY.</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensor*)"/>.</param>
    /// <param name="axes">What is known of the tensor's axes.</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensor*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <param name="itemsAreBool">Whether the producer says the items are bools although its element type is an 8-bit unsigned integer (DLPack before 0.8 had no bool code): the view is BINARY.</param>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or does not fit <paramref name="axes"/>.</exception>
    public static ImageView FromDLPack(DLManagedTensor* tensor, AxisSpec axes, bool itemsAreBool = false) => Import(tensor, axes, nameof(tensor), itemsAreBool);

    /// <summary>The DLPack element type of one tensor item of IOLink type <paramref name="type"/> (a scalar or complex type).</summary>
    /// <exception cref="ArgumentException">The type has several components (export its component type).</exception>
    public static DLDataType ToDLDataType(DataType type)
    {
        if (type.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            return new DLDataType { Code = (byte)DLDataTypeCode.Complex, Bits = (byte)(type.ByteCount * 8), Lanes = 1 };
        }

        if (type.Dimension != 1)
        {
            throw new ArgumentException($"A DLPack element is one scalar; {type} has {type.Dimension} components.", nameof(type));
        }

        var code = type.PrimitiveType switch
        {
            PrimitiveTypeId.UNSIGNED_INTEGER => DLDataTypeCode.UInt,
            PrimitiveTypeId.SIGNED_INTEGER => DLDataTypeCode.Int,
            _ => DLDataTypeCode.Float,
        };
        return new DLDataType { Code = (byte)code, Bits = (byte)type.BitDepth, Lanes = 1 };
    }

    /// <summary>The IOLink data type of a DLPack element type (bool as UINT8, as NumPy's bool is), or null when IOLink has none (bfloat16, opaque handles, odd sizes).</summary>
    public static DataType? FromDLDataType(DLDataType type)
    {
        if (type.Lanes != 1)
        {
            return null;
        }

        var kind = (DLDataTypeCode)type.Code switch
        {
            DLDataTypeCode.UInt => 'u',
            DLDataTypeCode.Int => 'i',
            DLDataTypeCode.Float => 'f',
            DLDataTypeCode.Complex => 'c',
            DLDataTypeCode.Bool => 'b',
            _ => '\0',
        };
        return type.Bits % 8 != 0 || kind == '\0' ? null : NumpyDataTypes.FromKind(kind, type.Bits / 8);
    }

    /// <summary>A view over a DLPack 1.x tensor's memory with its axes as they are (rule 1); without WRITE when the tensor is flagged read-only.</summary>
    /// <param name="tensor">A version 1.x CPU tensor of a type IOLink has, one lane; the view owns it from then on (it stays the caller's if this throws).</param>
    /// <returns>A view that calls the tensor's deleter once, when it and every view made from it are disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The major version is not 1, or the device, element type, lanes or layout cannot be viewed.</exception>
    public static ImageView FromDLPack(DLManagedTensorVersioned* tensor) => FromDLPack(tensor, AxisSpec.Unknown);

    /// <summary>A view over a DLPack 1.x tensor, its axes read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</param>
    /// <param name="type">The axes interpretation; UNKNOWN as <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or its axis count does not fit <paramref name="type"/>.</exception>
    public static ImageView FromDLPack(DLManagedTensorVersioned* tensor, ImageTypeId type) => FromDLPack(tensor, AxisSpec.Of(type));

    /// <summary>A view over a DLPack 1.x tensor, naming what each of its axes is, in the tensor's order (rules 3 and 4).</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</param>
    /// <param name="axes">One dimension per tensor axis (or per axis but a last one of vector components).</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> or <paramref name="axes"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or the names do not fit it.</exception>
    public static ImageView OrderFromDLPack(DLManagedTensorVersioned* tensor, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        _ = ImageType.FromDimensions(axes);
        return FromDLPack(tensor, AxisSpec.Named(axes));
    }

    /// <summary>A view over a DLPack 1.x tensor, its axes as <paramref name="axes"/> says (rules 1 to 4); without WRITE when the tensor is flagged read-only, BINARY for bool tensors.</summary>
    /// <param name="tensor">See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</param>
    /// <param name="axes">What is known of the tensor's axes.</param>
    /// <returns>See <see cref="FromDLPack(DLManagedTensorVersioned*)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <param name="itemsAreBool">See <see cref="FromDLPack(DLManagedTensor*, AxisSpec, bool)"/>.</param>
    /// <exception cref="ArgumentException">The tensor cannot be viewed, or does not fit <paramref name="axes"/>.</exception>
    public static ImageView FromDLPack(DLManagedTensorVersioned* tensor, AxisSpec axes, bool itemsAreBool = false) => Import(tensor, axes, nameof(tensor), itemsAreBool);

    internal static ImageView Import(DLManagedTensor* managed, AxisSpec axes, string paramName, bool itemsAreBool = false)
    {
        if (managed == null)
        {
            throw new ArgumentNullException(paramName);
        }

        return Import(&managed->DLTensor, writable: true, new DLPackTensorOwner(managed), axes, paramName, itemsAreBool);
    }

    internal static ImageView Import(DLManagedTensorVersioned* managed, AxisSpec axes, string paramName, bool itemsAreBool = false)
    {
        if (managed == null)
        {
            throw new ArgumentNullException(paramName);
        }

        // Nothing past the version may be read when the major version is not one this code knows.
        if (managed->Version.Major != 1)
        {
            throw new ArgumentException(
                $"The DLPack tensor is version {managed->Version.Major}.{managed->Version.Minor}, and IOLink reads DLPack 1.x (and the unversioned form). Ask the producer for version 1 (in Python: __dlpack__(max_version=(1, 0))).",
                paramName);
        }

        var readOnly = (managed->Flags & (ulong)DLPackFlagBits.ReadOnly) != 0;
        return Import(&managed->DLTensor, !readOnly, new DLPackVersionedTensorOwner(managed), axes, paramName, itemsAreBool);
    }

    private static ImageView Import(DLTensor* tensor, bool writable, IDisposable owner, AxisSpec axes, string paramName, bool itemsAreBool)
    {
        var layout = ImportLayout(tensor, axes, paramName, itemsAreBool, out var address);
        return ImageViewFactory.FromBuffer(address, layout.ByteExtent, layout, owner, writable);
    }

    /// <summary>The view layout of a DLPack tensor by the NumPy rules, every field checked.</summary>
    private static ViewLayout ImportLayout(DLTensor* tensor, AxisSpec axes, string paramName, bool itemsAreBool, out nint address)
    {
        var device = tensor->Device;
        if (device.DeviceType != (int)DLDeviceType.CPU)
        {
            var name = Enum.IsDefined((DLDeviceType)device.DeviceType) ? ((DLDeviceType)device.DeviceType).ToString() : $"type {device.DeviceType}";
            throw new ArgumentException(
                $"The DLPack tensor is on device {name}:{device.DeviceId}; an image view is CPU memory, so copy the tensor to the CPU first (in PyTorch: tensor.cpu()).", paramName);
        }

        var dtype = tensor->DType;
        if (dtype.Lanes != 1)
        {
            throw new ArgumentException($"The DLPack tensor's elements have {dtype.Lanes} lanes; an image view takes one value per element (lanes = 1).", paramName);
        }

        var scalar = FromDLDataType(dtype) ?? throw new ArgumentException(
            $"The DLPack element type {DescribeDataType(dtype)} has no image view data type. Use bool, an integer of 8 to 64 bits, float16/32/64 or complex64/128 (bfloat16: convert to float32 first, in PyTorch with tensor.float()).",
            paramName);
        var isBool = dtype.Code == (byte)DLDataTypeCode.Bool || (itemsAreBool && dtype.Code == (byte)DLDataTypeCode.UInt && dtype.Bits == 8);
        var rank = tensor->NDim;
        if (rank == 0)
        {
            throw new ArgumentException("The DLPack tensor is 0-d (a scalar); a view needs at least one dimension, so reshape it to one element first.", paramName);
        }

        if (rank < 0 || rank > ImageView.MaxDimensionCount + 1 || tensor->Shape == null)
        {
            throw new ArgumentException($"The DLPack tensor has {rank} dimensions{(tensor->Shape == null ? " and no shape" : string.Empty)}; a view has 1 to {ImageView.MaxDimensionCount}.", paramName);
        }

        Span<long> lengths = stackalloc long[rank];
        Span<long> byteStrides = stackalloc long[rank];
        var itemBytes = scalar.ByteCount;
        var contiguous = (long)itemBytes;
        for (var k = rank - 1; k >= 0; k--)
        {
            lengths[k] = tensor->Shape[k];
            if (lengths[k] <= 0)
            {
                throw new ArgumentException(
                    $"The DLPack tensor of shape ({string.Join(", ", new ReadOnlySpan<long>(tensor->Shape, rank).ToArray())}) has no elements; a view has at least one element along each dimension.", paramName);
            }

            // Element strides to byte strides; a NULL strides array means C order (DLPack before 1.0 allowed it).
            byteStrides[k] = tensor->Strides == null ? contiguous
                : Checked(tensor->Strides[k], itemBytes, $"stride {k} ({tensor->Strides[k]} items of {itemBytes} bytes)", paramName);
            contiguous = Checked(contiguous, lengths[k], $"shape ({string.Join(", ", new ReadOnlySpan<long>(tensor->Shape, rank).ToArray())})", paramName);
        }

        if (tensor->Data == null)
        {
            throw new ArgumentException("The DLPack tensor has no data pointer.", paramName);
        }

        if (tensor->ByteOffset > long.MaxValue || (nuint)tensor->Data > nuint.MaxValue - (nuint)tensor->ByteOffset)
        {
            throw new ArgumentException($"The DLPack tensor's byte_offset {tensor->ByteOffset} points past the end of the address space; the producer's tensor is damaged.", paramName);
        }

        address = (nint)((byte*)tensor->Data + tensor->ByteOffset);
        return axes.Import(lengths, byteStrides, scalar, paramName, isBool);
    }

    /// <summary><paramref name="a"/> times <paramref name="b"/>, or an ArgumentException naming the tensor's field that overflows 64 bits.</summary>
    private static long Checked(long a, long b, string field, string paramName)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"The DLPack tensor's {field} is larger than 64 bits of bytes can describe; the producer's tensor is damaged.", paramName, ex);
        }
    }

    private static string DescribeDataType(DLDataType type)
    {
        var code = Enum.IsDefined((DLDataTypeCode)type.Code) ? ((DLDataTypeCode)type.Code).ToString().ToLowerInvariant() : $"code {type.Code}";
        return type.Lanes == 1 ? $"{code}{type.Bits}" : $"{code}{type.Bits}x{type.Lanes}";
    }

    private static string CapabilityText(ImageCapability has) =>
        has == ImageCapability.NONE ? "NONE" : has.ToString().Replace(",", " |", StringComparison.Ordinal);

    /// <summary>The deleter of every exported tensor: releases the view's memory and the tensor's own block, once.</summary>
    [UnmanagedCallersOnly]
    private static void DeleteExport(DLManagedTensor* tensor)
    {
        if (tensor != null)
        {
            Release(tensor->ManagerContext, tensor);
        }
    }

    /// <summary>Releases an export: the view its context holds, then the block, once.</summary>
    private static void Release(void* context, void* block)
    {
        try
        {
            var handle = GCHandle.FromIntPtr((nint)context);
            var held = handle.Target as ImageView;
            handle.Free();
            held?.Dispose();
        }
        catch (Exception)
        {
            // A deleter cannot report; the memory is released as far as it can be.
        }
        finally
        {
            NativeMemory.Free(block);
            Interlocked.Decrement(ref _liveExports);
        }
    }

    /// <summary>The deleter of every exported DLPack 1.x tensor.</summary>
    [UnmanagedCallersOnly]
    private static void DeleteVersionedExport(DLManagedTensorVersioned* tensor)
    {
        if (tensor != null)
        {
            Release(tensor->ManagerContext, tensor);
        }
    }

    /// <summary>Owns an imported DLPack 1.x tensor for the views over it: its deleter runs once, with the last view.</summary>
    private sealed class DLPackVersionedTensorOwner(DLManagedTensorVersioned* tensor) : IDisposable
    {
        private nint _tensor = (nint)tensor;

        public void Dispose()
        {
            var t = (DLManagedTensorVersioned*)Interlocked.Exchange(ref _tensor, 0);
            if (t != null && t->Deleter != null)
            {
                t->Deleter(t);
            }
        }
    }

    /// <summary>Owns an imported tensor for the views over it: its deleter runs once, with the last view.</summary>
    private sealed class DLPackTensorOwner(DLManagedTensor* tensor) : IDisposable
    {
        private nint _tensor = (nint)tensor;

        public void Dispose()
        {
            var t = (DLManagedTensor*)Interlocked.Exchange(ref _tensor, 0);
            if (t != null && t->Deleter != null)
            {
                t->Deleter(t);
            }
        }
    }
}
