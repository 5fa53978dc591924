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
        if (Locations.IsRemote(root))
        {
            // A server has no folders to ask about: a file is there when it can be read, and anything else may be a folder.
            full = Child(root, relative);
            if (relative.Split('/')[^1].StartsWith('.') || relative.EndsWith(".json", StringComparison.Ordinal))
            {
                using var http = Locations.OpenStore(root);
                using var value = http.Get(relative, ByteRange.Last(0), 0);
                return value is null ? FileKind.Missing : FileKind.Regular;
            }

            return FileKind.Directory;
        }

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

    /// <summary>The location of <paramref name="relative"/> below a folder or an address.</summary>
    public static string Child(string root, string relative) =>
        Locations.IsRemote(root) ? root.TrimEnd('/') + "/" + relative : Path.Combine(root, relative);

    /// <summary>The full form of a location: a local path made absolute, an address without its trailing '/'.</summary>
    public static string Full(string location) =>
        Locations.IsRemote(location) ? Locations.RemoteUri(location).AbsoluteUri.TrimEnd('/') : Path.GetFullPath(Locations.LocalPath(location));

    /// <summary>The folder (or address) holding <paramref name="location"/>, or null at the top.</summary>
    public static string? Parent(string location) =>
        Locations.IsRemote(location) ? Locations.Parent(new Uri(location))?.AbsoluteUri.TrimEnd('/') : Path.GetDirectoryName(location.TrimEnd('/'));
}
