using System.Runtime.InteropServices;
using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// The few functions of CPython's C API that IOLink calls itself, found in this process: in the interpreter's own
/// symbols (python3 started .NET) or in the libpython that pythonnet loaded (.NET started Python). Called with the GIL held.
/// </summary>
internal static unsafe class CPythonApi
{
    private static readonly delegate* unmanaged<nint, void> IncRefFunction = (delegate* unmanaged<nint, void>)Find("Py_IncRef");
    private static readonly delegate* unmanaged<nint, void> DecRefFunction = (delegate* unmanaged<nint, void>)Find("Py_DecRef");
    private static readonly delegate* unmanaged<int> GilCheckFunction = (delegate* unmanaged<int>)Find("PyGILState_Check");
    private static readonly delegate* unmanaged<int> GilEnsureFunction = (delegate* unmanaged<int>)Find("PyGILState_Ensure");
    private static readonly delegate* unmanaged<int, void> GilReleaseFunction = (delegate* unmanaged<int, void>)Find("PyGILState_Release");

    private static readonly delegate* unmanaged<void*, byte*, delegate* unmanaged<nint, void>, nint> CapsuleNewFunction =
        (delegate* unmanaged<void*, byte*, delegate* unmanaged<nint, void>, nint>)Find("PyCapsule_New");
    private static readonly delegate* unmanaged<nint, byte*, int> CapsuleIsValidFunction = (delegate* unmanaged<nint, byte*, int>)Find("PyCapsule_IsValid");
    private static readonly delegate* unmanaged<nint, byte*, void*> CapsuleGetPointerFunction = (delegate* unmanaged<nint, byte*, void*>)Find("PyCapsule_GetPointer");
    private static readonly delegate* unmanaged<nint, byte*, int> CapsuleSetNameFunction = (delegate* unmanaged<nint, byte*, int>)Find("PyCapsule_SetName");

    /// <summary>A new capsule (a new reference, or 0 with a Python error set); <paramref name="name"/> must outlive it.</summary>
    public static nint NewCapsule(void* pointer, byte* name, delegate* unmanaged<nint, void> destructor) => CapsuleNewFunction(pointer, name, destructor);

    /// <summary>Whether <paramref name="capsule"/> is a capsule named <paramref name="name"/> (never sets an error).</summary>
    public static bool IsCapsule(nint capsule, byte* name) => CapsuleIsValidFunction(capsule, name) != 0;

    /// <summary>The pointer of a capsule known to be named <paramref name="name"/>.</summary>
    public static void* CapsulePointer(nint capsule, byte* name) => CapsuleGetPointerFunction(capsule, name);

    /// <summary>Renames a capsule; <paramref name="name"/> must outlive it.</summary>
    public static bool RenameCapsule(nint capsule, byte* name) => CapsuleSetNameFunction(capsule, name) == 0;

    /// <summary>Takes the GIL on any thread (nested takes are counted); pair with <see cref="ReleaseGil"/>.</summary>
    public static int EnsureGil() => GilEnsureFunction();

    /// <summary>Gives back what <see cref="EnsureGil"/> took.</summary>
    public static void ReleaseGil(int state) => GilReleaseFunction(state);

    /// <summary>Whether this thread holds the GIL (any thread may ask).</summary>
    public static bool HoldsGil() => GilCheckFunction() != 0;

    private static readonly nint NoneObject = Find("_Py_NoneStruct");

    /// <summary>A new reference to None (GIL held): what a ctypes <c>py_object</c> function returns instead of NULL, which ctypes cannot take.</summary>
    public static nint NewNone()
    {
        IncRefFunction(NoneObject);
        return NoneObject;
    }

    /// <summary>Takes a reference to <paramref name="borrowed"/> (GIL held).</summary>
    public static void IncRef(nint borrowed) => IncRefFunction(borrowed);

    /// <summary>Drops a reference (GIL held).</summary>
    public static void DecRef(nint owned) => DecRefFunction(owned);

    private static nint Find(string name)
    {
        if (NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), name, out var address))
        {
            return address;
        }

        var library = Runtime.PythonDLL;
        if (!string.IsNullOrEmpty(library) && NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, name, out address))
        {
            return address;
        }

        throw new PythonUnavailableException($"The CPython function {name} was not found in this process or in '{library}'.");
    }
}
