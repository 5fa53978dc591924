using IOLink;

// A VOLUME of 12 columns, 4 rows and 6 slices; canonical order is (COLUMN, ROW, SLICE), first dimension fastest.
using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16,
                                             new ImageProperties(ImageTypeId.VOLUME));
volume.SetValue<ushort>(42, 4, 1, 2);
Console.WriteLine(volume.Shape);                                         // VectorXu64(12, 4, 6)

// Regions are read into (and written from) dense buffers in canonical order.
var region = new RegionXu64(new VectorXu64(4, 1, 2), new VectorXu64(3, 2, 1));
var bytes = new byte[3 * 2 * 1 * sizeof(ushort)];
volume.ReadRegion(region, bytes);
Console.WriteLine(BitConverter.ToUInt16(bytes));                        // 42, the region's first element

// Derived views share memory: no copy, and they keep it alive after the parent is disposed.
using var sub = ImageViewFactory.ExtractRegion(volume, region);
using var flipped = ImageViewFactory.FlipDimension(volume, ImageDimension.COLUMN);
using var every2nd = ImageViewFactory.SubSample(volume, new VectorXu64(2, 2, 2));
Console.WriteLine($"[{string.Join(", ", sub.Strides)}] [{string.Join(", ", flipped.Strides)}]");  // [2, 24, 96] [-2, 24, 96]
Console.WriteLine($"{flipped.GetValue<ushort>(7, 1, 2)} {every2nd.Shape}");                     // 42 VectorXu64(6, 2, 3)
sub.SetValue<ushort>(7, 1, 1, 0);                                         // writes volume element (5, 2, 2)
Console.WriteLine(volume.GetValue<ushort>(5, 2, 2));                    // 7

// Managed arrays and foreign memory are wrapped, never copied.
var data = new float[640 * 480];
using var image = ImageViewFactory.FromArray(data, new VectorXu64(640, 480), DataTypeId.FLOAT);
image.SetValue(1.5f, 2, 1);
Console.WriteLine(data[1 * 640 + 2]);                                   // 1.5: the array itself changed

// A copy is always explicit.
using var dense = ImageViewFactory.CopyInMemory(flipped);
Console.WriteLine($"[{string.Join(", ", dense.Strides)}] {dense.GetValue<ushort>(7, 1, 2)}");    // [2, 24, 96] 42
