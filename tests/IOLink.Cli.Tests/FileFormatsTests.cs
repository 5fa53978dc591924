using System.Diagnostics;
using IOLink.Zarr;

namespace IOLink.Cli.Tests;

/// <summary>The tool finds a format by what the path holds, then by its name; outputs by their extension.</summary>
public sealed class FileFormatsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-formats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string name) => Path.Combine(_dir, name);

    private static ImageView Sample()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(4, 3), DataTypeId.UINT16);
        view.SetValue<ushort>(42, 3, 2);
        return view;
    }

    [Fact]
    public void ANpyFileIsFoundByItsContent_WhateverItsName()
    {
        using (var view = Sample())
        {
            NpyFile.Write(view, At("volume.dat"));
        }

        Assert.Same(FileFormats.Npy, FileFormats.Of(At("volume.dat")));
        using var opened = Inputs.Open(At("volume.dat"), null, null);
        Assert.Equal((ushort)42, opened.GetValue<ushort>(2, 3));           // the (4, 3) array read as an IMAGE (rule 2)
    }

    [Fact]
    public void AZarrArrayIsFoundByItsMetadata_WhateverItsName_AndAnEmptyZarrNamedFolderByItsName()
    {
        using (var view = Sample())
        {
            ZarrArray.Write(view, At("store"));
        }

        Assert.Same(FileFormats.Zarr, FileFormats.Of(At("store")));
        Directory.CreateDirectory(At("empty.zarr"));
        Assert.Same(FileFormats.Zarr, FileFormats.Of(At("empty.zarr")));
        Directory.CreateDirectory(At("plain"));
        Assert.Null(FileFormats.Of(At("plain")));
    }

    [Fact]
    public async Task RawBytesAreNoFormat_AndAFifoIsNeverReadToTellIt()
    {
        File.WriteAllBytes(At("volume.raw"), new byte[24]);
        Assert.Null(FileFormats.Of(At("volume.raw")));
        File.WriteAllBytes(At("short.npy"), [0x93, (byte)'N']);
        Assert.Same(FileFormats.Npy, FileFormats.Of(At("short.npy")));      // by its name: its reader says what is wrong

        using (var process = Process.Start(new ProcessStartInfo("mkfifo", [At("pipe")]) { UseShellExecute = false })!)
        {
            process.WaitForExit();
        }

        var sniff = Task.Run(() => FileFormats.Of(At("pipe")));
        Assert.Same(sniff, await Task.WhenAny(sniff, Task.Delay(TimeSpan.FromSeconds(10))));   // never blocked on the FIFO
        Assert.Null(await sniff);
    }

    [Theory]
    [InlineData("out.npy", ".npy")]
    [InlineData("OUT.NPY", ".npy")]
    [InlineData("out.zarr", "Zarr")]
    [InlineData("out.zarr/", "Zarr")]
    [InlineData("out.raw", null)]
    [InlineData("out.png", null)]
    public void AnOutputsFormatIsItsExtension(string name, string? format)
    {
        Assert.Equal(format, FileFormats.ForOutput(At(name))?.Name);
    }
}
