using IOLink.Files;

namespace IOLink.Storage;

/// <summary>
/// Paths below a store's root, walked one part at a time without following links: every chunk key, level path,
/// group member and metadata file of a store goes through here, on reads and on writes. A link anywhere below the
/// root (a planted <c>a.zarr/0 -> /elsewhere</c>) would otherwise make reads return outside files as image data
/// and writes replace them. The root itself is what the user named, and is taken as it is.
/// </summary>
/// <remarks>
/// Each part is examined with <c>lstat</c> semantics (<see cref="FileProbe.Kind"/> without following); a link
/// swapped in between the check and the open is not caught (that needs <c>openat2</c>'s RESOLVE_NO_SYMLINKS).
/// </remarks>
internal static class StorePaths
{
    /// <summary>
    /// The kind of the entry at <paramref name="relative"/> ('/'-separated parts) below <paramref name="root"/>, and
    /// its full path: <see cref="FileKind.Missing"/> when a part is missing or not a folder.
    /// </summary>
    /// <param name="root">The store's folder (full path).</param>
    /// <param name="relative">The entry's path below it, its parts separated by '/'.</param>
    /// <param name="store">How messages name the store: the path the user gave.</param>
    /// <param name="full">The entry's full path.</param>
    /// <exception cref="InvalidFileFormatException">A part of the path is a symbolic link.</exception>
    public static FileKind Probe(string root, string relative, string store, out string full)
    {
        full = root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            full = Path.Combine(full, parts[i]);
            var kind = FileProbe.Kind(full, followLinks: false);
            if (kind == FileKind.SymbolicLink)
            {
                throw LinkError(store, string.Join('/', parts, 0, i + 1));
            }

            if (i < parts.Length - 1 && kind != FileKind.Directory)
            {
                full = Path.Combine([root, .. parts]);
                return FileKind.Missing;
            }

            if (i == parts.Length - 1)
            {
                return kind;
            }
        }

        return FileKind.Directory;
    }

    /// <summary>Whether <paramref name="relative"/> below <paramref name="root"/> is a regular file (links refused as <see cref="Probe"/> does).</summary>
    public static bool IsFile(string root, string relative, string store) => Probe(root, relative, store, out _) == FileKind.Regular;

    /// <summary>
    /// The full path of <paramref name="relative"/> below <paramref name="root"/> for a file about to be replaced by a
    /// rename (which replaces a link there rather than following it): its folders are made one at a time, each checked
    /// to be a folder and not a link.
    /// </summary>
    /// <exception cref="InvalidFileFormatException">A part of the path is a symbolic link.</exception>
    /// <exception cref="IOException">A part that must be a folder is something else.</exception>
    public static string ForWrite(string root, string relative, string store)
    {
        var full = root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            full = Path.Combine(full, parts[i]);
            var last = i == parts.Length - 1;
            var kind = FileProbe.Kind(full, followLinks: false);
            if (kind == FileKind.Missing && !last)
            {
                Directory.CreateDirectory(full);
                // Made by us, or by someone else just now: either way it must be a folder, not a link, to go on.
                kind = FileProbe.Kind(full, followLinks: false);
            }

            if (kind == FileKind.SymbolicLink && !last)
            {
                throw LinkError(store, string.Join('/', parts, 0, i + 1));
            }

            if (!last && kind != FileKind.Directory)
            {
                throw new IOException($"{store}: '{string.Join('/', parts, 0, i + 1)}' inside the store is {FileProbe.Describe(kind)} where a folder belongs; remove it.");
            }
        }

        return full;
    }

    private static InvalidFileFormatException LinkError(string store, string part) =>
        new($"{store}: '{part}' inside the store is a symbolic link; IOLink does not follow links inside a store "
            + "(they could lead outside it). Replace the link with the folder or file itself.");
}
