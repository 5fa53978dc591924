using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Python.Internal;

namespace IOLink.Python;

/// <summary>
/// DLPack for the Python package: image views as capsules for any DLPack consumer (torch, NumPy), and capsules
/// from any producer as views, in both forms: DLPack 1.x (<c>dltensor_versioned</c>, with the read-only flag) for
/// consumers that ask for it, the unversioned <c>dltensor</c> for the others. The capsule protocol is kept: an
/// unconsumed capsule's destructor calls the tensor's deleter; a consumed one is renamed <c>used_dltensor</c>
/// (<c>used_dltensor_versioned</c>) and belongs to the views made from it. Reached through
/// <see cref="PythonEntryPoints.Table"/>; .NET code uses <see cref="DLPackInterop"/>.
/// </summary>
internal static unsafe class PythonDLPack
{
    /// <summary>What <see cref="ImportCapsule"/> returns for a capsule already consumed and for an object that is no DLPack capsule.</summary>
    public const long UsedCapsule = -2, NotACapsule = -3;

    /// <summary><see cref="ImportCapsule"/>'s flag: the producer says its elements are booleans (whatever code its capsule gives them).</summary>
    public const int ProducerBool = 1;

    // Capsule names live as long as the process: a capsule keeps the pointer to its name.
    private static readonly byte* TensorName = Name("dltensor"u8);
    private static readonly byte* UsedTensorName = Name("used_dltensor"u8);
    private static readonly byte* VersionedTensorName = Name("dltensor_versioned"u8);
    private static readonly byte* UsedVersionedTensorName = Name("used_dltensor_versioned"u8);

    private static byte* Name(ReadOnlySpan<byte> text)
    {
        var name = (byte*)NativeMemory.Alloc((nuint)text.Length + 1);
        text.CopyTo(new Span<byte>(name, text.Length));
        name[text.Length] = 0;
        return name;
    }

    /// <summary>
    /// A capsule over the view's memory (a new reference; None on error, the error left for
    /// <see cref="PythonEntryPoints.TakeError"/>: ctypes crashes on a NULL <c>py_object</c> result), axes by rules 6
    /// and 7 or <paramref name="order"/> (rule 8): <c>dltensor_versioned</c> (DLPack 1.0, read-only flag for a
    /// view without WRITE) when <paramref name="versioned"/> is not 0, else <c>dltensor</c>. Called with the GIL held.
    /// </summary>
    [UnmanagedCallersOnly]
    public static nint ExportCapsule(long handle, int orderCount, int* order, int versioned)
    {
        void* tensor = null;
        try
        {
            var view = PythonEntryPoints.Lookup(handle);
            var dims = PythonEntryPoints.Dimensions(orderCount, order);

            // Refused here in Python's words before the core's own checks.
            if (!view.Support(ImageCapability.MEMORY_ACCESS))
            {
                ObjectDisposedException.ThrowIf(view.IsDisposed, view);
                NumpyThrow.NoMemoryAccess("__dlpack__", view.Capabilities, "ImageViewFactory.copy_in_memory");
            }

            nint capsule;
            if (versioned != 0)
            {
                tensor = DLPackInterop.ToDLPackVersioned(view, dims);
                capsule = CPythonApi.NewCapsule(tensor, VersionedTensorName, &DestroyCapsule);
            }
            else
            {
                if (!view.Support(ImageCapability.WRITE))
                {
                    ObjectDisposedException.ThrowIf(view.IsDisposed, view);
                    throw new NotSupportedException(
                        "This view is read-only (no WRITE), and the consumer asked for an unversioned DLPack capsule, which cannot say so: it could write through it (torch before 2.9 does, and crashes on read-only pages). Use a consumer that speaks DLPack 1.x (numpy.from_dlpack in NumPy 2), or make a writable copy with ImageViewFactory.copy_in_memory first.");
                }

                tensor = DLPackInterop.ToDLPack(view, dims);
                capsule = CPythonApi.NewCapsule(tensor, TensorName, &DestroyCapsule);
            }

            if (capsule == 0)
            {
                throw new InvalidOperationException("PyCapsule_New failed.");
            }

            return capsule;
        }
        catch (Exception e)
        {
            if (tensor != null)
            {
                if (versioned != 0)
                {
                    ((DLManagedTensorVersioned*)tensor)->Deleter((DLManagedTensorVersioned*)tensor);
                }
                else
                {
                    ((DLManagedTensor*)tensor)->Deleter((DLManagedTensor*)tensor);
                }
            }

            PythonEntryPoints.SetError(e);
            return CPythonApi.NewNone();
        }
    }

