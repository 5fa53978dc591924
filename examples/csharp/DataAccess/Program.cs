using System.IO.Compression;
using System.Runtime.InteropServices;
using IOLink;

// A raw 256^3 UINT16 volume after a 1024-byte header, as another program writes it: 32 MiB, in a temporary folder.
var folder = Directory.CreateTempSubdirectory("iolink-example-").FullName;
var path = Path.Combine(folder, "volume.raw");
var shape = new VectorXu64(256, 256, 256);

// On the file: each region read or write is one positioned call per contiguous run (a full-width region is one).
using (var file = RandomAccessFactory.OpenFileWrite(path, 1024 + 256L * 256 * 256 * 2))
using (var volume = ImageViewFactory.FromRandomAccess(file, 1024, shape, DataTypeId.UINT16))
{
    var region = new RegionXu64(new VectorXu64(64, 64, 100), new VectorXu64(128, 128, 32));
    var values = new ushort[128 * 128 * 32];
    Array.Fill(values, (ushort)7);
    volume.WriteRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));     // goes straight to the file
    Array.Clear(values);
    volume.ReadRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));      // and back from it
    Console.WriteLine($"{values[0]} {volume.GetValue<ushort>(64, 64, 100)} {volume.GetValue<ushort>(0, 0, 0)}");  // 7 7 0
}

// Memory-mapped: the same view becomes a zero-copy memory view (MEMORY_ACCESS: Buffer, Strides, ExtractRegion...).
using (var mapped = RandomAccessFactory.MapFile(path, writable: true))
using (var volume = ImageViewFactory.FromRandomAccess(mapped, 1024, shape, DataTypeId.UINT16))
{
    volume.SetValue<ushort>(4095, 10, 20, 30);                              // the file changes
    Console.WriteLine(string.Join(", ", volume.Strides));                  // 2, 512, 131072
}

// Streams: any StreamAccess is a System.IO.Stream, so .NET's own readers, writers and compressors work on it.
using (var raw = StreamAccessFactory.OpenFileRead(path))
using (var output = StreamAccessFactory.OpenFileWrite(path + ".gz"))
using (var gz = new GZipStream(output.AsStream(), CompressionLevel.Fastest))
{
    raw.AsStream().CopyTo(gz);
}

using (var access = StreamAccessFactory.OpenFileRead(path + ".gz"))
using (var gz = new GZipStream(access.AsStream(), CompressionMode.Decompress))
using (var memory = StreamAccessFactory.Allocate())
{
    gz.CopyTo(memory.AsStream());
    Console.WriteLine($"{memory.Length} bytes, {new FileInfo(path + ".gz").Length < memory.Length / 100}");  // 33555456 bytes, True
    using var bytes = RandomAccessFactory.FromBuffer(memory.Buffer, memory.Length);   // the same memory, at offsets
    using var view = ImageViewFactory.FromRandomAccess(bytes, 1024, shape, DataTypeId.UINT16);
    Console.WriteLine(view.GetValue<ushort>(10, 20, 30));                  // 4095
}

// Views larger than memory: a temporary file, deleted when the view is disposed.
using (var scratch = ImageViewFactory.CreateOnDisk(shape, DataTypeId.FLOAT))
{
    scratch.SetValue(0.5f, 255, 255, 255);
    Console.WriteLine(scratch.GetValue<float>(255, 255, 255));             // 0.5
}

Directory.Delete(folder, recursive: true);
