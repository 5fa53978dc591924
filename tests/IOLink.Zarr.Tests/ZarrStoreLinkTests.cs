using System.Runtime.InteropServices;
using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// Links planted inside a store, at any part of a path below its root (chunk keys, level paths, metadata files,
/// group members): never followed, on reads or on writes, and nothing outside the store is read or changed.
/// </summary>
public sealed class ZarrStoreLinkTests : IDisposable
{
    private const string Nested = """
        {"chunks": [4, 4], "compressor": null, "dimension_separator": "/", "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A folder outside the store holding a file named like chunk 0/0 with 16 sevens in it.</summary>
    private string OutsideChunkFolder()
    {
        var outside = _dir.File("elsewhere");
        Directory.CreateDirectory(outside);
        File.WriteAllBytes(Path.Combine(outside, "0"), MemoryMarshal.AsBytes(Enumerable.Repeat((ushort)7, 16).ToArray().AsSpan()).ToArray());
        return outside;
    }

    [Fact]
    public void ANestedChunkKeyThroughALinkedFolder_IsRefused_OnReadAndWrite()
    {
        var outside = OutsideChunkFolder();
        var before = File.ReadAllBytes(Path.Combine(outside, "0"));
        var path = _dir.File("a.zarr");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, ".zarray"), Nested);
        Directory.CreateSymbolicLink(Path.Combine(path, "0"), outside);

        using (var z = ZarrArray.Open(path, writable: true))
        {
            var read = Assert.Throws<InvalidFileFormatException>(() => z.GetValue<ushort>(1, 1));
            Assert.Contains("'0' inside the store is a symbolic link", read.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidFileFormatException>(() => z.SetValue((ushort)9, 1UL, 1UL));
            var whole = new ushort[16];
            Assert.Throws<InvalidFileFormatException>(() =>
                z.WriteRegion(new RegionXu64(new VectorXu64(0, 0), new VectorXu64(4, 4)), MemoryMarshal.AsBytes(whole.AsSpan())));

            // Chunks not below the link still read and write.
            z.SetValue((ushort)5, 5UL, 5UL);
            Assert.Equal((ushort)5, z.GetValue<ushort>(5, 5));
        }

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(outside, "0")));
        Assert.Equal(["0"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void AnOmeZarrLevelThatIsALink_IsNotOpened_SoAForeignArrayIsNeverRewritten()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(6, 8), DataTypeId.UINT16);
        v.Properties.AxesInterpretation = ImageTypeId.IMAGE;
        var foreign = _dir.File("foreign.zarr");
        ZarrArray.Write(v, foreign, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(4, 4) });
        var foreignFiles = Snapshot(foreign);

        var image = _dir.File("image.zarr");
        ZarrArray.Write(v, image, new ZarrOptions { Format = ZarrFormat.V2, OmeZarr = true });
        Directory.Delete(Path.Combine(image, "0"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(image, "0"), foreign);

        foreach (var writable in new[] { false, true })
        {
            var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(image, writable));
            Assert.Contains("'0' inside the store is a symbolic link", ex.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidFileFormatException>(() => ZarrArray.OpenLevel(image, 0, writable));
        }

        Assert.Throws<InvalidFileFormatException>(() => ZarrArray.LevelPaths(image));
        Assert.Equal(foreignFiles, Snapshot(foreign));
    }

    [Fact]
    public void MetadataFilesThatAreLinks_AreRefused_AndLinkedGroupMembersAreNotListed()
    {
        var outsideMeta = _dir.File("meta.json");
        File.WriteAllText(outsideMeta, Nested);
        var path = _dir.File("m.zarr");
        Directory.CreateDirectory(path);
        File.CreateSymbolicLink(Path.Combine(path, ".zarray"), outsideMeta);
        var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(path));
        Assert.Contains("'.zarray' inside the store is a symbolic link", ex.Message, StringComparison.Ordinal);

        // A group whose only "array" is a link to one elsewhere: the link is not a member.
        var real = _dir.File("real.zarr");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, ".zarray"), Nested);
        var group = _dir.File("g.zarr");
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, ".zgroup"), """{"zarr_format": 2}""");
        Directory.CreateSymbolicLink(Path.Combine(group, "linked"), real);
        Directory.CreateDirectory(Path.Combine(group, "own"));
        File.CreateSymbolicLink(Path.Combine(group, "own", ".zarray"), Path.Combine(real, ".zarray"));
        var listing = Assert.Throws<ArgumentException>(() => ZarrArray.Open(group)).Message;
        Assert.Contains("with no arrays in it", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoNamedZattrsInAParentGroup_DoesNotStopAChildArrayFromOpening()
    {
        var group = _dir.File("p.zarr");
        Directory.CreateDirectory(Path.Combine(group, "child"));
        File.WriteAllText(Path.Combine(group, ".zgroup"), """{"zarr_format": 2}""");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(group, ".zattrs")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        File.WriteAllText(Path.Combine(group, "child", ".zarray"), Nested);
        var open = Task.Run(() =>
        {
            using var z = ZarrArray.Open(Path.Combine(group, "child"));
            return z.GetValue<ushort>(0, 0);
        });
        // A wait that times out means the open blocked on the parent's FIFO.
        Assert.Equal((ushort)0, await open.WaitAsync(TimeSpan.FromSeconds(20)));

        // Opened as an image, the FIFO is named as what it is.
        var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(group));
        Assert.Contains(".zattrs is a FIFO", ex.Message, StringComparison.Ordinal);
    }

    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
