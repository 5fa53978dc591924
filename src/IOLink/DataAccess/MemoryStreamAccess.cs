using System.Runtime.InteropServices;

namespace IOLink.DataAccess;

/// <summary>
/// A stream access over CPU memory: either native memory it owns and grows (doubling, zero-filled), or a buffer
/// the caller lends it, whose size is fixed.
/// </summary>
internal sealed unsafe class MemoryStreamAccess : StreamAccess
{
    private readonly bool _growable;
    private readonly bool _writable;
    private readonly IDisposable? _owner;
    private byte* _data;
    private long _length;
    private long _capacity;
    private long _position;

    private MemoryStreamAccess(byte* data, long length, long capacity, bool growable, bool writable, IDisposable? owner)
    {
        _data = data;
        _length = length;
        _capacity = capacity;
        _growable = growable;
        _writable = writable;
        _owner = owner;
    }

    /// <summary>An empty access over native memory it owns and grows.</summary>
    public static MemoryStreamAccess Allocate(long initialCapacity)
    {
        var capacity = Math.Max(initialCapacity, 256);
        var p = (byte*)NativeMemory.Alloc((nuint)capacity);
        return new MemoryStreamAccess(p, 0, capacity, growable: true, writable: true, owner: null);
    }

    /// <summary>An access over <paramref name="length"/> borrowed bytes; <paramref name="owner"/> (a pin) is disposed with the access.</summary>
    public static MemoryStreamAccess Borrow(byte* data, long length, bool writable, IDisposable? owner) =>
        new(data, length, length, growable: false, writable, owner);

    ~MemoryStreamAccess()
    {
        if (_growable && _data != null)
        {
            NativeMemory.Free(_data);
        }
    }

    protected internal override StreamAccessCapability CapabilitiesCore =>
        StreamAccessCapability.READ | StreamAccessCapability.SEEK | StreamAccessCapability.MEMORY_ACCESS
        | (_writable ? StreamAccessCapability.WRITE : StreamAccessCapability.NONE);

    protected internal override bool IsEofCore => _position >= _length;

    protected internal override long LengthCore => _length;

    protected internal override nint BufferCore => (nint)_data;

    /// <summary>The bytes from the cursor to the end, for copies that write straight from memory.</summary>
    internal (nint Address, long Count) Remaining => _position >= _length ? (0, 0) : ((nint)(_data + _position), _length - _position);

    internal void Advance(long count) => _position += count;

    protected internal override int ReadCore(Span<byte> dst)
    {
        if (_position >= _length)
        {
            return 0;
        }

        var n = (int)Math.Min(dst.Length, _length - _position);
        new ReadOnlySpan<byte>(_data + _position, n).CopyTo(dst);
        _position += n;
        return n;
    }

    protected internal override void WriteCore(ReadOnlySpan<byte> src)
    {
        if (_position > long.MaxValue - src.Length)
        {
            AccessThrowHelper.PastLongMax(_position, src.Length);
        }

        var end = _position + src.Length;
        EnsureCapacity(end);
        if (_position > _length)
        {
            // Bytes between the old end and the cursor (after a seek past the end) read as zeros.
            NativeMemory.Clear(_data + _length, (nuint)(_position - _length));
        }

        src.CopyTo(new Span<byte>(_data + _position, src.Length));
        _position = end;
        _length = Math.Max(_length, end);
    }

    protected internal override long TellCore() => _position;

    protected internal override void SeekCore(long position) => _position = position;

    protected internal override void SetLengthCore(long length)
    {
        if (length > _length)
        {
            EnsureCapacity(length);
            NativeMemory.Clear(_data + _length, (nuint)(length - _length));
        }

        _length = length;
    }

    /// <summary>Makes room for <paramref name="end"/> bytes, or throws before anything changes when a borrowed buffer is too small.</summary>
    private void EnsureCapacity(long end)
    {
        if (end <= _capacity)
        {
            return;
        }

        if (!_growable)
        {
            AccessThrowHelper.NotGrowable(end, _capacity);
        }

        var capacity = Math.Max(end, _capacity > long.MaxValue / 2 ? long.MaxValue : _capacity * 2);
        try
        {
            _data = (byte*)NativeMemory.Realloc(_data, (nuint)capacity);
        }
        catch (OutOfMemoryException ex)
        {
            // Nothing changed: the old memory is still the stream's.
            AccessThrowHelper.CannotGrow(end, _length, ex);
        }

        _capacity = capacity;
    }

    protected override void ReleaseResources()
    {
        if (_growable)
        {
            NativeMemory.Free(_data);
        }

        _data = null;
        _owner?.Dispose();
    }
}
