using IOLink.Memory;

namespace IOLink.Tests.Memory;

/// <summary>The one lifetime mechanism: references never revive a released count, and the resource is freed exactly once.</summary>
public sealed class RefCountedTests
{
    private sealed class Counted : RefCounted
    {
        public int Frees { get; private set; }

        protected override void Free() => Frees++;
    }

    [Fact]
    public void LastRelease_FreesOnce()
    {
        var c = new Counted();
        c.AddReference("Thing");
        c.Release();
        Assert.Equal(0, c.Frees);
        Assert.False(c.IsReleased);
        c.Release();
        Assert.Equal(1, c.Frees);
        Assert.True(c.IsReleased);
    }

    [Fact]
    public void AReleasedCount_IsNeverRevived()
    {
        var c = new Counted();
        c.Release();
        Assert.False(c.TryAddReference());
        var ex = Assert.Throws<ObjectDisposedException>(() => c.AddReference("ImageView"));
        Assert.Equal("ImageView", ex.ObjectName);
        Assert.Contains("has been released", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => c.Lease("ImageView"));
        Assert.Equal(1, c.Frees);
    }

    [Fact]
    public void ReleasingTooOften_IsCaught()
    {
        var c = new Counted();
        c.Release();
        Assert.Throws<InvalidOperationException>(c.Release);
        Assert.Equal(1, c.Frees);
    }

    [Fact]
    public void Lease_HoldsUntilDisposed()
    {
        var c = new Counted();
        var lease = c.Lease("Thing");
        c.Release();
        Assert.Equal(0, c.Frees);
        lease.Dispose();
        Assert.Equal(1, c.Frees);
    }

    [Fact]
    public async Task RacingAddAndRelease_FreeExactlyOnce()
    {
        for (var round = 0; round < 200; round++)
        {
            var c = new Counted();
            var takers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    if (!c.TryAddReference())
                    {
                        return;
                    }

                    c.Release();
                }
            })).ToArray();
            c.Release();
            await Task.WhenAll(takers);
            Assert.Equal(1, c.Frees);
            Assert.False(c.TryAddReference());
        }
    }
}
