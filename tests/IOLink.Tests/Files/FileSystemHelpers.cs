using System.Diagnostics;

namespace IOLink.Tests.Files;

/// <summary>A scratch folder for tests of what the library does to paths, with FIFOs and links made by the system's own tools.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iolink-fs-" + Guid.NewGuid().ToString("N"));

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Makes a FIFO with mkfifo(1).</summary>
    public string Fifo(string name)
    {
        var path = this[name];
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    /// <summary>The names in the folder, sorted, for asserting that nothing was left behind.</summary>
    public string[] Names() =>
        [.. Directory.EnumerateFileSystemEntries(Path).Select(p => System.IO.Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
