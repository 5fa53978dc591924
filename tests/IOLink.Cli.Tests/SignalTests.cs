using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IOLink.Cli.Tests;

/// <summary>
/// The tool as a process of its own, stopped by SIGINT or SIGTERM in the middle of a write: it says "interrupted",
/// exits with 128 + the signal, and leaves neither the output nor a temporary file or folder behind.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iolink-cli-signal-" + Guid.NewGuid().ToString("N"));

    public SignalTests()
    {
        Directory.CreateDirectory(_dir);
        // 256 MiB that deflate cannot shrink much: writing it as a gzip Zarr array takes seconds, so a signal sent as the
        // write starts always lands in the middle of it.
        var data = new byte[256 << 20];
        var state = 0x9E3779B97F4A7C15UL;
        var words = MemoryMarshal.Cast<byte, ulong>(data.AsSpan());
        for (var i = 0; i < words.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words[i] = state;
        }

        File.WriteAllBytes(At("big.raw"), data);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData(2, 130)]
    [InlineData(15, 143)]
    public async Task ASignalDuringAWrite_RemovesItsTemporaries_AndSaysInterrupted(int signal, int expectedCode)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "IOLink.Cli.dll");
        // Through env --default-signal: a test run started in the background by a non-interactive shell has SIGINT
        // ignored, and a child inherits that (as a user's background job would, rightly).
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", tool, "convert", At("big.raw"), At("out.zarr"), "--shape", "1024,1024,128", "--dtype", "UINT16", "--codec", "gzip"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();

        // The signal goes as soon as the write has made its temporary folder.
        var deadline = Stopwatch.StartNew();
        while (!Directory.EnumerateFileSystemEntries(_dir, ".iolink-*").Any() && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(1);
        }

        Assert.Equal(0, Kill(process.Id, signal));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var error = await stderr;
        Assert.Empty(await stdout);
        Assert.Equal(expectedCode, process.ExitCode);
        Assert.Contains("iolink: interrupted", error, StringComparison.Ordinal);
        Assert.Equal(["big.raw"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
