using System.Globalization;
using System.Runtime.InteropServices;
using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// Two processes on one store, as the README's consistency model promises: zarr-python writes chunks 0-3 over and
/// over with a rising value while IOLink writes chunks 4-7 the same way, and each reads the other's chunks all along.
/// Every chunk read is whole (one value throughout: writes replace chunk files by renaming, never in place), a chunk's
/// value never goes back (no stale cached chunk is served after a newer one was seen), and at the end each side reads
/// the other's last values. The suite runs it for 2 seconds; <c>./build.sh stress SECONDS</c> for longer.
/// </summary>
[Trait("Category", "Stress")]
public sealed class ZarrTwoProcessStress : IDisposable
{
    private const int Side = 64;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static double Seconds =>
        double.TryParse(Environment.GetEnvironmentVariable("IOLINK_STRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 2;

    [Fact]
    public async Task ChunksAreWholeAndNeverGoBack_WhileZarrPythonAndIOLinkWriteAndReadOneStore()
    {
        var path = _dir.File("shared.zarr");
        NumpyProcess.Run($"import zarr; zarr.open(r'{path}', mode='w', shape=(8, {Side}, {Side}), chunks=(1, {Side}, {Side}), dtype='<u2', compressor=None)", "numpy, zarr");

        var python = Task.Run(() => NumpyProcess.Run($$"""
            import time, zarr, numpy as np
            z = zarr.open(r'{{path}}', mode='r+')
            seen = [0] * 8
            k, end = 0, time.monotonic() + {{Seconds.ToString(CultureInfo.InvariantCulture)}}
            while time.monotonic() < end:
                k += 1
                for c in range(4):
                    z[c] = k
                for c in range(4, 8):
                    chunk = z[c]
                    v = int(chunk.flat[0])
                    assert (chunk == v).all(), "zarr-python read a torn chunk %d" % c
                    assert v >= seen[c], "chunk %d went back from %d to %d" % (c, seen[c], v)
                    seen[c] = v
            print(k)
            """, "numpy, zarr"));

        using var z = ZarrArray.Open(path, true, ImageTypeId.VOLUME);     // (X, Y, chunk)
        var seen = new ushort[8];
        var plane = new ushort[Side * Side];
        var k = 0;
        var rounds = 0;
        while (!python.IsCompleted)
        {
            k++;
            Array.Fill(plane, (ushort)k);
            for (ulong c = 4; c < 8; c++)
            {
                z.WriteRegion(new RegionXu64(new VectorXu64(0, 0, c), new VectorXu64(Side, Side, 1)), MemoryMarshal.AsBytes(plane.AsSpan()));
            }

            for (ulong c = 0; c < 4; c++)
            {
                Check(z, c, seen);
            }

            rounds++;
        }

        var pythonLast = ushort.Parse((await python).Trim(), CultureInfo.InvariantCulture);
        Assert.True(rounds > 1 && pythonLast > 1, $"the two writers overlapped too little ({rounds} and {pythonLast} rounds)");
        for (ulong c = 0; c < 8; c++)
        {
            Check(z, c, seen);
            Assert.Equal(c < 4 ? pythonLast : (ushort)k, seen[c]);
        }

        var back = NumpyProcess.Run($"import zarr; z = zarr.open(r'{path}', mode='r'); print(int(z[4:].min()), int(z[4:].max()))", "numpy, zarr");
        Assert.Equal($"{k} {k}", back.Trim());
    }

    /// <summary>Reads chunk <paramref name="c"/>: one value throughout, never below the last one seen.</summary>
    private static void Check(ZarrArray z, ulong c, ushort[] seen)
    {
        var plane = new ushort[Side * Side];
        z.ReadRegion(new RegionXu64(new VectorXu64(0, 0, c), new VectorXu64(Side, Side, 1)), MemoryMarshal.AsBytes(plane.AsSpan()));
        var v = plane[0];
        Assert.True(Array.TrueForAll(plane, x => x == v), $"IOLink read a torn chunk {c}");
        Assert.True(v >= seen[c], $"chunk {c} went back from {seen[c]} to {v}");
        seen[c] = v;
    }
}
