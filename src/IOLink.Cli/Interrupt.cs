using System.Runtime.InteropServices;

namespace IOLink.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM while a command writes: the first one is taken over, and the write stops at its next
/// progress step by throwing <see cref="OperationCanceledException"/>, so the writers' own clean-up removes their
/// temporary files (a <c>.iolink-*.partial</c> file or folder) before the tool exits with 128 + the signal's number.
/// A second signal is left to its default action: the user can always end the process at once.
/// </summary>
internal static class Interrupt
{
    private static int _signal;

    /// <summary>The signal received (2 for SIGINT, 15 for SIGTERM), or 0.</summary>
    public static int Signal => Volatile.Read(ref _signal);

    /// <summary>Throws when a signal has asked the command to stop.</summary>
    /// <exception cref="OperationCanceledException">A SIGINT or SIGTERM was received.</exception>
    public static void ThrowIfRequested()
    {
        if (Signal != 0)
        {
            throw new OperationCanceledException("interrupted");
        }
    }

    /// <summary>Takes over SIGINT and SIGTERM for the process's lifetime (the tool's entry point calls this once).</summary>
    public static IDisposable[] Register() =>
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
    ];

    private static void Handle(PosixSignalContext context)
    {
        var number = context.Signal == PosixSignal.SIGINT ? 2 : 15;
        // The first signal stops the command cleanly; a later one keeps its default action and ends the process.
        context.Cancel = Interlocked.CompareExchange(ref _signal, number, 0) == 0;
    }
}
