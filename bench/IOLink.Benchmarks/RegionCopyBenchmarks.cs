using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace IOLink.Benchmarks;

/// <summary>
/// Region reads and layout-changing copies against a memcpy of the same number of bytes, in the same run.
/// </summary>
[MemoryDiagnoser]
public unsafe class RegionCopyBenchmarks
{
    private ImageView _volume512 = null!;
    private ImageView _volume256 = null!;
    private ImageView _transposed = null!;
    private byte[] _regionBuffer = null!;
    private void* _src;
    private void* _dst;
    private readonly RegionXu64 _region = new(new VectorXu64(128, 128, 200), new VectorXu64(256, 256, 64));

    private const long RegionBytes = 256L * 256 * 64 * 2;
    private const long VolumeBytes = 256L * 256 * 256 * 2;

    [GlobalSetup]
    public void Setup()
    {
        _volume512 = ImageViewFactory.Allocate(new VectorXu64(512, 512, 512), DataTypeId.UINT16);
        _volume256 = ImageViewFactory.Allocate(new VectorXu64(256, 256, 256), DataTypeId.UINT16);
        Touch(_volume512);
        Touch(_volume256);
        // All three axes reversed in order: view dimension 0 walks the slowest memory axis (a full transpose).
        _transposed = ImageViewFactory.FromBuffer(_volume256.Buffer, VolumeBytes, new VectorXu64(256, 256, 256), DataTypeId.UINT16,
            [256L * 256 * 2, 256 * 2, 2]);
        _regionBuffer = GC.AllocateArray<byte>((int)RegionBytes, pinned: true);
        _src = NativeMemory.AlignedAlloc((nuint)VolumeBytes, 64);
        _dst = NativeMemory.AlignedAlloc((nuint)VolumeBytes, 64);
        new Span<byte>(_src, (int)VolumeBytes).Fill(1);
        new Span<byte>(_dst, (int)VolumeBytes).Fill(2);
    }

    private static void Touch(ImageView v)
    {
        // Fault in every page so the benchmark measures copies, not first-touch page faults.
        var plane = new byte[(int)(v.Shape[0] * v.Shape[1]) * v.DataType.ByteCount];
        plane.AsSpan().Fill(3);
        for (ulong z = 0; z < v.Shape[2]; z++)
        {
            v.WriteRegion(new RegionXu64(new VectorXu64(0, 0, z), new VectorXu64(v.Shape[0], v.Shape[1], 1)), plane);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transposed.Dispose();
        _volume512.Dispose();
        _volume256.Dispose();
        NativeMemory.AlignedFree(_src);
        NativeMemory.AlignedFree(_dst);
    }

    [Benchmark(Description = "memcpy 8 MiB (baseline for the region read)")]
    public void Memcpy8MiB() => Buffer.MemoryCopy(_src, _dst, RegionBytes, RegionBytes);

    [Benchmark(Description = "ReadRegion 256x256x64 UINT16 from 512^3")]
    public void ReadRegion() => _volume512.ReadRegion(_region, _regionBuffer);

    [Benchmark(Description = "memcpy 32 MiB (baseline for the transpose)")]
    public void Memcpy32MiB() => Buffer.MemoryCopy(_src, _dst, VolumeBytes, VolumeBytes);

    [Benchmark(Description = "CopyInMemory 256^3 UINT16, axes reversed")]
    public void CopyTransposed()
    {
        using var copy = ImageViewFactory.CopyInMemory(_transposed);
    }

    [Benchmark(Description = "element-by-element loop 256^3 UINT16, axes reversed")]
    public void NaiveTransposed()
    {
        var src = (byte*)_volume256.Buffer;
        var dst = (byte*)_dst;
        for (long z = 0; z < 256; z++)
        {
            for (long y = 0; y < 256; y++)
            {
                for (long x = 0; x < 256; x++)
                {
                    *(ushort*)(dst + (((((z * 256) + y) * 256) + x) * 2)) = *(ushort*)(src + (((((x * 256) + y) * 256) + z) * 2));
                }
            }
        }
    }
}
