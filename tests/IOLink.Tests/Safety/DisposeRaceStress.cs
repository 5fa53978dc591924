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
