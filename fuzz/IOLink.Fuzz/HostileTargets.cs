using System.Buffers.Binary;
using IOLink.Interop;

namespace IOLink.Fuzz;

/// <summary>
/// Targets for inputs that lie about memory and about the file system: DLPack tensors whose every field comes from
/// the input, and Zarr stores whose folders are planted with links to outside data, from a seeded generator.
/// </summary>
public static unsafe class HostileTargets
{
    private static readonly byte[] Memory = new byte[4096];

    /// <summary>
    /// A DLPack tensor built field by field from the input (device, type, rank, shape, strides, byte offset, a
    /// missing strides array) over 4 KiB of memory, imported plain, with an interpretation or with named axes, and
    /// exported back: only ArgumentException may come out, and no data is read (a tensor does not say how much memory
    /// lies behind it).
    /// </summary>
    public static void DLPackTensor(byte[] data)
    {
        if (data.Length < 8)
        {
            return;
        }

        var rank = data[3] % 8;
        var fields = data.AsSpan(8);
        Span<long> values = stackalloc long[(2 * rank) + 1];
        for (var i = 0; i < values.Length; i++)
        {
            // Small values mostly, with the edges of 64 bits where the input says so.
            var raw = fields.Length >= 8 * (i + 1) ? BinaryPrimitives.ReadInt64LittleEndian(fields.Slice(8 * i, 8)) : i + 2;
            values[i] = (raw & 0xF00) == 0xF00 ? raw : raw % 70;
        }

        var shape = stackalloc long[Math.Max(rank, 1)];
        var strides = stackalloc long[Math.Max(rank, 1)];
        for (var k = 0; k < rank; k++)
        {
            shape[k] = values[k];
            strides[k] = values[rank + k];
        }

        fixed (byte* memory = Memory)
        {
            var tensor = new DLManagedTensor
            {
                DLTensor = new DLTensor
                {
                    Data = (data[7] & 1) == 0 ? memory : null,
                    Device = new DLDevice { DeviceType = data[0] % 4 == 0 ? 2 : 1 },
                    NDim = (data[7] & 2) == 0 ? rank : -rank,
                    DType = new DLDataType { Code = (byte)(data[1] % 8), Bits = (byte)(8 << (data[2] % 5)), Lanes = (ushort)(1 + (data[4] % 3 == 0 ? 1 : 0)) },
                    Shape = (data[7] & 4) == 0 ? shape : null,
                    Strides = (data[7] & 8) == 0 ? strides : null,
                    ByteOffset = (ulong)values[2 * rank],
                },
                Deleter = null,
            };
            try
            {
                using var view = (data[5] % 3) switch
                {
                    0 => DLPackInterop.FromDLPack(&tensor),
                    1 => DLPackInterop.FromDLPack(&tensor, ImageTypeId.VOLUME),
                    _ => DLPackInterop.OrderFromDLPack(&tensor, [ImageDimension.ROW, ImageDimension.COLUMN]),
                };
                _ = view.Shape;
                _ = view.DataType;
                var exported = DLPackInterop.ToDLPack(view);
                exported->Deleter(exported);
            }
            catch (ArgumentException)
            {
            }
            catch (NotSupportedException)
            {
                // A view without WRITE or MEMORY_ACCESS is not exported.
            }
        }
    }

