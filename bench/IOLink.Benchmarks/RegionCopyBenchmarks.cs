using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace IOLink.Benchmarks;

/// <summary>
/// Region reads and layout-changing copies, each group beside its baselines in the same run: libc's memcpy of the
/// same bytes (the Ratio column), memcpy over the same runs (what the access pattern allows), Buffer.MemoryCopy, and
/// two threads of memcpy (what two cores allow). "1 thread" and "all cores" set <see cref="CopyParallelism"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class RegionCopyBenchmarks
{
    private const long RegionBytes = 256L * 256 * 64 * 2;
    private const long VolumeBytes = 256L * 256 * 256 * 2;

    private readonly RegionXu64 _region = new(new VectorXu64(128, 128, 200), new VectorXu64(256, 256, 64));
    private readonly RegionXu64 _tile = new(new VectorXu64(1000, 1000), new VectorXu64(16, 16));
    private ImageView _volume512 = null!;
    private ImageView _volume256 = null!;
    private ImageView _volume8 = null!;
    private ImageView _volumeFloat = null!;
    private ImageView _volume4d = null!;
    private ImageView _reversed16 = null!;
    private ImageView _reversed8 = null!;
    private ImageView _reversedFloat = null!;
    private ImageView _permuted4d = null!;
    private ImageView _image = null!;
    private byte[] _regionBuffer = null!;
    private byte[] _volumeBuffer = null!;
    private byte[] _floatBuffer = null!;
    private byte[] _tileBuffer = null!;
    private byte* _src;
    private byte* _dst;

    [GlobalSetup]
    public void Setup()
    {
        _volume512 = Filled(new VectorXu64(512, 512, 512), DataTypeId.UINT16);
        _volume256 = Filled(new VectorXu64(256, 256, 256), DataTypeId.UINT16);
        _volume8 = Filled(new VectorXu64(256, 256, 256), DataTypeId.UINT8);
        _volumeFloat = Filled(new VectorXu64(256, 256, 256), DataTypeId.FLOAT);
        _volume4d = Filled(new VectorXu64(8, 64, 64, 64), DataTypeId.UINT16);
        _image = Filled(new VectorXu64(8192, 8192), DataTypeId.UINT8);
        // All three axes reversed: view dimension 0 walks the slowest memory axis (a full transpose).
        _reversed16 = ImageViewFactory.ReinterpretAxes(_volume256, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        _reversed8 = ImageViewFactory.ReinterpretAxes(_volume8, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        _reversedFloat = ImageViewFactory.ReinterpretAxes(_volumeFloat, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        // A 4-D permutation: memory (8, 64, 64, 64) read as (64, 64, 8, 64) with the 8 channels interleaved differently.
        _permuted4d = ImageViewFactory.ReinterpretAxes(_volume4d, ImageDimension.CHANNEL, ImageDimension.COLUMN, ImageDimension.SLICE, ImageDimension.ROW);
        _regionBuffer = GC.AllocateArray<byte>((int)RegionBytes, pinned: true);
        _volumeBuffer = GC.AllocateArray<byte>((int)VolumeBytes, pinned: true);
        _floatBuffer = GC.AllocateArray<byte>((int)(2 * VolumeBytes), pinned: true);
        _tileBuffer = new byte[256];
        _src = (byte*)NativeMemory.AlignedAlloc((nuint)(2 * VolumeBytes), 64);
        _dst = (byte*)NativeMemory.AlignedAlloc((nuint)(2 * VolumeBytes), 64);
        new Span<byte>(_src, (int)(2 * VolumeBytes)).Fill(1);
        new Span<byte>(_dst, (int)(2 * VolumeBytes)).Fill(2);
    }

    private static ImageView Filled(VectorXu64 shape, DataTypeId type)
    {
        // Fault in every page so that the benchmarks measure copies, not first-touch page faults.
        var view = ImageViewFactory.Allocate(shape, type);
        new Span<byte>((void*)view.Buffer, (int)view.ByteCount).Fill(3);
        return view;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        CopyParallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        foreach (var view in new[] { _reversed16, _reversed8, _reversedFloat, _permuted4d, _volume512, _volume256, _volume8, _volumeFloat, _volume4d, _image })
        {
            view.Dispose();
        }

        NativeMemory.AlignedFree(_src);
        NativeMemory.AlignedFree(_dst);
    }

    private static void Threads(int n) => CopyParallelism.MaxDegreeOfParallelism = n == 0 ? Environment.ProcessorCount : n;

    /// <summary>The whole view into <paramref name="buffer"/> on <paramref name="threads"/> threads (0: all cores).</summary>
    private static void ReadAll(ImageView view, Span<byte> buffer, int threads)
    {
        Threads(threads);
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), buffer);
    }

    /// <summary>The region's 16384 runs of 512 bytes, each moved by <paramref name="copy"/> (destination, source, bytes).</summary>
    private void CopyRuns(delegate*<void*, void*, nuint, void> copy)
    {
        fixed (byte* d0 = _regionBuffer)
        {
            var d = d0;
            var volume = (byte*)_volume512.Buffer;
            for (var z = 0; z < 64; z++)
            {
                for (var y = 0; y < 256; y++)
                {
                    copy(d, volume + ((((((200L + z) * 512) + 128 + y) * 512) + 128) * 2), 512);
                    d += 512;
                }
            }
        }
    }

    private static void BufferCopy(void* destination, void* source, nuint count) => Buffer.MemoryCopy(source, destination, count, count);

    private void TwoThreadMemcpy(long bytes)
    {
        var half = bytes / 2;
        var s = (nint)_src;
        var d = (nint)_dst;
        Parallel.For(0, 2, h => Libc.Memcpy((byte*)d + (h * half), (byte*)s + (h * half), (nuint)half));
    }

    // --- a region of 16384 runs of 512 bytes out of a 512^3 UINT16 volume ------------------------------------

    [Benchmark(Baseline = true, Description = "libc memcpy 8 MiB")]
    [BenchmarkCategory("region")]
    public void RegionMemcpy() => Libc.Memcpy(_dst, _src, (nuint)RegionBytes);

    [Benchmark(Description = "Buffer.MemoryCopy 8 MiB")]
    [BenchmarkCategory("region")]
    public void RegionBufferCopy() => Buffer.MemoryCopy(_src, _dst, RegionBytes, RegionBytes);

    [Benchmark(Description = "libc memcpy of the 16384 runs")]
    [BenchmarkCategory("region")]
    public void RegionRunsMemcpy() => CopyRuns(&Libc.Memcpy);

    [Benchmark(Description = "Buffer.MemoryCopy of the 16384 runs")]
    [BenchmarkCategory("region")]
    public void RegionRunsBufferCopy() => CopyRuns(&BufferCopy);

    [Benchmark(Description = "ReadRegion 256x256x64 UINT16, 1 thread")]
    [BenchmarkCategory("region")]
    public void ReadRegionOneThread()
    {
        Threads(1);
        _volume512.ReadRegion(_region, _regionBuffer);
    }

    [Benchmark(Description = "ReadRegion 256x256x64 UINT16, all cores")]
    [BenchmarkCategory("region")]
    public void ReadRegionAllCores()
    {
        Threads(0);
        _volume512.ReadRegion(_region, _regionBuffer);
    }

    [Benchmark(Description = "libc memcpy 8 MiB, two threads")]
    [BenchmarkCategory("region")]
    public void RegionMemcpyTwoThreads() => TwoThreadMemcpy(RegionBytes);

    // --- full transposes of 256^3 UINT16 (32 MiB) ---------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "libc memcpy 32 MiB")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeMemcpy() => Libc.Memcpy(_dst, _src, (nuint)VolumeBytes);

    [Benchmark(Description = "libc memcpy 32 MiB, two threads")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeMemcpyTwoThreads() => TwoThreadMemcpy(VolumeBytes);

    [Benchmark(Description = "ReadRegion of the reversed view, 1 thread")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeReadOneThread()
        => ReadAll(_reversed16, _volumeBuffer, 1);

    [Benchmark(Description = "ReadRegion of the reversed view, all cores")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeReadAllCores()
        => ReadAll(_reversed16, _volumeBuffer, 0);

    [Benchmark(Description = "CopyInMemory of the reversed view, 1 thread")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeCopyOneThread()
    {
        Threads(1);
        using var copy = ImageViewFactory.CopyInMemory(_reversed16);
    }

    [Benchmark(Description = "CopyInMemory of the reversed view, all cores")]
    [BenchmarkCategory("transpose UINT16")]
    public void TransposeCopyAllCores()
    {
        Threads(0);
        using var copy = ImageViewFactory.CopyInMemory(_reversed16);
    }

    // --- the same transpose for 1- and 4-byte elements, and a 4-D permutation ---------------------------------

    [Benchmark(Baseline = true, Description = "libc memcpy 16 MiB")]
    [BenchmarkCategory("transpose UINT8")]
    public void Transpose8Memcpy() => Libc.Memcpy(_dst, _src, (nuint)(VolumeBytes / 2));

    [Benchmark(Description = "ReadRegion of the reversed UINT8 view, 1 thread")]
    [BenchmarkCategory("transpose UINT8")]
    public void Transpose8OneThread()
        => ReadAll(_reversed8, _volumeBuffer.AsSpan(0, (int)(VolumeBytes / 2)), 1);

    [Benchmark(Description = "ReadRegion of the reversed UINT8 view, all cores")]
    [BenchmarkCategory("transpose UINT8")]
    public void Transpose8AllCores()
        => ReadAll(_reversed8, _volumeBuffer.AsSpan(0, (int)(VolumeBytes / 2)), 0);

    [Benchmark(Baseline = true, Description = "libc memcpy 64 MiB")]
    [BenchmarkCategory("transpose FLOAT")]
    public void TransposeFloatMemcpy() => Libc.Memcpy(_dst, _src, (nuint)(2 * VolumeBytes));

    [Benchmark(Description = "ReadRegion of the reversed FLOAT view, 1 thread")]
    [BenchmarkCategory("transpose FLOAT")]
    public void TransposeFloatOneThread()
        => ReadAll(_reversedFloat, _floatBuffer, 1);

    [Benchmark(Description = "ReadRegion of the reversed FLOAT view, all cores")]
    [BenchmarkCategory("transpose FLOAT")]
    public void TransposeFloatAllCores()
        => ReadAll(_reversedFloat, _floatBuffer, 0);

    [Benchmark(Baseline = true, Description = "libc memcpy 4 MiB")]
    [BenchmarkCategory("permute 4-D UINT16")]
    public void Permute4dMemcpy() => Libc.Memcpy(_dst, _src, (nuint)_volume4d.ByteCount);

    [Benchmark(Description = "ReadRegion of the permuted 8x64x64x64 view, 1 thread")]
    [BenchmarkCategory("permute 4-D UINT16")]
    public void Permute4dOneThread()
        => ReadAll(_permuted4d, _volumeBuffer.AsSpan(0, (int)_volume4d.ByteCount), 1);

    [Benchmark(Description = "ReadRegion of the permuted 8x64x64x64 view, all cores")]
    [BenchmarkCategory("permute 4-D UINT16")]
    public void Permute4dAllCores()
        => ReadAll(_permuted4d, _volumeBuffer.AsSpan(0, (int)_volume4d.ByteCount), 0);

    // --- a 16x16 UINT8 tile out of an 8192^2 image: what tile viewers do millions of times ---------------------

    [Benchmark(Baseline = true, Description = "16 libc memcpys of 16 bytes")]
    [BenchmarkCategory("tile")]
    public void TileMemcpy()
    {
        fixed (byte* d = _tileBuffer)
        {
            var s = (byte*)_image.Buffer + (1000L * 8192) + 1000;
            for (var y = 0; y < 16; y++)
            {
                Libc.Memcpy(d + (y * 16), s + (y * 8192L), 16);
            }
        }
    }

    [Benchmark(Description = "ReadRegion of a 16x16 UINT8 tile")]
    [BenchmarkCategory("tile")]
    public void TileReadRegion() => _image.ReadRegion(_tile, _tileBuffer);
}

/// <summary>The C library's memcpy: the baseline every copy figure is read against.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", EntryPoint = "memcpy")]
    [SuppressGCTransition]
    private static partial void* MemcpyNative(void* destination, void* source, nuint count);

    public static void Memcpy(void* destination, void* source, nuint count) => MemcpyNative(destination, source, count);
}
