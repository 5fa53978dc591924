using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using IOLink.Tensors;

namespace IOLink.Benchmarks;

/// <summary>
/// Export (view to tensor span) and import (tensor to view) are pointer and stride bookkeeping: their cost must
/// not depend on the data size. Each runs at 1 KiB and 1 GiB of FLOAT data shaped as a VOLUME; the baseline is a
/// bare TensorSpan constructor over the same memory.
/// </summary>
[MemoryDiagnoser]
public unsafe class TensorInteropBenchmarks
{
    private ImageView _volume = null!;
    private Tensor<float> _tensor = null!;
    private nint[] _lengths = null!;
    private nint[] _strides = null!;
    private nint _flattened;

    /// <summary>Data size in bytes: 1 KiB and 1 GiB.</summary>
    [Params(1024L, 1L << 30)]
    public long Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // (X, Y, Z) = (n, n, depth) floats: 8 x 8 x 4 for 1 KiB, 1024 x 1024 x 256 for 1 GiB.
        var (n, depth) = Bytes == 1024 ? (8L, 4L) : (1024L, 256L);
        _volume = ImageViewFactory.Allocate(new VectorXu64((ulong)n, (ulong)n, (ulong)depth), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME));
        _lengths = [(nint)depth, (nint)n, (nint)n];
        _strides = [(nint)(n * n), (nint)n, 1];
        _flattened = (nint)(n * n * depth);
        _tensor = Tensor.Create(GC.AllocateUninitializedArray<float>((int)_flattened), _lengths);
    }

    [GlobalCleanup]
    public void Cleanup() => _volume.Dispose();

    [Benchmark(Baseline = true, Description = "new TensorSpan(pointer, lengths, strides)")]
    public nint BareTensorSpan() => new TensorSpan<float>((float*)_volume.Buffer, _flattened, _lengths, _strides).FlattenedLength;

    [Benchmark(Description = "ToTensorSpan (rule 6)")]
    public nint Export() => TensorInterop.ToTensorSpan<float>(_volume).FlattenedLength;

    [Benchmark(Description = "ToReadOnlyTensorSpan (rule 6)")]
    public nint ExportReadOnly() => TensorInterop.ToReadOnlyTensorSpan<float>(_volume).FlattenedLength;

    [Benchmark(Description = "FromTensor + Dispose (rule 1)")]
    public int Import()
    {
        using var view = TensorInterop.FromTensor(_tensor);
        return view.DimensionCount;
    }

    [Benchmark(Description = "FromTensor as VOLUME + Dispose (rule 2)")]
    public int ImportAsVolume()
    {
        using var view = TensorInterop.FromTensor(_tensor, ImageTypeId.VOLUME);
        return view.DimensionCount;
    }
}