    /// <summary>
    /// A view over a DLPack capsule's tensor, either form (any object may be passed, with the GIL held), by rule 1,
    /// 2 or 3; the capsule is renamed as used once the view owns the tensor. A versioned tensor flagged read-only
    /// gives a view without WRITE; <paramref name="flags"/> <see cref="ProducerBool"/> makes an 8-bit view BINARY.
    /// Returns the view's handle, 0 on error, <see cref="UsedCapsule"/> for a consumed capsule and
    /// <see cref="NotACapsule"/> for anything else.
    /// </summary>
    [UnmanagedCallersOnly]
    public static long ImportCapsule(nint capsule, int interpretation, int axisCount, int* axes, int flags)
    {
        try
        {
            var versioned = CPythonApi.IsCapsule(capsule, VersionedTensorName);
            if (!versioned && !CPythonApi.IsCapsule(capsule, TensorName))
            {
                return CPythonApi.IsCapsule(capsule, UsedTensorName) || CPythonApi.IsCapsule(capsule, UsedVersionedTensorName)
                    ? UsedCapsule : NotACapsule;
            }

            var names = PythonEntryPoints.Dimensions(axisCount, axes);
            var spec = names is not null ? AxisSpec.Named(names) : interpretation >= 0 ? AxisSpec.Of((ImageTypeId)interpretation) : AxisSpec.Unknown;
            if (names is not null)
            {
                _ = ImageType.FromDimensions(names);
            }

            var producerBool = (flags & ProducerBool) != 0;
            var view = versioned
                ? DLPackInterop.FromDLPack((DLManagedTensorVersioned*)CPythonApi.CapsulePointer(capsule, VersionedTensorName), spec, producerBool)
                : DLPackInterop.FromDLPack((DLManagedTensor*)CPythonApi.CapsulePointer(capsule, TensorName), spec, producerBool);

            // The view owns the tensor now: its capsule must not delete it too.
            if (!CPythonApi.RenameCapsule(capsule, versioned ? UsedVersionedTensorName : UsedTensorName))
            {
                view.Dispose();
                throw new InvalidOperationException("PyCapsule_SetName failed.");
            }

            return PythonEntryPoints.AddHandle(view);
        }
        catch (Exception e)
        {
            PythonEntryPoints.SetError(e);
            return 0;
        }
    }

    /// <summary>The destructor of every capsule made here: a capsule nobody consumed deletes its tensor.</summary>
    [UnmanagedCallersOnly]
    private static void DestroyCapsule(nint capsule)
    {
        try
        {
            if (CPythonApi.IsCapsule(capsule, TensorName))
            {
                var tensor = (DLManagedTensor*)CPythonApi.CapsulePointer(capsule, TensorName);
                if (tensor != null && tensor->Deleter != null)
                {
                    tensor->Deleter(tensor);
                }
            }
            else if (CPythonApi.IsCapsule(capsule, VersionedTensorName))
            {
                var tensor = (DLManagedTensorVersioned*)CPythonApi.CapsulePointer(capsule, VersionedTensorName);
                if (tensor != null && tensor->Deleter != null)
                {
                    tensor->Deleter(tensor);
                }
            }
        }
        catch (Exception)
        {
            // A destructor cannot report; a consumed capsule (used_...) owns nothing.
        }
    }
}
