using Python.Runtime;

namespace IOLink.Python.Internal;

/// <summary>
/// <c>using (new GilReleased()) { ... }</c>: lets other Python threads run while this one does .NET work that
/// touches no Python object (a region copy, a read from a .NET stream). Nothing happens on a thread that does not
/// hold the GIL, so .NET callers can use the same methods; code inside that needs Python takes <c>Py.GIL()</c>.
/// </summary>
internal readonly ref struct GilReleased
{
    private readonly nint _state;

    public GilReleased() => _state = PythonEngine.IsInitialized && CPythonApi.HoldsGil() ? PythonEngine.BeginAllowThreads() : 0;

    public void Dispose()
    {
        if (_state != 0)
        {
            PythonEngine.EndAllowThreads(_state);
        }
    }
}
