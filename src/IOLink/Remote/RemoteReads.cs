using IOLink.Storage;

namespace IOLink.Remote;

/// <summary>Many reads of a remote store at once: at most a given number in flight, each value handed on as it arrives.</summary>
internal static class RemoteReads
{
    /// <summary>
    /// Runs <paramref name="fetch"/> for every read, <paramref name="concurrency"/> at a time, and hands each value to
    /// <paramref name="handle"/> outside the gate (the next request starts while this value is used); waits for all,
    /// then throws the first failure. The calling thread waits; the transfers run on the I/O threads.
    /// </summary>
    public static void GetMany(int concurrency, IReadOnlyList<StoreRead> reads, Action<int, StoreValue?> handle, Func<StoreRead, Task<StoreValue?>> fetch) =>
        GetManyAsync(concurrency, reads, handle, fetch).GetAwaiter().GetResult();

    private static async Task GetManyAsync(int concurrency, IReadOnlyList<StoreRead> reads, Action<int, StoreValue?> handle, Func<StoreRead, Task<StoreValue?>> fetch)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = new Task[reads.Count];
        for (var i = 0; i < reads.Count; i++)
        {
            var (index, read) = (i, reads[i]);
            tasks[i] = Task.Run(async () =>
            {
                StoreValue? value;
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    value = await fetch(read).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }

                handle(index, value);
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
