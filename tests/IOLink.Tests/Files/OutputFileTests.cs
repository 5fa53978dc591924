using System.Runtime.Versioning;
using IOLink.Files;
using IOLink.Tests.Views;

namespace IOLink.Tests.Files;

/// <summary>
/// What writing a file does to the path it is given: a new or regular file is replaced whole, a link is written
/// through, a device or FIFO is written in place and never replaced, and no name planted in the folder is followed.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OutputFileTests : IDisposable
{
    private readonly ScratchFolder _dir = new();
    private readonly ImageView _view;

    public OutputFileTests()
    {
        _view = ImageViewFactory.Allocate(new VectorXu64(5, 3), DataTypeId.UINT8);
        var bytes = new byte[15];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i + 1);
        }

        _view.WriteRegion(RegionXu64.CreateFullRegion(_view.Shape), bytes);
    }

    public void Dispose()
    {
        _view.Dispose();
        _dir.Dispose();
    }

    private byte[] NpyBytes()
    {
        using var memory = new MemoryStream();
        NpyFile.Write(_view, memory);
        return memory.ToArray();
    }

    [Fact]
    public void AWriteStoppedByItsProgressCallback_LeavesNothing()
    {
        // What the tool's SIGINT/SIGTERM handling does: the next progress step throws, and the temporary goes.
        using var big = ImageViewFactory.Allocate(new VectorXu64(1024, 1024, 16), DataTypeId.UINT16);
        var stop = new StopAt(0.25);
        Assert.Throws<OperationCanceledException>(() => NpyFile.Write(big, _dir["big.npy"], null, stop));
        Assert.True(stop.Reports > 0);
        Assert.Empty(_dir.Names());
    }

    [Fact]
    public void AFolderThatRefusesNewFiles_IsNamedInTheError_NeverTheTemporary()
    {
        var folder = _dir["locked"];
        Directory.CreateDirectory(folder);
        // Root may write anywhere, but not into an immutable folder (chattr +i); without chattr's support there, a
        // folder without write permission does for other users.
        var locked = Chattr("+i", folder) || (Environment.UserName != "root" && SetMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute));
        try
        {
            Assert.True(locked, "the test could not make a folder that refuses new files");
            var ex = Assert.Throws<UnauthorizedAccessException>(() => NpyFile.Write(_view, Path.Combine(folder, "out.npy")));
            Assert.Contains($"Cannot write '{Path.Combine(folder, "out.npy")}': permission denied in its folder '{folder}'", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(".iolink-", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Chattr("-i", folder);
            SetMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void ATemporarysFailure_SaysWhatItMeansForTheOutput()
    {
        var temp = "/data/.iolink-0123456789abcdef.partial";
        var io = OutputFile.InUserWords(new IOException($"Read-only file system : '{temp}'"), temp, "/data/out.npy", "/data");
        Assert.Equal("Cannot write '/data/out.npy' in its folder '/data': Read-only file system. Its file system is mounted read-only; write it elsewhere.", io.Message);
        var full = OutputFile.InUserWords(new IOException($"No space left on device : '{temp}'"), temp, "/data/out.npy", "/data");
        Assert.Contains("No space left on device. Free some space or write it elsewhere.", full.Message, StringComparison.Ordinal);
        Assert.IsType<UnauthorizedAccessException>(OutputFile.InUserWords(new UnauthorizedAccessException($"Access to the path '{temp}' is denied."), temp, "/data/out.npy", "/data"));
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, path]) { UseShellExecute = false, RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;   // no chattr on this machine
        }
    }

    private static bool SetMode(string path, UnixFileMode mode)
    {
        File.SetUnixFileMode(path, mode);
        return true;
    }

    private sealed class StopAt(double fraction) : IProgress<double>
    {
        public int Reports { get; private set; }

        public void Report(double value)
        {
            Reports++;
            if (value >= fraction)
            {
                throw new OperationCanceledException("interrupted");
            }
        }
    }

    [Fact]
    public void NewFile_IsWrittenAndNoTemporaryIsLeft()
    {
        NpyFile.Write(_view, _dir["a.npy"]);
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir["a.npy"]));
        Assert.Equal(["a.npy"], _dir.Names());
    }

    [Fact]
    public void ExistingFile_IsReplacedAndKeepsItsPermissions()
    {
        File.WriteAllText(_dir["a.npy"], "old");
        File.SetUnixFileMode(_dir["a.npy"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        NpyFile.Write(_view, _dir["a.npy"]);
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir["a.npy"]));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir["a.npy"]));
        Assert.Equal(["a.npy"], _dir.Names());
    }

    [Fact]
    public void SymbolicLink_IsWrittenThroughAndStaysALink()
    {
        Directory.CreateDirectory(_dir["real"]);
        File.WriteAllText(_dir["real/target.npy"], "old");
        File.CreateSymbolicLink(_dir["link.npy"], _dir["real/target.npy"]);
        NpyFile.Write(_view, _dir["link.npy"]);
        Assert.Equal(_dir["real/target.npy"], new FileInfo(_dir["link.npy"]).LinkTarget);
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir["real/target.npy"]));
        Assert.Equal(["target.npy"], Directory.GetFileSystemEntries(_dir["real"]).Select(Path.GetFileName));
    }

    [Fact]
    public void DanglingSymbolicLink_CreatesItsTarget()
    {
        File.CreateSymbolicLink(_dir["link.npy"], _dir["target.npy"]);
        NpyFile.Write(_view, _dir["link.npy"]);
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir["target.npy"]));
        Assert.NotNull(new FileInfo(_dir["link.npy"]).LinkTarget);
    }

    [Fact]
    public async Task Fifo_IsWrittenInPlaceAndStaysAFifo()
    {
        var fifo = _dir.Fifo("pipe.npy");
        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        NpyFile.Write(_view, fifo);
        Assert.Equal(NpyBytes(), await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(FileKind.Fifo, FileProbe.Kind(fifo, followLinks: false));
        Assert.Equal(["pipe.npy"], _dir.Names());
    }

    [Fact]
    public void DeviceFull_ReportsNoSpaceAndStaysADevice()
    {
        Assert.True(OperatingSystem.IsLinux(), "/dev/full is Linux's");
        var ex = Assert.Throws<IOException>(() => NpyFile.Write(_view, "/dev/full"));
        Assert.Contains("space", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FileKind.CharacterDevice, FileProbe.Kind("/dev/full", followLinks: false));
    }

    [Fact]
    public void DeviceNull_IsWrittenInPlace()
    {
        NpyFile.Write(_view, "/dev/null");
        Assert.Equal(FileKind.CharacterDevice, FileProbe.Kind("/dev/null", followLinks: false));
    }

    [Fact]
    public void Directory_IsRefusedWithItsName()
    {
        Directory.CreateDirectory(_dir["out.npy"]);
        var ex = Assert.Throws<IOException>(() => NpyFile.Write(_view, _dir["out.npy"]));
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir["out.npy"]));
    }

    [Fact]
    public void MissingFolder_SaysWhichFolder()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => NpyFile.Write(_view, _dir["no/such/a.npy"]));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlantedLinksAtTheOldPredictableNames_AreNeverFollowed()
    {
        // The names earlier versions used for their temporary file: a link there must not lead the write elsewhere.
        File.WriteAllText(_dir["victim"], "precious");
        var pid = Environment.ProcessId;
        File.CreateSymbolicLink(_dir[$".a.npy.{pid}.partial"], _dir["victim"]);
        File.CreateSymbolicLink(_dir[$"a.npy.{pid}.partial"], _dir["victim"]);
        NpyFile.Write(_view, _dir["a.npy"]);
        Assert.Equal("precious", File.ReadAllText(_dir["victim"]));
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir["a.npy"]));
    }

    [Fact]
    public void TemporaryNames_AreUnpredictableAndExclusive()
    {
        // Two writes of the same target never reuse a name, and a write fails rather than open an existing name.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            OutputFile.Write(_dir["a.raw"], stream =>
            {
                var name = ((FileStream)stream).Name;
                Assert.StartsWith(_dir.Path, name, StringComparison.Ordinal);
                Assert.True(seen.Add(name));
                Assert.DoesNotContain("a.raw", Path.GetFileName(name), StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void TemporaryNames_Are16LowerHexDigitsBetweenTheMarkers()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var name = Path.GetFileName(OutputFile.TemporaryName(_dir.Path));
            Assert.Matches("^\\.iolink-[0-9a-f]{16}\\.partial$", name);
            Assert.True(OutputFile.IsTemporaryName(name));
            Assert.True(names.Add(name));
        }

        Assert.False(OutputFile.IsTemporaryName(".iolink-0123456789ABCDEF.partial"));
        Assert.False(OutputFile.IsTemporaryName(".iolink-0123456789abcdeg.partial"));
    }

    [Fact]
    public void LongestValidName_IsWritten()
    {
        var name = new string('n', 251) + ".npy";
        NpyFile.Write(_view, _dir[name]);
        Assert.Equal(NpyBytes(), File.ReadAllBytes(_dir[name]));
    }

    [Fact]
    public void FailedWrite_LeavesTheOldFileAndNoTemporary()
    {
        File.WriteAllText(_dir["a.raw"], "old");
        Assert.Throws<InvalidOperationException>(() => OutputFile.Write(_dir["a.raw"], stream =>
        {
            stream.Write([1, 2, 3]);
            throw new InvalidOperationException("stop");
        }));
        Assert.Equal("old", File.ReadAllText(_dir["a.raw"]));
        Assert.Equal(["a.raw"], _dir.Names());
    }

    [Fact]
    public void Inputs_ThatAreNotRegularFiles_AreRefusedWithoutBlocking()
    {
        var fifo = _dir.Fifo("pipe.npy");
        Directory.CreateDirectory(_dir["folder.npy"]);

        var ex = Assert.Throws<IOException>(() => NpyFile.Read(fifo));
        Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", Assert.Throws<IOException>(() => NpyFile.OpenMapped(fifo)).Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", Assert.Throws<IOException>(() => RandomAccessFactory.OpenFileRead(fifo)).Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", Assert.Throws<IOException>(() => NpyFile.ReadHeader(fifo)).Message, StringComparison.Ordinal);
        Assert.Contains("character device", Assert.Throws<IOException>(() => RandomAccessFactory.MapFile("/dev/zero")).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<UnauthorizedAccessException>(() => NpyFile.Read(_dir["folder.npy"])).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<UnauthorizedAccessException>(() => RandomAccessFactory.OpenFileRead(_dir["folder.npy"])).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<UnauthorizedAccessException>(() => RandomAccessFactory.OpenFileWrite(_dir["folder.npy"], 4)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservation_IsOnlyAHint_TheFileHoldsWhatWasWritten()
    {
        OutputFile.Write(_dir["short.bin"], 1 << 20, stream => stream.Write("abc"u8));
        OutputFile.Write(_dir["long.bin"], 2, stream => stream.Write(new byte[100_000]));
        Assert.Equal("abc"u8.ToArray(), File.ReadAllBytes(_dir["short.bin"]));
        Assert.Equal(100_000, new FileInfo(_dir["long.bin"]).Length);
        Assert.Equal(["long.bin", "short.bin"], _dir.Names());
    }

    [Fact]
    public void Reservation_TheFileSystemCannotGive_NamesTheFileAndLeavesNothing()
    {
        // More than any file system here holds in one file: the reservation fails before a byte is written.
        var written = false;
        var ex = Assert.Throws<IOException>(() => OutputFile.Write(_dir["huge.npy"], long.MaxValue / 2, _ => written = true));
        Assert.Contains("'" + _dir["huge.npy"] + "'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no room", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", ex.Message, StringComparison.Ordinal);
        Assert.False(written);
        Assert.Empty(_dir.Names());
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputFile.Write(_dir["a.npy"], -1, _ => { }));
    }

    [Fact]
    public void MappedNpy_IsCopiedFileToFile_AndEqualsWhatAStreamGets()
    {
        // A mapped .npy in C order is written by a copy inside the kernel; a stream gets the same bytes from memory.
        using var source = SampleViews.Numbered(7, 5, 3);
        NpyFile.Write(source, _dir["in.npy"]);
        using var mapped = NpyFile.OpenMapped(_dir["in.npy"]);
        NpyFile.Write(mapped, _dir["out.npy"]);
        using var memory = new MemoryStream();
        NpyFile.Write(mapped, memory);
        Assert.Equal(File.ReadAllBytes(_dir["in.npy"]), File.ReadAllBytes(_dir["out.npy"]));
        Assert.Equal(File.ReadAllBytes(_dir["in.npy"]), memory.ToArray());

        // A sub-volume of the mapping is not in file order: it is staged, and still right.
        using var part = ImageViewFactory.ExtractRegion(mapped, new RegionXu64(new VectorXu64(1, 1, 1), new VectorXu64(4, 3, 2)));
        NpyFile.Write(part, _dir["part.npy"]);
        using var back = NpyFile.Read(_dir["part.npy"]);
        Assert.Equal(SampleViews.ReadOneByOne16(part), SampleViews.ReadAll16(back));
    }

    [Fact]
    public void Probe_TellsEachKind()
    {
        File.WriteAllText(_dir["f"], "x");
        File.CreateSymbolicLink(_dir["l"], _dir["f"]);
        Assert.Equal(FileKind.Regular, FileProbe.Kind(_dir["f"], followLinks: false));
        Assert.Equal(FileKind.SymbolicLink, FileProbe.Kind(_dir["l"], followLinks: false));
        Assert.Equal(FileKind.Regular, FileProbe.Kind(_dir["l"], followLinks: true));
        Assert.Equal(FileKind.Directory, FileProbe.Kind(_dir.Path, followLinks: false));
        Assert.Equal(FileKind.Missing, FileProbe.Kind(_dir["none"], followLinks: false));
        Assert.Equal(FileKind.Missing, FileProbe.Kind(_dir["f/below"], followLinks: false));
        Assert.Equal(FileKind.Fifo, FileProbe.Kind(_dir.Fifo("p"), followLinks: false));
        Assert.Equal(FileKind.CharacterDevice, FileProbe.Kind("/dev/null", followLinks: false));
    }
}
