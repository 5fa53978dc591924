using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// Dask's distributed scheduler computing on an array IOLink wrote: a real <c>distributed.LocalCluster</c> of two
/// worker processes, started and closed by the test, each worker reading chunks from the store itself.
/// </summary>
public sealed class DaskTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(ZarrCodec.Zstd)]
    [InlineData(ZarrCodec.BloscLz4)]
    public void DistributedCluster_ComputesOnAnArrayIOLinkWrote(ZarrCodec codec)
    {
        var path = _dir.File("ct.zarr");
        using (var v = ImageViewFactory.Allocate(new VectorXu64(96, 80, 40), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var data = new ushort[96 * 80 * 40];
            for (var i = 0; i < data.Length; i++)
            {
                var x = i % 96;
                var y = i / 96 % 80;
                var z = i / (96 * 80);
                data[i] = (ushort)((x * 3) + (y * 5) + (z * 11));
            }

            v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Codec = codec, Chunks = new VectorXu64(32, 32, 16) });
        }

        var output = NumpyProcess.Run($$"""
            import numpy as np, dask.array as da
            from distributed import LocalCluster, Client
            z_, y_, x_ = np.meshgrid(np.arange(40), np.arange(80), np.arange(96), indexing='ij')
            expected = (x_ * 3 + y_ * 5 + z_ * 11).astype(np.uint16)
            if __name__ == '__main__':
                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
                    a = da.from_zarr(r'{{path}}')
                    assert a.chunks[0][0] == 16 and a.chunks[2][0] == 32, a.chunks
                    mean = a.mean().compute()
                    plane = a[17].compute()
                    along = a.sum(axis=1).compute()
                    workers = len(client.scheduler_info()['workers'])
                assert np.isclose(mean, expected.mean()), (mean, expected.mean())
                assert (plane == expected[17]).all()
                assert (along == expected.sum(axis=1)).all()
                print(workers, a.shape, a.dtype)
            """, "numpy, zarr, dask.array, distributed", timeoutSeconds: 240);
        Assert.Equal("2 (40, 80, 96) uint16\n", output);
    }
}
