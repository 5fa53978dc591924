using IOLink.Files;

namespace IOLink.PublicApi.Tests;

/// <summary>The helpers a format outside IOLink writes with, through their public names only.</summary>
public sealed unsafe class StorageHelperTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-helpers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Leftovers() => Directory.GetFileSystemEntries(_dir, ".iolink-*");

    [Fact]
    public void WriteFolder_MovesACompleteFolderIntoPlace_AndReplacesOnlyWhenAsked()
    {
        var target = Path.Combine(_dir, "store");
        OutputFile.WriteFolder(target, replaceExisting: false, temp => File.WriteAllText(Path.Combine(temp, "a"), "1"));
        Assert.Equal("1", File.ReadAllText(Path.Combine(target, "a")));

        var error = Assert.Throws<IOException>(() => OutputFile.WriteFolder(target, replaceExisting: false, _ => Assert.Fail("not called")));
        Assert.Contains("exists", error.Message, StringComparison.Ordinal);

        OutputFile.WriteFolder(target, replaceExisting: true, temp => File.WriteAllText(Path.Combine(temp, "b"), "2"));
        Assert.Equal(["b"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void WriteFolder_LeavesNothingBehind_WhenTheWriteFails()
    {
        var target = Path.Combine(_dir, "store");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "kept"), "old");
        string? seen = null;
        Assert.Throws<InvalidDataException>(() => OutputFile.WriteFolder(target, replaceExisting: true, temp =>
        {
            seen = temp;
            File.WriteAllText(Path.Combine(temp, "half"), "new");
            throw new InvalidDataException("the source ended early");
        }));
        Assert.NotNull(seen);
        Assert.False(Directory.Exists(seen));
        Assert.Empty(Leftovers());
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "kept")));    // the old folder is untouched
    }

    [Fact]
    public void WriteFolder_RefusesAFileOrAMissingParent_NamingTheUsersPath()
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<IOException>(() => OutputFile.WriteFolder(file, replaceExisting: true, _ => { }));
        Assert.Contains("'" + file + "' is a regular file", error.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => OutputFile.WriteFolder(Path.Combine(_dir, "no", "store"), false, _ => { }));
        Assert.Equal("x", File.ReadAllText(file));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void FileProbe_TellsWhatAPathNames_WithoutFollowingALastLink()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        var link = Path.Combine(_dir, "l");
        File.CreateSymbolicLink(link, file);
        Assert.Equal(FileKind.Regular, FileProbe.Kind(file, followLinks: false));
        Assert.Equal(FileKind.SymbolicLink, FileProbe.Kind(link, followLinks: false));
        Assert.Equal(FileKind.Regular, FileProbe.Kind(link, followLinks: true));
        Assert.Equal(FileKind.Missing, FileProbe.Kind(Path.Combine(_dir, "none"), followLinks: false));
        var stamp = FileProbe.Stamp(file);
        Assert.Equal(1, stamp!.Value.Size);
        var replaced = OutputFile.ReplaceEntry(file, "yz"u8);
        Assert.NotEqual(stamp, replaced);                                   // a replaced file has a new stamp
        Assert.Equal(replaced, FileProbe.Stamp(file));
        Assert.Equal(2, replaced.Size);
    }

    [Fact]
    public void RunParts_RunsEachPartOnce_AndRethrowsTheFirstFailureUnwrapped()
    {
        var runs = new int[100];
        CopyParallelism.RunParts(100, i => Interlocked.Increment(ref runs[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
        CopyParallelism.RunParts(0, _ => Assert.Fail("no parts"));
        var error = Assert.Throws<IOException>(() => CopyParallelism.RunParts(8, i => throw new IOException($"part {i}")));
        Assert.StartsWith("part ", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => CopyParallelism.RunParts(1, null!));
    }

    [Fact]
    public void DangerousCopy_TransposesAndFills_AndChecksItsArguments()
    {
        var source = new ushort[] { 1, 2, 3, 4, 5, 6 };                          // 3 x 2, first dimension fastest
        var result = new ushort[6];
        fixed (ushort* s = source, d = result)
        {
            StridedMemory.DangerousCopy((byte*)s, [2, 6], (byte*)d, [4, 2], [3, 2], DataTypeId.UINT16);
            Assert.Equal(new ushort[] { 1, 4, 2, 5, 3, 6 }, result);
            StridedMemory.DangerousCopy((byte*)s, [0, 0], (byte*)d, [2, 6], [3, 2], DataTypeId.UINT16);
            Assert.All(result, v => Assert.Equal(1, v));
        }

        var (src, dst) = ((nint)0, (nint)0);                                 // refused before any memory is touched
        Assert.Throws<ArgumentException>(() => StridedMemory.DangerousCopy((byte*)src, [2], (byte*)dst, [2, 6], [3, 2], DataTypeId.UINT16));
        Assert.Throws<ArgumentException>(() => StridedMemory.DangerousCopy((byte*)src, [2, 6], (byte*)dst, [2, 6], [3, -2], DataTypeId.UINT16));

        Assert.Equal([2L, 6L, 24L], StridedMemory.DenseByteStrides([3, 4, 5], 2));
        Assert.Equal([40L, 10L, 2L], StridedMemory.DenseByteStrides([3, 4, 5], 2, cOrder: true));
        Assert.Throws<ArgumentException>(() => StridedMemory.DenseByteStrides([long.MaxValue, 4], 2));
    }

    [Fact]
    public void RegionSlabs_For_ChecksItsArguments()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(4, 4, 4), DataTypeId.UINT8);
        Assert.Equal(64, RegionSlabs.For(view, 1 << 20).MaxByteCount);
        Assert.Throws<ArgumentNullException>(() => RegionSlabs.For(null!, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionSlabs.For(view, 0));
    }
}
