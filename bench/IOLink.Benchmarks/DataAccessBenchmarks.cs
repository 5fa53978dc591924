using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Win32.SafeHandles;

namespace IOLink.Benchmarks;

/// <summary>
/// Data access against plain .NET file I/O in the same run: copying a 1 GiB file through StreamAccess adapters
/// against <see cref="FileStream"/> (target ratio at least 0.95), and reading a 256x256x64 UINT16 region of a
/// file-backed 512^3 view against <see cref="System.IO.RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/> of the
/// same rows (target at least 0.8). Files live in the temp directory and are deleted after the run.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DataAccessBenchmarks
{
    private const long CopyBytes = 1L << 30;
    private const int N = 512;
    private const int RX = 256, RY = 256, RZ = 64;
    private const int OX = 128, OY = 128, OZ = 200;

    private string _copyPath = null!;
    private string _volumePath = null!;
    private RandomAccess _volumeAccess = null!;
    private ImageView _volume = null!;
    private SafeFileHandle _volumeHandle = null!;
    private byte[] _regionBuffer = null!;
    private readonly RegionXu64 _region = new(new VectorXu64(OX, OY, OZ), new VectorXu64(RX, RY, RZ));

    [GlobalSetup(Targets = [nameof(CopyFileStream), nameof(CopyStreamAccess), nameof(CopyFromStreamAccess)])]
    public void SetupCopy()
    {
        _copyPath = Path.Combine(Path.GetTempPath(), $"iolink-bench-{Guid.NewGuid():N}.bin");
        WriteFile(_copyPath, CopyBytes);
    }

    [GlobalSetup(Targets = [nameof(RegionRandomAccessRead), nameof(RegionFileView), nameof(RegionContiguousRead)])]
    public void SetupRegion()
    {
        _volumePath = Path.Combine(Path.GetTempPath(), $"iolink-bench-{Guid.NewGuid():N}.raw");
        WriteFile(_volumePath, 2L * N * N * N);
        _volumeAccess = RandomAccessFactory.OpenFileRead(_volumePath);
        _volume = ImageViewFactory.FromRandomAccess(_volumeAccess, 0, new VectorXu64(N, N, N), DataTypeId.UINT16);
        _volumeHandle = File.OpenHandle(_volumePath);
        _regionBuffer = GC.AllocateArray<byte>(RX * RY * RZ * 2, pinned: true);
    }

    /// <summary>Writes real (non-sparse) bytes so reads come from the page cache, not from holes.</summary>
    private static void WriteFile(string path, long bytes)
    {
        var chunk = new byte[8 << 20];
        new Random(1).NextBytes(chunk);
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        for (long done = 0; done < bytes; done += chunk.Length)
        {
            fs.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - done));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _volume?.Dispose();
        _volumeAccess?.Dispose();
        _volumeHandle?.Dispose();
        foreach (var path in new[] { _copyPath, _volumePath })
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    [Benchmark(Baseline = true, Description = "FileStream.CopyTo 1 GiB")]
    [BenchmarkCategory("Copy 1 GiB")]
    public void CopyFileStream()
    {
        using var fs = new FileStream(_copyPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        fs.CopyTo(Stream.Null);
    }

    [Benchmark(Description = "StreamAccessFactory.OpenFileRead(..).AsStream().CopyTo 1 GiB")]
    [BenchmarkCategory("Copy 1 GiB")]
    public void CopyStreamAccess()
    {
        using var access = StreamAccessFactory.OpenFileRead(_copyPath);
        using var stream = access.AsStream();
        stream.CopyTo(Stream.Null);
    }

    [Benchmark(Description = "StreamAccessFactory.FromStream(FileStream).AsStream().CopyTo 1 GiB")]
    [BenchmarkCategory("Copy 1 GiB")]
    public void CopyFromStreamAccess()
    {
        var fs = new FileStream(_copyPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        using var access = StreamAccessFactory.FromStream(fs, leaveOpen: false);
        using var stream = access.AsStream();
        stream.CopyTo(Stream.Null);
    }

    [Benchmark(Baseline = true, Description = "System.IO.RandomAccess.Read of the region's 16384 rows")]
    [BenchmarkCategory("Region 256x256x64 UINT16 of 512^3 on file")]
    public void RegionRandomAccessRead()
    {
        var dst = _regionBuffer.AsSpan();
        const int row = RX * 2;
        for (long z = 0; z < RZ; z++)
        {
            for (long y = 0; y < RY; y++)
            {
                var offset = ((((OZ + z) * N) + OY + y) * N + OX) * 2;
                System.IO.RandomAccess.Read(_volumeHandle, dst[..row], offset);
                dst = dst[row..];
            }
        }
    }

    [Benchmark(Description = "ImageView.ReadRegion on a FromRandomAccess(OpenFileRead) view")]
    [BenchmarkCategory("Region 256x256x64 UINT16 of 512^3 on file")]
    public void RegionFileView() => _volume.ReadRegion(_region, _regionBuffer);

    [Benchmark(Description = "System.IO.RandomAccess.Read of 8 MiB contiguous (lower bound, not the same bytes)")]
    [BenchmarkCategory("Region 256x256x64 UINT16 of 512^3 on file")]
    public void RegionContiguousRead() => System.IO.RandomAccess.Read(_volumeHandle, _regionBuffer, 0);
}
