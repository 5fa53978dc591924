using System.Runtime.ExceptionServices;

namespace IOLink.Internal;

/// <summary>
/// Work cut into numbered parts, run on the calling thread and on thread-pool work items queued to help. Parts are
/// claimed one at a time by whoever gets there first, and the caller only ever waits for parts another thread is
/// already running, so a busy (or starved) thread pool slows the work down but never stalls it.
/// </summary>
/// <remarks>
/// The first exception a part throws stops the claiming of further parts and is rethrown on the caller once the
/// parts already started have finished, so no part runs after <see cref="Run"/> returns.
/// </remarks>
internal sealed class ClaimedParts
{
    private readonly Action<int> _part;
    private readonly int _count;
    private readonly object _gate = new();
    private int _next;
    private int _running;
    private ExceptionDispatchInfo? _failure;

    private ClaimedParts(Action<int> part, int count) => (_part, _count) = (part, count);

    /// <summary>Runs <paramref name="part"/> for 0 to <paramref name="count"/> - 1 on up to <paramref name="threads"/> threads, the caller's included.</summary>
    public static void Run(int count, int threads, Action<int> part)
    {
        if (count <= 0)
        {
            return;
        }

        threads = Math.Min(threads, count);
        if (threads <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                part(i);
            }

            return;
        }

        var work = new ClaimedParts(part, count);
        for (var i = 1; i < threads; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.Work(), work, preferLocal: false);
        }

        work.Work();
        lock (work._gate)
        {
            while (work._running > 0)
            {
                Monitor.Wait(work._gate);
            }
        }

        work._failure?.Throw();
    }

    private void Work()
    {
        while (true)
        {
            int index;
            lock (_gate)
            {
                if (_failure is not null || _next >= _count)
                {
                    return;
                }

                index = _next++;
                _running++;
            }

            try
            {
                _part(index);
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _failure ??= ExceptionDispatchInfo.Capture(ex);
                }
            }
            finally
            {
                lock (_gate)
                {
                    if (--_running == 0)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
    }
}
