namespace IOLink.Tests.DataAccess;

/// <summary>A path under the system temp directory, deleted (if it exists) when disposed.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string extension = ".raw") =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"iolink-test-{Guid.NewGuid():N}{extension}");

    public string Path { get; }

    /// <summary>A temp file holding <paramref name="bytes"/>.</summary>
    public static TempFile With(byte[] bytes)
    {
        var file = new TempFile();
        File.WriteAllBytes(file.Path, bytes);
        return file;
    }

    public void Dispose()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}

/// <summary>
/// A MemoryStream that counts the calls that move bytes, to prove transfers are per contiguous run. A derived
/// MemoryStream routes its Span overloads through the array ones, so counting those counts every call once.
/// </summary>
internal sealed class CountingStream : MemoryStream
{
    public CountingStream(byte[] data)
        : base(data, writable: true)
    {
    }

    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        return base.Read(buffer, offset, count);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        base.Write(buffer, offset, count);
    }
}

/// <summary>A stream that returns at most a few bytes per read and cannot seek, like a network stream.</summary>
internal sealed class TrickleStream(byte[] data, int perRead) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, perRead), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class Bytes
{
    /// <summary>Deterministic non-trivial bytes (no two neighbours alike within 251).</summary>
    public static byte[] Pattern(int n, int seed = 0)
    {
        var a = new byte[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = (byte)(((i + seed) * 7 % 251) + 1);
        }

        return a;
    }
}
