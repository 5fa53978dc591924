using System.Diagnostics;

namespace IOLink.Tests;

/// <summary>Runs a program as a user would, in a child process: its exit code and both outputs, within a time limit.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/> in <paramref name="folder"/> with standard input, environment additions and arguments.</summary>
    public static async Task<(int Code, string Out, string Err)> Run(string program, string folder, string? stdin,
        IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.StandardInput.WriteAsync((stdin ?? string.Empty).AsMemory(), limit.Token);
            process.StandardInput.Close();
            // The outputs are read to their end within the same limit: a child left running with them open
            // (a build server) cannot hold the test forever.
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{program} {string.Join(' ', args)}' did not finish in 5 minutes and was killed.");
        }
    }
}