    /// <summary>
    /// A small Zarr store (4x4 UINT8, 2x2 chunks, nested keys) whose paths the input plants with folders, files and
    /// links to outside data: chunk folders and files, the metadata file, and an OME-Zarr level. Reading and writing
    /// it may fail only with the documented exceptions, never return the outside data (bytes 0xAB) nor change it.
    /// </summary>
    public static void ZarrLinks(byte[] data)
    {
        var root = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-links-{Environment.ProcessId}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var outside = Path.Combine(root, "outside");
        var store = Path.Combine(root, "image.zarr");
        var array = Path.Combine(store, "0");
        Directory.CreateDirectory(Path.Combine(outside, "0"));
        Directory.CreateDirectory(array);
        const string zarray = """{"chunks": [2, 2], "compressor": null, "dimension_separator": "/", "dtype": "|u1", "fill_value": 0, "filters": null, "order": "C", "shape": [4, 4], "zarr_format": 2}""";
        // The outside data looks like an array and its chunks, every byte 0xAB.
        File.WriteAllText(Path.Combine(outside, ".zarray"), zarray);
        File.WriteAllBytes(Path.Combine(outside, "1"), [0xAB, 0xAB, 0xAB, 0xAB]);
        File.WriteAllBytes(Path.Combine(outside, "0", "0"), [0xAB, 0xAB, 0xAB, 0xAB]);
        File.WriteAllBytes(Path.Combine(outside, "0", "1"), [0xAB, 0xAB, 0xAB, 0xAB]);
        var before = Snapshot(outside);
        File.WriteAllText(Path.Combine(store, ".zgroup"), """{"zarr_format": 2}""");
        File.WriteAllText(Path.Combine(store, ".zattrs"),
            """{"multiscales": [{"axes": [{"name": "y", "type": "space"}, {"name": "x", "type": "space"}], "datasets": [{"path": "0"}], "version": "0.4"}]}""");
        File.WriteAllText(Path.Combine(array, ".zarray"), zarray);
        try
        {
            // Each input byte plants one entry: which path (the low bits) and what goes there (the high bits).
            string[] places = ["0", "1", "0/0", "0/1", "1/0", "1/1", ".zarray", "../0"];
            foreach (var b in data.Take(12))
            {
                var place = Path.GetFullPath(Path.Combine(array, places[b % places.Length]));
                if (Exists(place) && (b & 0x80) == 0)
                {
                    continue;
                }

                var parent = Path.GetDirectoryName(place)!;
                if (!Directory.Exists(parent) || ThroughLink(parent, root))
                {
                    continue;   // its folder is a file, or lies behind a link planted before: planting there would change outside data
                }

                Remove(place);
                switch ((b >> 3) % 4)
                {
                    case 0: Directory.CreateSymbolicLink(place, Path.Combine(outside, "0")); break;
                    case 1: File.CreateSymbolicLink(place, Path.Combine(outside, "1")); break;
                    case 2: Directory.CreateSymbolicLink(place, outside); break;
                    default: File.WriteAllBytes(place, [1, 2, 3, 4]); break;
                }
            }

            // The store is opened by the paths a user names: the image, and its level when that is a folder of its
            // own (a path the user names is taken as it is, link or not; what lies below it never is).
            var opens = new List<Func<ImageView>> { () => Zarr.ZarrArray.Open(store, writable: true) };
            if (Directory.Exists(array) && new DirectoryInfo(array).LinkTarget is null)
            {
                opens.Add(() => Zarr.ZarrArray.Open(array, writable: true));
            }

            foreach (var open in opens)
            {
                try
                {
                    using var view = open();
                    var bytes = new byte[view.ByteCount];
                    try
                    {
                        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
                        if (Array.IndexOf(bytes, (byte)0xAB) >= 0)
                        {
                            throw new InvalidOperationException("FINDING: a read returned data from outside the store");
                        }
                    }
                    catch (Exception ex) when (ex is InvalidFileFormatException or IOException)
                    {
                    }

                    try
                    {
                        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), Enumerable.Repeat((byte)0x11, (int)view.ByteCount).ToArray());
                    }
                    catch (Exception ex) when (ex is InvalidFileFormatException or IOException or UnauthorizedAccessException)
                    {
                    }
                }
                catch (Exception ex) when (ex is InvalidFileFormatException or IOException or ArgumentException or UnauthorizedAccessException)
                {
                }
            }

            if (!Snapshot(outside).SequenceEqual(before))
            {
                throw new InvalidOperationException("FINDING: data outside the store changed");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Whether <paramref name="folder"/> or a folder above it, up to <paramref name="root"/>, is a link.</summary>
    private static bool ThroughLink(string folder, string root)
    {
        for (var f = folder; f.Length > root.Length; f = Path.GetDirectoryName(f)!)
        {
            if (new DirectoryInfo(f).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static void Remove(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static List<string> Snapshot(string folder) =>
        [.. Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => f + "=" + (File.Exists(f) ? Convert.ToHexString(File.ReadAllBytes(f)) : "/"))];
}
