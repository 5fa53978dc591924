using IOLink;
using IOLink.Zarr;

// A 256x256x64 CT volume written as Zarr in 64^3 chunks, then one voxel changed in place.
using var ct = ImageViewFactory.Allocate(new VectorXu64(256, 256, 64), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
ZarrArray.Write(ct, "ct.zarr", new ZarrOptions { Chunks = new VectorXu64(64, 64, 64), Codec = ZarrCodec.Zstd });
using var zarr = ZarrArray.Open("ct.zarr", writable: true, ImageTypeId.VOLUME);
Console.WriteLine(zarr.Shape);                                    // VectorXu64(256, 256, 64)
Console.WriteLine(string.Join(", ", zarr.ArrayShape));            // 64, 256, 256: the array in NumPy order
Console.WriteLine(zarr.Codec);                                    // zstd (level 1)
zarr.SetValue((ushort)1000, 10, 20, 30);                          // one chunk read, changed and rewritten
Console.WriteLine(zarr.GetValue<ushort>(10, 20, 30));             // 1000
Console.WriteLine(zarr.ChunksDecoded);                            // 1: only the chunk that holds the voxel
