using IOLink.Tests;
using System.Runtime.InteropServices;

namespace IOLink.Cli.Tests;

/// <summary>The iolink commands run in-process on real files: their output, their files and their exit codes.</summary>
public sealed partial class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iolink-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests()
    {
        Directory.CreateDirectory(_dir);
        // A 12x4x6 UINT16 VOLUME whose element (x, y, z) is x + 10 y + 100 z.
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var values = new ushort[12 * 4 * 6];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)((i % 12) + (10 * (i / 12 % 4)) + (100 * (i / 48)));
        }

        v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        NpyFile.Write(v, File("vol.npy"));
        System.IO.File.WriteAllBytes(File("vol.raw"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private string File(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData(new[] { "info" }, "Required argument missing")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "SLICE" }, "is not DIMENSION=N")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "Q=1" }, "'Q' is not a dimension")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "Z=1,SLICE=2" }, "names SLICE twice")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "ROW=1" }, "fixes ROW, which --plane draws")]
    [InlineData(new[] { "slice", "vol.npy", "--plane", "COLUMN,COLUMN" }, "two different dimensions")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "SEQUENCE=2" }, "has no SEQUENCE dimension")]
    [InlineData(new[] { "slice", "vol.npy", "--index", "1", "--at", "SLICE=2" }, "both choose the SLICE plane")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "info", "vol.raw" }, "is not a .npy file")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,4" }, "needs both --shape")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,x,6", "--dtype", "UINT16" }, "is not a list of positive sizes")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,4,6", "--dtype", "UINT12" }, "is not a data type")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW,FOO" }, "'FOO' is not a dimension")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW" }, "--axes ROW does not fit the file")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW,COLUMN,SLICE,SEQUENCE" }, "--axes ROW,COLUMN,SLICE,SEQUENCE does not fit the file")]
    [InlineData(new[] { "slice", "vol.npy", "--index", "6", "-o", "a.png" }, "past the last SLICE")]
    [InlineData(new[] { "convert", "vol.npy", "vol.npy" }, "the same file")]
    public void UsageErrors_AreOneLineAndExitCode2(string[] args, string fragment)
    {
        var (code, output, error) = Run([.. args.Select(a => a.Contains('.', StringComparison.Ordinal) ? File(a) : a)]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_AreOneLineAndExitCode1_WithTheTraceOnlyWhenVerbose()
    {
        System.IO.File.WriteAllText(File("bad.npy"), "not numpy");
        var (code, _, error) = Run("info", File("bad.npy"));
        Assert.Equal(1, code);
        Assert.StartsWith($"iolink: error: '{File("bad.npy")}': This is not a .npy file", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        (code, _, error) = Run("info", File("missing.npy"));
        Assert.Equal(1, code);
        Assert.Contains("missing.npy", error, StringComparison.Ordinal);
        (code, _, error) = Run("info", File("bad.npy"), "--verbose");
        Assert.Equal(1, code);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageMessages_NameTheUsersWords_NotDotNetTypes()
    {
        var (code, _, error) = Run("bogus");
        Assert.Equal(2, code);
        Assert.StartsWith("iolink: 'bogus' is not a command; the commands are demo, info, convert", error.Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", error, StringComparison.Ordinal);
        // A command or an option a letter or two away: one line naming what was meant.
        (code, _, error) = Run("conver", File("vol.npy"), File("x.npy"));
        Assert.Equal(2, code);
        Assert.Equal(["iolink: 'conver' is not a command; did you mean 'convert'?", "Run 'iolink --help' (or 'iolink COMMAND --help') for usage.", ""], error.Split('\n'));
        (code, _, error) = Run("info", File("vol.npy"), "--stat");
        Assert.Equal(2, code);
        Assert.StartsWith("iolink: unknown option '--stat'; did you mean '--stats'?\n", error, StringComparison.Ordinal);
        // Raw options on a file that describes itself say so, not that raw files need both.
        (code, _, error) = Run("info", File("vol.npy"), "--dtype", "uint16");
        Assert.Equal(2, code);
        Assert.Contains("is a .npy file, which describes itself; leave out --dtype.", error, StringComparison.Ordinal);
        (code, _, error) = Run("slice", File("vol.npy"), "--index", "-1", "-o", File("s.png"));
        Assert.Equal(2, code);
        Assert.Contains("--index -1 is not a plane number: planes are counted from 0", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.UInt64", error, StringComparison.Ordinal);
        // A bad dimension name is reported in the words of the option that held it.
        (code, _, error) = Run("slice", File("vol.npy"), "--plane", "X,Q", "-o", File("s.png"));
        Assert.Equal(2, code);
        Assert.StartsWith("iolink: --plane 'X,Q': 'Q' is not a dimension", error, StringComparison.Ordinal);
        Assert.Equal("ok", Cli.UserMessage(new ArgumentException("ok", "shape")));
    }

    /// <summary>Runs the tool as a child process in the test's folder (for what starts once per process, such as Python).</summary>
    private Task<(int Code, string Out, string Err)> Host(string? stdin, params string[] args) => Host(stdin, null, args);

    /// <summary>The same, with additions to the child's environment.</summary>
    private Task<(int Code, string Out, string Err)> Host(string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        ChildProcess.Run("dotnet", _dir, stdin, environment, [typeof(Cli).Assembly.Location, .. args]);

    [Fact]
    public void Help_NamesTheToolAndEveryCommand()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("iolink [command] [options]", output, StringComparison.Ordinal);
        foreach (var command in new[] { "demo", "info <FILE>", "convert <IN> <OUT>", "slice <FILE>", "python" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheToolsRuntimeConfiguration_LeavesTheThreadPoolToTheFirstParallelCopy()
    {
        // What every installed `iolink` runs with: IOLink does not start the pool when it loads (iolink python does).
        var config = System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(Path.ChangeExtension(typeof(Cli).Assembly.Location, ".runtimeconfig.json")))!;
        Assert.False(config["runtimeOptions"]!["configProperties"]!["IOLink.CopyParallelism.StartWorkersOnLoad"]!.GetValue<bool>());
    }

    [Fact]
    public void ACommandsRun_BuildsOnlyThatCommand_AndEverythingElseTheWholeTree()
    {
        Assert.Equal(["demo", "info", "convert", "slice", "python"], Cli.Build(TextWriter.Null, TextWriter.Null).Subcommands.Select(c => c.Name));
        Assert.Equal(["convert"], Cli.Build(TextWriter.Null, TextWriter.Null, "convert").Subcommands.Select(c => c.Name));
        // A command's own errors still name its options, and a mistyped one is matched against every command.
        Assert.Contains("did you mean '--overwrite'?", Run("convert", "a.npy", "b.npy", "--overwrit").Err, StringComparison.Ordinal);
        Assert.Contains("did you mean 'slice'?", Run("slise", "a.npy").Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("info", "2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE")]
    [InlineData("convert", "by its extension: .npy, .zarr (a Zarr array), .tif/.tiff (an OME-TIFF), .h5 (an HDF5 dataset, /data), or raw data for .raw, .bin and .dat")]
    [InlineData("slice", "2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE")]
    public void CommandHelp_DescribesTheInputsTheCommandTakes(string command, string expected)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.Equal(0, code);
        // Each takes .npy, Zarr and raw files; convert names its outputs, the others their default axes up to 5-D.
        Assert.Contains("A .npy file, a Zarr array (a folder holding zarr.json or .zarray)", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
