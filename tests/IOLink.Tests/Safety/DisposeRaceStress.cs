using IOLink.Tests.DataAccess;

namespace IOLink.Tests.Safety;

/// <summary>
/// Dispose-while-reading races for every data source a view can stand on: several threads read and check every
/// byte while another disposes the view (or the access) at a random moment; each read either returns exactly the
/// right bytes or throws ObjectDisposedException. The suite runs each race for a second;
/// <c>./build.sh stress SECONDS</c> runs them for longer (IOLINK_STRESS_SECONDS).
/// </summary>
[Trait("Category", "Stress")]
public sealed class DisposeRaceStress
{
    private const int Side = 64;

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("IOLINK_STRESS_SECONDS"), out var s) ? s : 1);

    private static byte[] Pattern()
    {
        var bytes = new byte[Side * Side * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7) + (i >> 8));
        }

        return bytes;
    }

    /// <summary>
    /// Copies large enough to run on several threads (a full-volume transpose and a plain region, 8 MiB each) while
    /// the view is disposed: every copy either returns exactly the right bytes or throws ObjectDisposedException;
    /// the memory lives until the last thread of the last copy is done with it. The readers spin on thread-pool
    /// threads, so the pool has no thread to spare for the copies' parts nor for the test's own timer: copies split
    /// with Parallel.For stalled here; parts claimed by whichever thread comes first never do.
    /// </summary>
    [Fact]
    public async Task ThreadedCopiesRacingDispose_GiveRightBytesOrObjectDisposed()
    {
        const int side = 128;
        var shape = new VectorXu64(side * 2, side, side);          // 8 MiB of UINT16
        var region = RegionXu64.CreateFullRegion(new VectorXu64(side, side, side * 2));
        var deadline = DateTime.UtcNow + Duration;
        long copies = 0;
        var rounds = 0;
        var random = new Random(11);
        byte[]? expected = null;
        while (DateTime.UtcNow < deadline || rounds < 3)
        {
            var view = ImageViewFactory.Allocate(shape, DataTypeId.UINT16);
            var fill = new byte[view.ByteCount];
            new Random(3).NextBytes(fill);
            view.WriteRegion(RegionXu64.CreateFullRegion(shape), fill);
            var reversed = ImageViewFactory.ReinterpretAxes(view, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
            if (expected is null)
            {
                using var reference = ImageViewFactory.CopyInMemory(reversed);
                expected = new byte[reference.ByteCount];
                reference.ReadRegion(region, expected);
            }

            var target = expected;
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                var buffer = new byte[target.Length];
                long done = 0;
                try
                {
                    while (true)
                    {
                        reversed.ReadRegion(region, buffer);
                        Assert.True(target.AsSpan().SequenceEqual(buffer), "a threaded copy racing Dispose read wrong bytes");
                        done++;
                    }
                }
                catch (ObjectDisposedException)
                {
                    return done;
                }
            })).ToArray();
            await Task.Delay(random.Next(1, 20));
            reversed.Dispose();
            view.Dispose();
            foreach (var reader in readers)
            {
                copies += await reader;
            }

            rounds++;
        }

        Assert.True(copies > 0, "no copy finished before its view was disposed");
    }

    public static TheoryData<string> Sources => ["memory", "file", "mapped", "npy", "npy-mapped", "derived-file"];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task DisposingUnderReaders_GivesRightBytesOrObjectDisposed(string source)
    {
        var pattern = Pattern();
        using var file = TempFile.With(pattern);
        using var npy = new TempFile(".npy");
        using (var template = ImageViewFactory.FromArray(pattern, new VectorXu64(Side * 2, Side), DataTypeId.UINT8))
        {
            NpyFile.Write(template, npy.Path);
        }

        var deadline = DateTime.UtcNow + Duration;
        var rounds = 0;
        long checkedReads = 0;
        var random = new Random(source.GetHashCode(StringComparison.Ordinal));
        while (DateTime.UtcNow < deadline)
        {
            var (view, owner) = Open(source, pattern, file.Path, npy.Path);
            var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                var buffer = new byte[pattern.Length];
                long reads = 0;
                try
                {
                    while (true)
                    {
                        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), buffer);
                        Assert.Equal(pattern, buffer);
                        reads++;
                    }
                }
                catch (ObjectDisposedException)
                {
                    return reads;
                }
            })).ToArray();
            await Task.Delay(random.Next(0, 3));
            view.Dispose();
            owner?.Dispose();
            foreach (var reader in readers)
            {
                checkedReads += await reader;
            }

            rounds++;
        }

        // Races that always disposed before the first read would prove nothing.
        Assert.True(rounds > 0 && checkedReads > 0, $"{rounds} rounds, {checkedReads} checked reads");
    }

    private static (ImageView View, IDisposable? Owner) Open(string source, byte[] pattern, string raw, string npy)
    {
        var shape = new VectorXu64(Side * 2, Side);
        switch (source)
        {
            case "memory":
                var view = ImageViewFactory.Allocate(shape, DataTypeId.UINT8);
                view.WriteRegion(RegionXu64.CreateFullRegion(shape), pattern);
                return (view, null);
            case "file":
                var access = RandomAccessFactory.OpenFileRead(raw);
                return (ImageViewFactory.FromRandomAccess(access, 0, shape, DataTypeId.UINT8), access);
            case "mapped":
                var mapped = RandomAccessFactory.MapFile(raw);
                return (ImageViewFactory.FromRandomAccess(mapped, 0, shape, DataTypeId.UINT8), mapped);
            case "npy":
                return (NpyFile.Read(npy), null);
            case "npy-mapped":
                return (NpyFile.OpenMapped(npy), null);
            default:
                // A view computed on access from a file-backed parent, the parent disposed first.
                var onFile = RandomAccessFactory.OpenFileRead(raw);
                var parent = ImageViewFactory.FromRandomAccess(onFile, 0, shape, DataTypeId.UINT8);
                var derived = ImageViewFactory.MakeReadOnly(parent);
                parent.Dispose();
                return (derived, onFile);
        }
    }

    [Fact]
    public async Task DisposingAStreamUnderItsReaders_GivesDataOrObjectDisposed()
    {
        var deadline = DateTime.UtcNow + Duration;
        var pattern = Pattern();
        while (DateTime.UtcNow < deadline)
        {
            var access = StreamAccessFactory.Allocate();
            access.Write(pattern);
            access.Seek(0, SeekOrigin.Begin);
            var reader = Task.Run(() =>
            {
                var one = new byte[1];
                try
                {
                    for (var i = 0; access.Read(one) == 1; i++)
                    {
                        Assert.Equal(pattern[i], one[0]);
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            });
            await Task.Yield();
            access.Dispose();
            await reader;
        }
    }
}
