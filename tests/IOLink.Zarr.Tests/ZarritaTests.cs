using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// zarrita, a second and independent Zarr v3 implementation (JavaScript, on Node.js), against IOLink: it reads the
/// v3 arrays IOLink writes, sharded or not, and IOLink reads the arrays it writes. <c>./build.sh test</c> installs it
/// with npm into artifacts/zarrita (pinned versions); zarrita.mjs is the script that drives it.
/// </summary>
public sealed class ZarritaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs zarrita.mjs from a folder whose node_modules is the installed zarrita's, and returns its JSON output.</summary>
    private JsonElement Zarrita(string mode, string path)
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "IOLink.slnx")))
        {
            repo = Path.GetDirectoryName(repo.TrimEnd('/')) ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        var modules = Path.Combine(repo, "artifacts", "zarrita", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "zarrita")),
            $"zarrita is not installed in {modules}; ./build.sh test installs it (npm install --prefix artifacts/zarrita zarrita@0.7.5 @zarrita/storage@0.2.0).");
        var runner = _dir.File("runner");
        if (!Directory.Exists(runner))
        {
            Directory.CreateDirectory(runner);
            File.CreateSymbolicLink(Path.Combine(runner, "node_modules"), modules);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "zarrita", "zarrita.mjs"), Path.Combine(runner, "zarrita.mjs"));
        }

        using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(runner, "zarrita.mjs"), mode, path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        Assert.True(node.WaitForExit(120_000), "zarrita did not finish in 2 minutes");
        Assert.True(node.ExitCode == 0, $"zarrita failed ({node.ExitCode}): {error.Result}");
        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }

    private static ImageView Volume(DataTypeId type, VectorXu64 shape)
    {
        var view = ImageViewFactory.Allocate(shape, type, new ImageProperties(ImageTypeId.VOLUME));
        var n = (int)(shape[0] * shape[1] * shape[2]);
        var bytes = type == DataTypeId.UINT16
            ? MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(i => (ushort)(i * 7919)).ToArray().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(i => (i * 0.25f) - 3).ToArray().AsSpan()).ToArray();
        view.WriteRegion(RegionXu64.CreateFullRegion(shape), bytes);
        return view;
    }

    [Theory]
    [InlineData(DataTypeId.UINT16, ZarrCodec.Zstd, false)]
    [InlineData(DataTypeId.UINT16, ZarrCodec.Zstd, true)]
    [InlineData(DataTypeId.FLOAT, ZarrCodec.Gzip, true)]
    [InlineData(DataTypeId.UINT16, ZarrCodec.BloscLz4, false)]
    [InlineData(DataTypeId.FLOAT, ZarrCodec.None, false)]
    public void ZarritaReads_WhatIOLinkWrites(DataTypeId type, ZarrCodec codec, bool sharded)
    {
        using var source = Volume(type, new VectorXu64(23, 14, 9));
        var path = _dir.File($"{type}-{codec}-{sharded}.zarr");
        ZarrArray.Write(source, path, new ZarrOptions
        {
            Chunks = new VectorXu64(12, 8, 4), Shards = sharded ? new VectorXu64(24, 16, 8) : (VectorXu64?)null, Codec = codec,
        });
        var read = Zarrita("read", path);
        Assert.Equal([9, 14, 23], read.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([4, 8, 12], read.GetProperty("chunks").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(type == DataTypeId.UINT16 ? "uint16" : "float32", read.GetProperty("dtype").GetString());
        var bytes = new byte[source.ByteCount];
        source.ReadRegion(RegionXu64.CreateFullRegion(source.Shape), bytes);
        var expected = type == DataTypeId.UINT16
            ? MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(v => (double)v)
            : MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(v => (double)v);
        Assert.Equal(expected, read.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void IOLinkReads_WhatZarritaWrites()
    {
        var folder = _dir.File("written.zarr");
        Directory.CreateDirectory(folder);
        var made = Zarrita("write", folder);
        foreach (var array in made.EnumerateObject())
        {
            using var view = ZarrArray.Open(Path.Combine(folder, array.Name));
            Assert.Equal(ZarrFormat.V3, view.Format);
            var shape = array.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            Assert.Equal(shape, view.ArrayShape);
            var bytes = new byte[view.ByteCount];
            view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
            // Rule 1: the view keeps the array's axis order, its first dimension fastest; compare in C order.
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = array.Value.GetProperty("dtype").GetString() switch
            {
                "uint16" => MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                "uint8" => bytes.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                "int64" => MemoryMarshal.Cast<byte, long>(bytes).ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                _ => MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            };
            var inC = new string[count];
            for (var i = 0; i < count; i++)
            {
                // View element i (first dimension fastest) is the array element whose coordinates it spells.
                var rest = i;
                var c = 0;
                for (var d = 0; d < shape.Length; d++)
                {
                    var coordinate = rest % (int)shape[d];
                    rest /= (int)shape[d];
                    c += coordinate * CStride(shape, d);
                }

                inC[c] = values[i];
            }

            var written = array.Value.GetProperty("data").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var rows = array.Value.GetProperty("rows").GetInt32();
            Assert.Equal(written, inC[..written.Length]);
            // Rows zarrita never wrote are missing chunks: the fill value, 0.
            Assert.All(inC[written.Length..], v => Assert.Equal("0", v));
            Assert.True(rows <= shape[0]);
        }
    }

    private static int CStride(long[] shape, int axis)
    {
        var stride = 1;
        for (var a = shape.Length - 1; a > axis; a--)
        {
            stride *= (int)shape[a];
        }

        return stride;
    }
}
