using System.Runtime.CompilerServices;
using Spectre.Console;

namespace IOLink.Cli;

/// <summary>
/// Runs work with a progress bar on standard error when the work is large and standard error is a terminal, so
/// pipes and logs get only the result.
/// </summary>
internal static class ProgressBar
{
    private const long LargeBytes = 256L << 20;

    public static void Run(string description, long bytes, Action<IProgress<double>> work)
    {
        // Every step checks for SIGINT/SIGTERM: a signal stops the work there, and the writer removes its temporaries.
        if (bytes < LargeBytes || Console.IsErrorRedirected)
        {
            work(new Immediate(_ => Interrupt.ThrowIfRequested()));
            return;
        }

        WithBar(description, work);
    }

    // Apart, so that the tool loads Spectre.Console (1.6 MiB) only when it draws a bar: a method's first call loads
    // every assembly its body names, and most runs (small data, redirected standard error) draw none.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WithBar(string description, Action<IProgress<double>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1.0);
                work(new Immediate(value =>
                {
                    Interrupt.ThrowIfRequested();
                    task.Value = value;
                }));
            });
    }

    /// <summary>Reports on the calling thread (System.Progress posts to the thread pool and may report late).</summary>
    private sealed class Immediate(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
