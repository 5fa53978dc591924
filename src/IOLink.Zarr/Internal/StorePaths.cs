using IOLink.Files;
using IOLink.Storage;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Paths of metadata files and levels below a Zarr store's folder, each part checked not to be a link, as the core's
/// <see cref="DirectoryStore"/> checks every key: a group's <c>.zattrs</c>, a level <c>0</c>, an array's <c>.zarray</c>.
/// </summary>
internal static class StorePaths
{
    /// <summary>The kind of the entry at <paramref name="relative"/> below <paramref name="root"/>, and its full path (<see cref="FileKind.Missing"/> when a part is missing or not a folder).</summary>
    /// <exception cref="InvalidFileFormatException">A part of the path is a symbolic link.</exception>
    public static FileKind Probe(string root, string relative, string store, out string full)
    {
        if (FileProbe.Kind(root, followLinks: true) != FileKind.Directory)
        {
            full = Path.Combine(root, relative);
            return FileKind.Missing;
        }

        using var directory = new DirectoryStore(root, readOnly: true, name: store);
        return directory.KindOf(relative, out full);
    }

    /// <summary>Whether <paramref name="relative"/> below <paramref name="root"/> is a regular file (links refused as <see cref="Probe"/> does).</summary>
    public static bool IsFile(string root, string relative, string store) => Probe(root, relative, store, out _) == FileKind.Regular;
}
