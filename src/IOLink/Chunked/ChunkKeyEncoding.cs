using System.Globalization;
using System.Text;

namespace IOLink.Chunked;

/// <summary>
/// How a chunk's grid coordinates become its key in the store: Zarr v2's <c>0.3.1</c> or <c>0/3/1</c>, Zarr v3's
/// <c>c/0/3/1</c>. A format whose chunks live inside other stored values (the inner chunks of a Zarr v3 shard)
/// derives its own encoding, read back by the store adapter that finds them.
/// </summary>
public class ChunkKeyEncoding
{
    private readonly string _prefix;

    private ChunkKeyEncoding(char separator, string prefix)
    {
        Separator = separator;
        _prefix = prefix;
    }

    /// <summary>An encoding of a derived class, whose <see cref="Key"/> is its own; <paramref name="separator"/> is what <see cref="Separator"/> says.</summary>
    /// <exception cref="ArgumentException">The separator is not '.' or '/'.</exception>
    protected ChunkKeyEncoding(char separator)
        : this(Checked(separator), "")
    {
    }

    /// <summary>The character between coordinates: '.' or '/'.</summary>
    public char Separator { get; }

    /// <summary>The coordinates joined by <paramref name="separator"/>, as Zarr v2 names chunks (<c>0.3.1</c>, or nested <c>0/3/1</c>).</summary>
    /// <exception cref="ArgumentException">The separator is not '.' or '/'.</exception>
    public static ChunkKeyEncoding V2(char separator) => new(Checked(separator), "");

    /// <summary>"c", then the coordinates, each after <paramref name="separator"/>, as Zarr v3's default encoding names chunks (<c>c/0/3/1</c>).</summary>
    /// <exception cref="ArgumentException">The separator is not '.' or '/'.</exception>
    public static ChunkKeyEncoding Default(char separator = '/') => new(Checked(separator), "c");

    /// <summary>The key of the chunk at <paramref name="chunk"/> (grid coordinates), below the array's own prefix.</summary>
    public virtual string Key(ReadOnlySpan<long> chunk)
    {
        var key = new StringBuilder(_prefix);
        for (var a = 0; a < chunk.Length; a++)
        {
            if (a > 0 || _prefix.Length > 0)
            {
                key.Append(Separator);
            }

            key.Append(chunk[a].ToString(CultureInfo.InvariantCulture));
        }

        return key.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => _prefix.Length == 0 ? $"v2 ('{Separator}')" : $"default ('{Separator}')";

    private static char Checked(char separator) => separator is '.' or '/' ? separator
        : throw new ArgumentException($"A chunk key separator is '.' or '/', not '{separator}'.", nameof(separator));
}
