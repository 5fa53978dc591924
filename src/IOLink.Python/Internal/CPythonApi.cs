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

    /// <summary>Takes the GIL on any thread (nested takes are counted); pair with <see cref="ReleaseGil"/>.</summary>
    public static int EnsureGil() => GilEnsureFunction();

    /// <summary>Gives back what <see cref="EnsureGil"/> took.</summary>
    public static void ReleaseGil(int state) => GilReleaseFunction(state);

    /// <summary>Whether this thread holds the GIL (any thread may ask).</summary>
    public static bool HoldsGil() => GilCheckFunction() != 0;

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
