using IOLink;

namespace CustomView;

/// <summary>
/// A procedural image: a checkerboard of squares of <c>square</c> pixels, white (255) where the square's column and
/// row add up to an even number. Nothing is stored; each region read computes its pixels. It is an ImageView like
/// any other: every factory, format and interop of IOLink takes it.
/// </summary>
public sealed unsafe class Checkerboard(ulong width, ulong height, ulong square)
    : ImageView(new VectorXu64(width, height), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE))
{
    protected override ImageCapability CapabilitiesCore => ImageCapability.READ;

    // Computing a square costs the same wherever a read cuts it; saying so lets streaming reads follow the squares.
    protected override VectorXu64? StorageBlockShapeCore => new VectorXu64(square, square);

    // IOLink has checked the region; the pixels go to dst densely, x fastest.
    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var s = (long)square;
        for (var y = origin[1]; y < origin[1] + size[1]; y++)
        {
            for (var x = origin[0]; x < origin[0] + size[0]; x++)
            {
                *dst++ = (byte)(((x / s) + (y / s)) % 2 == 0 ? 255 : 0);
            }
        }
    }
}
