namespace IOLink.Python.Internal;

/// <summary>
/// The image views the Python package holds by number rather than through a pythonnet wrapper, so that its fast
/// calls (ctypes into <see cref="PythonEntryPoints"/>) can name them. A handle is a slot index and a generation:
/// a stale or repeated one (a view disposed from two threads at once, say) finds nothing instead of another view.
/// </summary>
internal static class HandleTable
{
    private static readonly Lock Gate = new();
    private static object?[] _items = new object?[64];
    private static uint[] _generations = new uint[64];
    private static int[] _free = new int[64];
    private static int _freeCount;
    private static int _used;
    private static int _live;

    /// <summary>How many handles are held: what leak tests count.</summary>
    public static int LiveCount => Volatile.Read(ref _live);

    public static long Add(object item)
    {
        lock (Gate)
        {
            int index;
            if (_freeCount > 0)
            {
                index = _free[--_freeCount];
            }
            else
            {
                if (_used == _items.Length)
                {
                    Array.Resize(ref _items, _used * 2);
                    Array.Resize(ref _generations, _used * 2);
                    Array.Resize(ref _free, _used * 2);
                }

                index = _used++;
            }

            _items[index] = item;
            var generation = ++_generations[index];
            if (generation == 0)
            {
                generation = _generations[index] = 1;
            }

            _live++;
            return ((long)generation << 32) | (uint)index;
        }
    }

    /// <summary>The item of a live handle, or null.</summary>
    public static object? Get(long handle)
    {
        var index = (int)(uint)handle;
        var generation = (uint)(handle >> 32);
        lock (Gate)
        {
            return index < _used && _generations[index] == generation ? _items[index] : null;
        }
    }

    /// <summary>Removes a live handle and returns its item; null when the handle is stale (already removed).</summary>
    public static object? Remove(long handle)
    {
        var index = (int)(uint)handle;
        var generation = (uint)(handle >> 32);
        lock (Gate)
        {
            if (index >= _used || _generations[index] != generation || _items[index] is not { } item)
            {
                return null;
            }

            _items[index] = null;
            _generations[index]++;
            _free[_freeCount++] = index;
            _live--;
            return item;
        }
    }
}
