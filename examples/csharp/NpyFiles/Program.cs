using IOLink;

// A (64, 256, 256) uint16 CT volume as NumPy saves it, made here from a view: X, Y, Z become (Z, Y, X).
using (var ct = ImageViewFactory.Allocate(new VectorXu64(256, 256, 64), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
{
    ct.SetValue<ushort>(1000, 10, 20, 30);
    NpyFile.Write(ct, "ct.npy");
}
Console.WriteLine(string.Join(", ", NpyFile.ReadHeader("ct.npy").Shape));  // 64, 256, 256

using var volume = NpyFile.Read("ct.npy", ImageTypeId.VOLUME);      // (64, 256, 256) -> VectorXu64(256, 256, 64)
Console.WriteLine($"{volume.Shape} {volume.GetValue<ushort>(10, 20, 30)}");  // VectorXu64(256, 256, 64) 1000

using (var mapped = NpyFile.OpenMapped("ct.npy", writable: true, ImageTypeId.VOLUME))  // zero-copy
{
    mapped.SetValue<ushort>(2000, 10, 20, 30);                    // the write reaches the file
}
using var again = NpyFile.Read("ct.npy", ImageTypeId.VOLUME);
Console.WriteLine(again.GetValue<ushort>(10, 20, 30));            // 2000

NpyFile.Write(volume, "copy.npy");                                 // NumPy order again: (64, 256, 256)
Console.WriteLine(string.Join(", ", NpyFile.ReadHeader("copy.npy").Shape));  // 64, 256, 256
