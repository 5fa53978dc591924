using System.Diagnostics;

namespace IOLink.Cli.Tests;

/// <summary>What the tool does to the paths it writes and reads: never a replaced device, FIFO or link, never a hang.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iolink-cli-out-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _raw;

    public OutputPathTests()
    {
        Directory.CreateDirectory(_dir);
        _raw = new byte[8 * 6 * 2];
        for (var i = 0; i < _raw.Length; i++)
        {
            _raw[i] = (byte)(i * 7);
        }

        File.WriteAllBytes(At("vol.raw"), _raw);
        Assert.Equal(0, Run("convert", At("vol.raw"), At("vol.npy"), "--shape", "8,6,2", "--dtype", "UINT8").Code);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string name) => System.IO.Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Fifo(string name)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [At(name)]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return At(name);
    }

    /// <summary>The file type as stat(1) names it ("character special file", "fifo", "symbolic link", ...).</summary>
    private static string Kind(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", path]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var kind = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return kind;
    }

    [Fact]
    public void Convert_RawToDevFull_FailsWithNoSpaceAndKeepsTheDevice()
    {
        var (code, _, error) = Run("convert", At("vol.npy"), "/dev/full");
        Assert.Equal(1, code);
        Assert.Contains("space", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("character special file", Kind("/dev/full"));
    }

    [Fact]
    public void Convert_NpyThroughALinkToDevFull_FailsWithNoSpaceAndKeepsLinkAndDevice()
    {
        File.CreateSymbolicLink(At("full.npy"), "/dev/full");
        var (code, _, error) = Run("convert", At("vol.raw"), At("full.npy"), "--shape", "8,6,2", "--dtype", "UINT8");
        Assert.Equal(1, code);
        Assert.Contains("space", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("symbolic link", Kind(At("full.npy")));
        Assert.Equal("character special file", Kind("/dev/full"));
    }

    [Fact]
    public async Task Convert_OfANpyTruncatedWhileItIsRead_FailsCleanly_AndLeavesNoTemporary()
    {
        // 128 MiB that deflate cannot shrink much, to a gzip Zarr array: it takes long enough for the input to be cut
        // short while it is read. A mapped input would end the process with SIGBUS here.
        var input = At("big.npy");
        using (var big = ImageViewFactory.Allocate(new VectorXu64(1024, 1024, 64), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var data = new ulong[big.ByteCount / 8];
            var state = 0x9E3779B97F4A7C15UL;
            for (var i = 0; i < data.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                data[i] = state;
            }

            big.WriteRegion(RegionXu64.CreateFullRegion(big.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            NpyFile.Write(big, input);
        }

        var convert = Task.Run(() => Run("convert", input, At("big.zarr"), "--codec", "gzip"));
        while (!convert.IsCompleted && !Directory.EnumerateFileSystemEntries(_dir, ".iolink-*").Any())
        {
            await Task.Delay(1);
        }

        Assert.False(convert.IsCompleted, "the conversion ended before its input could be cut short");
        using (var shorten = new FileStream(input, FileMode.Open, FileAccess.Write))
        {
            shorten.SetLength(4096);
        }

        var (code, _, error) = await convert;
        Assert.Equal(1, code);
        Assert.Contains("truncated", error, StringComparison.Ordinal);
        Assert.Equal(["big.npy", "vol.npy", "vol.raw"], Directory.GetFileSystemEntries(_dir).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Slice_NeverWritesOverItsInput_NorPngBytesIntoAnotherFormat()
    {
        var before = File.ReadAllBytes(At("vol.npy"));
        var (code, _, error) = Run("slice", At("vol.npy"), "-o", At("vol.npy"));
        Assert.Equal(2, code);
        Assert.Contains("writes PNG images", error, StringComparison.Ordinal);
        (code, _, error) = Run("slice", At("vol.npy"), "-o", At("out.jpg"));
        Assert.Equal(2, code);
        Assert.Contains("name the output with the .png extension", error, StringComparison.Ordinal);
        Assert.False(File.Exists(At("out.jpg")));

        // A .png name that is a link to the input is the input.
        File.CreateSymbolicLink(At("linked.png"), At("vol.npy"));
        (code, _, error) = Run("slice", At("vol.npy"), "-o", At("linked.png"));
        Assert.Equal(2, code);
        Assert.Contains("IN and OUT are the same file", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(At("vol.npy")));
    }

    [Fact]
    public void Convert_SeesTheSameFileThroughLinksHardLinksSlashesAndFolders()
    {
        var before = File.ReadAllBytes(At("vol.npy"));
        File.CreateSymbolicLink(At("link.raw"), At("vol.npy"));
        using (var ln = Process.Start(new ProcessStartInfo("ln", [At("vol.npy"), At("hard.npy")]) { UseShellExecute = false })!)
        {
            ln.WaitForExit();
        }

        Assert.Equal(0, Run("convert", At("vol.npy"), At("vol.zarr")).Code);
        foreach (var (input, output) in new[]
        {
            (At("vol.npy"), At("link.raw")),
            (At("vol.npy"), At("hard.npy")),
            (At("vol.npy"), _dir + "/./sub/../vol.npy"),
            (At("vol.zarr"), At("vol.zarr") + "/"),
        })
        {
            var (code, _, error) = Run("convert", input, output);
            Assert.Equal(2, code);
            Assert.Contains("IN and OUT are the same file", error, StringComparison.Ordinal);
        }

        var (inside, _, insideError) = Run("convert", At("vol.zarr"), At("vol.zarr") + "/copy.npy");
        Assert.Equal(2, inside);
        Assert.Contains("is inside IN", insideError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(At("vol.npy")));
        Assert.Equal("symbolic link", Kind(At("link.raw")));
    }

    [Fact]
    public void OutputNamesWithControlCharacters_AreQuoted_SoTheyCannotFakeLines()
    {
        var name = At("x\nwrote evil.npy");
        var (code, output, _) = Run("convert", At("vol.npy"), name);
        Assert.Equal(0, code);
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        Assert.Contains("\\nwrote evil.npy'", output, StringComparison.Ordinal);
        Assert.True(File.Exists(name));
    }

    [Fact]
    public void Slice_ToDevNull_KeepsTheDevice()
    {
        Assert.Equal(0, Run("slice", At("vol.npy"), "--index", "1", "-o", "/dev/null").Code);
        Assert.Equal("character special file", Kind("/dev/null"));
    }

    [Fact]
    public async Task Convert_ToFifo_WritesThroughIt()
    {
        var fifo = Fifo("pipe.raw");
        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        Assert.Equal(0, Run("convert", At("vol.npy"), fifo).Code);
        Assert.Equal(_raw, await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("fifo", Kind(fifo));
    }

    [Fact]
    public void Convert_ToSymlink_WritesItsTarget()
    {
        File.WriteAllText(At("target.raw"), "old");
        File.CreateSymbolicLink(At("link.raw"), At("target.raw"));
        Assert.Equal(0, Run("convert", At("vol.npy"), At("link.raw"), "--overwrite").Code);
        Assert.Equal(At("target.raw"), new FileInfo(At("link.raw")).LinkTarget);
        Assert.Equal(_raw, File.ReadAllBytes(At("target.raw")));
    }

    [Fact]
    public void Slice_ToSymlink_WritesItsTargetAndFollowsNoPlantedName()
    {
        File.WriteAllText(At("victim"), "precious");
        var pid = Environment.ProcessId;
        File.CreateSymbolicLink(At($"real.png.{pid}.partial"), At("victim"));
        File.CreateSymbolicLink(At("link.png"), At("real.png"));
        Assert.Equal(0, Run("slice", At("vol.npy"), "--index", "1", "-o", At("link.png")).Code);
        Assert.Equal("precious", File.ReadAllText(At("victim")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(At("real.png")).Take(4));
        Assert.NotNull(new FileInfo(At("link.png")).LinkTarget);
    }

    [Fact]
    public void Convert_RawOutput_FollowsNoPlantedName()
    {
        File.WriteAllText(At("victim"), "precious");
        File.CreateSymbolicLink(At($".out.raw.{Environment.ProcessId}.partial"), At("victim"));
        Assert.Equal(0, Run("convert", At("vol.npy"), At("out.raw")).Code);
        Assert.Equal("precious", File.ReadAllText(At("victim")));
        Assert.Equal(_raw, File.ReadAllBytes(At("out.raw")));
    }

    [Fact]
    public void Convert_ToTheLongestValidName_Works()
    {
        var name = new string('v', 251) + ".raw";
        Assert.Equal(0, Run("convert", At("vol.npy"), At(name)).Code);
        Assert.Equal(_raw, File.ReadAllBytes(At(name)));
    }

    [Fact]
    public async Task Info_OnAFifo_FailsAtOnce()
    {
        var fifo = Fifo("in.npy");
        var (code, _, error) = await Task.Run(() => Run("info", fifo)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, code);
        Assert.Contains("FIFO", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_OnADirectory_SaysItIsADirectory()
    {
        Directory.CreateDirectory(At("d.npy"));
        var (code, _, error) = Run("info", At("d.npy"));
        Assert.Equal(1, code);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out.npy")]
    [InlineData("out.raw")]
    [InlineData("out.zarr")]
    public void Convert_IntoAMissingFolder_NamesTheFolder_NotATemporaryFile(string name)
    {
        var target = Path.Combine(At("no-such-folder"), name);
        var (code, _, error) = Run("convert", At("vol.npy"), target);
        Assert.Equal(1, code);
        Assert.Equal($"iolink: error: Cannot write '{target}': its folder '{At("no-such-folder")}' does not exist; create it first.\n", error);
    }

    [Fact]
    public void Convert_ToADirectory_IsRefused()
    {
        Directory.CreateDirectory(At("d.raw"));
        var (code, _, error) = Run("convert", At("vol.npy"), At("d.raw"), "--overwrite");
        Assert.Equal(1, code);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_past_what_a_view_can_hold_is_a_usage_error()
    {
        var (code, _, error) = Run("info", At("vol.raw"), "--shape", "18446744073709551615", "--dtype", "uint8");
        Assert.Equal(2, code);
        Assert.Contains("--shape", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_offset_is_reported_without_overflowing()
    {
        var (code, _, error) = Run("info", At("vol.raw"), "--shape", "8,6,2", "--dtype", "uint8", "--offset", "9223372036854775807");
        Assert.Equal(2, code);
        Assert.Contains("9223372036854775807", error, StringComparison.Ordinal);
        Assert.DoesNotContain("-922337203685477", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plane_too_large_to_draw_is_refused_before_any_data_is_read()
    {
        // 16385 x 16385 bytes, sparse: refused by its size alone, so the test reads nothing.
        using (var sparse = File.Create(At("huge.raw")))
        {
            sparse.SetLength(16385L * 16385);
        }

        var (code, _, error) = Run("slice", At("huge.raw"), "--shape", "16385,16385", "--dtype", "uint8", "--index", "0", "-o", At("huge.png"));
        Assert.Equal(1, code);
        Assert.Contains("up to 268435456 pixels", error, StringComparison.Ordinal);
        Assert.False(File.Exists(At("huge.png")));
    }

    [Fact]
    public void An_argument_starting_with_at_is_a_file_name_not_a_response_file()
    {
        File.WriteAllText(At("args.txt"), "--help");
        var (code, output, error) = Run("info", "@" + At("args.txt"));
        Assert.Equal(1, code);
        Assert.DoesNotContain("Usage", output, StringComparison.Ordinal);
        Assert.Contains("@", error, StringComparison.Ordinal);
        var (nulCode, _, _) = Run("convert", "@p\0shape", "out.raw");
        Assert.Equal(1, nulCode);
    }
}
