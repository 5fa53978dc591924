using System.Runtime.CompilerServices;
using IOLink.Internal;

namespace IOLink.Layout;

/// <summary>Walks every index of a set of copy dimensions, keeping the source and destination byte offsets of the current one.</summary>
internal ref struct CopyOdometer
{
    private readonly CopyDimensions _dims;
    private readonly Span<long> _index;

    /// <param name="dims">The dimensions to walk, fastest first.</param>
    /// <param name="index">Room for the current index, one value per dimension (stack memory from the caller), zeroed.</param>
    public CopyOdometer(CopyDimensions dims, Span<long> index)
    {
        _dims = dims;
        _index = index[..dims.Length];
        _index.Clear();
        SourceOffset = 0;
        DestinationOffset = 0;
    }

    public long SourceOffset { get; private set; }

    public long DestinationOffset { get; private set; }

    /// <summary>Moves to the next index; false after the last (the offsets are back at 0 then).</summary>
    /// <remarks>Called once per tile or run inside the copy kernels, which are too big to inline it: compiled as
    /// they are (<see cref="Jit.Kernel"/>), so that a first copy does not walk its tiles in tier-0 code.</remarks>
    [MethodImpl(Jit.Kernel)]
    public bool Next()
    {
        for (var k = 0; k < _dims.Length; k++)
        {
            var d = _dims[k];
            SourceOffset += d.Source;
            DestinationOffset += d.Destination;
            if (++_index[k] < d.Length)
            {
                return true;
            }

            SourceOffset -= d.Source * d.Length;
            DestinationOffset -= d.Destination * d.Length;
            _index[k] = 0;
        }

        return false;
    }
}
