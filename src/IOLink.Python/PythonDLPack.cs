using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Python.Internal;

namespace IOLink.Python;

/// <summary>
/// DLPack for the Python package: image views as <c>dltensor</c> capsules for any DLPack consumer (torch, NumPy),
/// and capsules from any producer as views. The capsule protocol is kept: an unconsumed capsule's destructor calls
/// the tensor's deleter; a consumed one is renamed <c>used_dltensor</c> and belongs to the views made from it.
/// Reached through <see cref="PythonEntryPoints.Table"/>; .NET code uses <see cref="DLPackInterop"/>.
/// </summary>
internal static unsafe class PythonDLPack
{
    /// <summary>What <see cref="ImportCapsule"/> returns for a capsule already consumed, for an object that is no 'dltensor' capsule, and for a DLPack 1.x 'dltensor_versioned' capsule.</summary>
    public const long UsedCapsule = -2, NotACapsule = -3, VersionedCapsule = -4;

    // Capsule names live as long as the process: a capsule keeps the pointer to its name.
    private static readonly byte* TensorName = Name("dltensor"u8);
    private static readonly byte* UsedTensorName = Name("used_dltensor"u8);
    private static readonly byte* VersionedTensorName = Name("dltensor_versioned"u8);

    private static byte* Name(ReadOnlySpan<byte> text)
    {
        var name = (byte*)NativeMemory.Alloc((nuint)text.Length + 1);
        text.CopyTo(new Span<byte>(name, text.Length));
        name[text.Length] = 0;
        return name;
    }

    /// <summary>
    /// A <c>dltensor</c> capsule over the view's memory (a new reference; None on error, the error left for
    /// <see cref="PythonEntryPoints.TakeError"/>: ctypes crashes on a NULL <c>py_object</c> result), axes by rules 6
    /// and 7 or <paramref name="order"/> (rule 8). Called with the GIL held.
    /// </summary>
    [UnmanagedCallersOnly]
    public static nint ExportCapsule(long handle, int orderCount, int* order)
    {
        DLManagedTensor* tensor = null;
        try
        {
            var view = PythonEntryPoints.Lookup(handle);
            var dims = PythonEntryPoints.Dimensions(orderCount, order);

            // Refused here in Python's words before the core's own checks: no memory, or a flip no consumer takes.
            if (!view.Support(ImageCapability.MEMORY_ACCESS))
            {
                ObjectDisposedException.ThrowIf(view.IsDisposed, view);
                NumpyThrow.NoMemoryAccess("__dlpack__", view.Capabilities, "ImageViewFactory.copy_in_memory");
            }

            if (ArrayAxes.Export(view, dims, parameterName: "order").ByteStrides.IndexOfAnyInRange(long.MinValue, -1) >= 0)
            {
                throw new ArgumentException(
                    "The view has a negative stride (a flipped dimension), which DLPack consumers such as torch 1.13 cannot take (it aborts the process). Make a copy with ImageViewFactory.copy_in_memory first.",
                    nameof(handle));
            }

            tensor = DLPackInterop.ToDLPack(view, dims);
            var capsule = CPythonApi.NewCapsule(tensor, TensorName, &DestroyCapsule);
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
                tensor->Deleter(tensor);
            }

            PythonEntryPoints.SetError(e);
            return CPythonApi.NewNone();
        }
    }

    /// <summary>
    /// A view over a <c>dltensor</c> capsule's tensor (any object may be passed, with the GIL held) by rule 1, 2 or
    /// 3; the capsule is renamed <c>used_dltensor</c> once the view owns the tensor. Returns the view's handle, 0 on
    /// error, <see cref="UsedCapsule"/> for a consumed capsule and <see cref="NotACapsule"/> for anything else.
    /// </summary>
    [UnmanagedCallersOnly]
    public static long ImportCapsule(nint capsule, int interpretation, int axisCount, int* axes)
    {
        try
        {
            if (!CPythonApi.IsCapsule(capsule, TensorName))
            {
                return CPythonApi.IsCapsule(capsule, UsedTensorName) ? UsedCapsule
                    : CPythonApi.IsCapsule(capsule, VersionedTensorName) ? VersionedCapsule
                    : NotACapsule;
            }

            var tensor = (DLManagedTensor*)CPythonApi.CapsulePointer(capsule, TensorName);
            var view = PythonEntryPoints.Dimensions(axisCount, axes) is { } names ? DLPackInterop.OrderFromDLPack(tensor, names)
                : interpretation >= 0 ? DLPackInterop.FromDLPack(tensor, (ImageTypeId)interpretation)
                : DLPackInterop.FromDLPack(tensor);

            // The view owns the tensor now: its capsule must not delete it too.
            if (!CPythonApi.RenameCapsule(capsule, UsedTensorName))
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
        }
        catch (Exception)
        {
            // A destructor cannot report; a consumed capsule (used_dltensor) owns nothing.
        }
    }
}
