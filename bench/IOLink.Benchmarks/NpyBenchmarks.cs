using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace IOLink.Benchmarks;

/// <summary>
/// .npy files: converting a 1 GiB raw file to .npy against <c>cp</c> (and File.Copy) of the same file, in the same
/// run (target at least 0.7 of cp); opening a 4 GiB .npy memory-mapped against a 4 KiB one (target within 2x), and
/// reading a header. Files live in the temp directory and are deleted after the run.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NpyBenchmarks
{
    private const long ConvertBytes = 1L << 30;
    private string _raw = null!;
    private string _out = null!;
    private string _small = null!;
    private string _large = null!;
    private ImageView _rawView = null!;
    private RandomAccess _rawAccess = null!;

    [GlobalSetup(Targets = [nameof(CopyWithCp), nameof(CopyWithFileCopy), nameof(ConvertRawToNpy)])]
    public void SetupConvert()
    {
        _raw = Temp("raw");
        _out = Temp("npy");
        var chunk = new byte[8 << 20];
        new Random(2).NextBytes(chunk);
        using (var fs = new FileStream(_raw, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
        {
            for (long done = 0; done < ConvertBytes; done += chunk.Length)
            {
                fs.Write(chunk);
            }
        }

        _rawAccess = RandomAccessFactory.OpenFileRead(_raw);
        _rawView = ImageViewFactory.FromRandomAccess(_rawAccess, 0, new VectorXu64(1024, 1024, 512), DataTypeId.UINT16);
        _rawView.Properties.AxesInterpretation = ImageTypeId.VOLUME;
    }

    [GlobalSetup(Targets = [nameof(OpenMapped4KiB), nameof(OpenMapped4GiB), nameof(ReadHeader4GiB)])]
    public void SetupOpen()
    {
        _small = Temp("npy");
        _large = Temp("npy");
        using (var v = ImageViewFactory.Allocate(new VectorXu64(32, 32, 2), DataTypeId.UINT16))
        {
            NpyFile.Write(v, _small);
        }

        // A 4 GiB file: a version 1.0 header padded to 128 bytes, then a sparse data part of the size it promises.
        var dict = "{'descr': '<u2', 'fortran_order': False, 'shape': (2048, 1024, 1024), }";
        var header = new byte[128];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }.CopyTo(header, 0);
        header[6] = 1;
        BitConverter.TryWriteBytes(header.AsSpan(8, 2), (ushort)(128 - 10));
        System.Text.Encoding.Latin1.GetBytes(dict).CopyTo(header, 10);
        header.AsSpan(10 + dict.Length, 128 - 11 - dict.Length).Fill((byte)' ');
        header[127] = (byte)'\n';
        using var fs = new FileStream(_large, FileMode.Create);
        fs.Write(header);
        fs.SetLength(128 + (4L << 30));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawView?.Dispose();
        _rawAccess?.Dispose();
        foreach (var f in new[] { _raw, _out, _small, _large })
        {
            if (f is not null && File.Exists(f))
            {
                File.Delete(f);
            }
        }
    }

    private static string Temp(string ext) => Path.Combine(Path.GetTempPath(), $"iolink-bench-{Guid.NewGuid():N}.{ext}");

    [Benchmark(Baseline = true, Description = "cp 1 GiB (baseline)")]
    [BenchmarkCategory("convert")]
    public void CopyWithCp()
    {
        using var p = Process.Start("cp", [_raw, _out])!;
        p.WaitForExit();
    }

    [Benchmark(Description = "File.Copy 1 GiB")]
    [BenchmarkCategory("convert")]
    public void CopyWithFileCopy() => File.Copy(_raw, _out, overwrite: true);

    [Benchmark(Description = "NpyFile.Write of a 1 GiB raw file view")]
    [BenchmarkCategory("convert")]
    public void ConvertRawToNpy() => NpyFile.Write(_rawView, _out);

    [Benchmark(Baseline = true, Description = "OpenMapped 4 KiB .npy (baseline)")]
    [BenchmarkCategory("open")]
    public void OpenMapped4KiB()
    {
        using var v = NpyFile.OpenMapped(_small);
    }

    [Benchmark(Description = "OpenMapped 4 GiB .npy")]
    [BenchmarkCategory("open")]
    public void OpenMapped4GiB()
    {
        using var v = NpyFile.OpenMapped(_large);
    }

    [Benchmark(Description = "ReadHeader 4 GiB .npy")]
    [BenchmarkCategory("open")]
    public NpyHeader ReadHeader4GiB() => NpyFile.ReadHeader(_large);
}
