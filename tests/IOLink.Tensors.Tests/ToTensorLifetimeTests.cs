using System.Runtime.InteropServices;

namespace IOLink.Tensors.Tests;

/// <summary>The explicit copy holds the view's memory while it reads it: a concurrent Dispose never frees it mid-copy.</summary>
public class ToTensorLifetimeTests
{
    [Fact]
    public async Task DisposeDuringToTensor_GivesACompleteCopyOrObjectDisposed()
    {
        // 64 MiB, reversed along X so the copy is a slow strided walk that a Dispose can land in the middle of.
        const int nx = 2048, ny = 2048, nz = 8;
        for (var round = 0; round < 12; round++)
        {
            var volume = ImageViewFactory.Allocate(new VectorXu64(nx, ny, nz), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME));
            var values = new float[nx * ny];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = i;
            }

            for (ulong z = 0; z < nz; z++)
            {
                volume.WriteRegion(new RegionXu64(new VectorXu64(0, 0, z), new VectorXu64(nx, ny, 1)), MemoryMarshal.AsBytes(values.AsSpan()));
            }

            var flipped = ImageViewFactory.FlipDimension(volume, ImageDimension.COLUMN);
            volume.Dispose();
            using var started = new ManualResetEventSlim();
            var copy = Task.Run(() =>
            {
                started.Set();
                return TensorInterop.ToTensor<float>(flipped);
            });
            started.Wait();
            Thread.Sleep(round % 4);
            flipped.Dispose();
            try
            {
                var tensor = await copy;
                Assert.Equal(nx - 1, tensor[0, 0, 0]);
                Assert.Equal(0, tensor[nz - 1, ny - 1, nx - 1] - ((ny - 1) * nx));
                Assert.Equal(((ny / 2) * nx) + 5, tensor[nz / 2, ny / 2, nx - 1 - 5]);
            }
            catch (ObjectDisposedException ex)
            {
                Assert.Equal(nameof(ImageView), ex.ObjectName);
            }
        }
    }
}
