namespace IOLink;

/// <summary>
/// How many threads IOLink's copies use: region reads and writes, <see cref="ImageViewFactory.CopyInMemory"/> and
/// every layout-changing copy. A copy of at least <see cref="MinimumBytesPerThread"/> bytes per thread is split
/// along its outer dimensions (transpose tiles kept whole) into a few parts per thread, run on at most
/// <see cref="MaxDegreeOfParallelism"/> threads (the caller's and the .NET thread pool's); smaller copies run on the
/// calling thread with no scheduling cost at all.
/// </summary>
/// <remarks>
/// A fresh process's thread pool takes milliseconds (about 8 on a 2-core machine) to run its first work item. So
/// that the first large copy does not wait for it, loading IOLink starts the pool in the background (one empty work
/// item per helper thread a copy would use, when there is more than one processor). An application that would rather
/// not pay for it at start-up (a short command whose copies run in the kernel, as the iolink tool's do) sets the
/// runtime configuration switch <c>IOLink.CopyParallelism.StartWorkersOnLoad</c> to false, in its project:
/// <c>&lt;RuntimeHostConfigurationOption Include="IOLink.CopyParallelism.StartWorkersOnLoad" Value="false" /&gt;</c>;
/// its first parallel copy then starts the pool, the calling thread working meanwhile.
/// </remarks>
public static class CopyParallelism
{
    private static int _maxDegree = Environment.ProcessorCount;

    /// <summary>The bytes a copy must move per thread before it is split: below, a thread would cost more than it saves.</summary>
    public const long MinimumBytesPerThread = 1L << 20;

    /// <summary>
    /// The most threads one copy uses. The default is the number of processors this process may run on
    /// (<see cref="Environment.ProcessorCount"/>); 1 makes every copy serial. Process-wide; set it before copies run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref _maxDegree);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxDegree, value);
        }
    }

    /// <summary>
    /// Runs <paramref name="part"/> for each of 0 to <paramref name="count"/> - 1 on up to
    /// <see cref="MaxDegreeOfParallelism"/> threads, the caller's included: the work of a format outside IOLink
    /// (encoding or decoding chunks, say) spread as IOLink spreads its own. Parts are claimed one at a time, so a busy
    /// thread pool slows the work down but never stalls it. The first exception a part throws stops the claiming of
    /// further parts and is rethrown as it is (not wrapped) once the parts already running have finished.
    /// </summary>
    /// <param name="count">How many parts; 0 or less does nothing.</param>
    /// <param name="part">The work of one part, given its number.</param>
    /// <exception cref="ArgumentNullException"><paramref name="part"/> is null.</exception>
    public static void RunParts(int count, Action<int> part)
    {
        ArgumentNullException.ThrowIfNull(part);
        Internal.ClaimedParts.Run(count, MaxDegreeOfParallelism, part);
    }

    /// <summary>Starts the thread pool's workers in the background (see the remarks); run once, when IOLink is loaded.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "It only queues empty work items, so that the first parallel copy does not wait for the thread pool to start.")]
    internal static void StartWorkers() => QueueWorkers();

    /// <summary>Queues the empty work items the switch and the degree of parallelism ask for; returns how many.</summary>
    internal static int QueueWorkers()
    {
        var count = WorkersToStart(AppContext.TryGetSwitch(StartWorkersSwitch, out var start) ? start : null);
        for (var i = 0; i < count; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ => { }, null);
        }

        return count;
    }

    /// <summary>The runtime configuration switch that, set to false, leaves the thread pool to start at the first parallel copy.</summary>
    internal const string StartWorkersSwitch = "IOLink.CopyParallelism.StartWorkersOnLoad";

    /// <summary>How many empty work items loading IOLink queues: one per helper thread a copy would use, none when the switch is false.</summary>
    internal static int WorkersToStart(bool? switchValue) =>
        switchValue == false ? 0 : Math.Max(0, Math.Min(MaxDegreeOfParallelism, Environment.ProcessorCount) - 1);

    /// <summary>How many parts a copy of <paramref name="bytes"/> bytes is split into (1: serial).</summary>
    internal static int PartsFor(long bytes)
    {
        var degree = MaxDegreeOfParallelism;
        if (degree <= 1 || bytes < 2 * MinimumBytesPerThread)
        {
            return 1;
        }

        return (int)Math.Min(degree, bytes / MinimumBytesPerThread);
    }
}
