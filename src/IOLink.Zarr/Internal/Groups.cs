using IOLink.Files;
using IOLink.Storage;

namespace IOLink.Zarr.Internal;

/// <summary>What a folder that is not a Zarr array holds, for the message that sends the user to one of its arrays.</summary>
internal static class Groups
{
    private const int Listed = 12;

    /// <summary>A message for a folder opened as an array that is not one: a group with its arrays, or not Zarr at all.</summary>
    public static string Describe(string folder, string name)
    {
        var isGroup = ArrayMetadata.Kind(folder, name) is NodeKind.V2Group or NodeKind.V3Group;
        var arrays = Arrays(folder).Take(Listed + 1).ToList();
        if (!isGroup)
        {
            return arrays.Count == 0
                ? Locations.IsRemote(folder)
                    ? $"'{name}' is not a Zarr array: the server has no zarr.json (Zarr v3) nor .zarray or .zgroup (Zarr v2) there; give the address of a Zarr array or OME-Zarr image."
                    : $"'{name}' is not a Zarr array: it has no zarr.json (Zarr v3) nor .zarray or .zgroup (Zarr v2); name the folder of a Zarr array."
                : $"'{name}' is not a Zarr array (it has no zarr.json or .zarray), but holds {List(name, arrays)}; open one of those.";
        }

        return arrays.Count == 0
            ? $"'{name}' is a Zarr group with no arrays in it; name the folder of a Zarr array."
            : $"'{name}' is a Zarr group, not an array; it holds {List(name, arrays)}: open one of those.";
    }

    /// <summary>The paths, relative to <paramref name="folder"/>, of the arrays below it, breadth first.</summary>
    public static IEnumerable<string> Arrays(string folder)
    {
        if (Locations.IsRemote(folder))
        {
            yield break;   // a server does not list what is below an address
        }

        var pending = new Queue<(string Path, string Relative, int Depth)>();
        pending.Enqueue((folder, "", 0));
        while (pending.Count > 0)
        {
            var (path, relative, depth) = pending.Dequeue();
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal).ToList();
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                // Links are not followed: a store's layout is its own folders.
                if (new DirectoryInfo(child).LinkTarget is not null)
                {
                    continue;
                }

                var name = relative.Length == 0 ? Path.GetFileName(child) : relative + "/" + Path.GetFileName(child);
                NodeKind kind;
                try
                {
                    kind = ArrayMetadata.Kind(child, name);
                }
                catch (InvalidFileFormatException)
                {
                    continue;   // a damaged member is not listed; opening it says what is wrong
                }

                if (kind is NodeKind.V2Array or NodeKind.V3Array)
                {
                    yield return name;
                }
                else if (depth < 8 && kind is NodeKind.V2Group or NodeKind.V3Group)
                {
                    pending.Enqueue((child, name, depth + 1));
                }
            }
        }
    }

    /// <summary>Whether a folder holds the metadata file <paramref name="name"/> itself (a link to one is not a member of the store).</summary>
    public static bool IsFile(string folder, string name) => FileProbe.Kind(Path.Combine(folder, name), followLinks: false) == FileKind.Regular;

    private static string List(string name, List<string> arrays)
    {
        var shown = arrays.Take(Listed).Select(a => $"'{name.TrimEnd('/')}/{a}'");
        return (arrays.Count == 1 ? "the array " : "the arrays ") + string.Join(", ", shown) + (arrays.Count > Listed ? " and more" : "");
    }
}
