namespace IOLink.Tensors.Internal;

/// <summary>
/// What tensor strides can express. The axis rules themselves (which view dimension each tensor axis is) are the
/// core's ArrayAxes, shared with NumPy arrays and .npy files.
/// </summary>
internal static class TensorAxes
{
    /// <summary>
    /// Whether non-zero strides keep every axis clear of the others: sorted by stride, each stride reaches past
    /// the whole extent of the axis before it. This is the condition tensor spans check (they report a failure as
    /// "outside the provided memory", which would mislead here).
    /// </summary>
    public static bool AreDisjoint(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        // Exported views have at most ImageView.MaxDimensionCount (+1) axes; anything longer goes to the heap.
        Span<int> order = lengths.Length <= 64 ? stackalloc int[lengths.Length] : new int[lengths.Length];
        var n = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] > 1 && strides[i] != 0)
            {
                // Insertion sort by stride: ranks are tiny.
                var j = n++;
                while (j > 0 && strides[order[j - 1]] > strides[i])
                {
                    order[j] = order[j - 1];
                    j--;
                }

                order[j] = i;
            }
        }

        for (var k = 1; k < n; k++)
        {
            var previous = order[k - 1];
            if (strides[order[k]] < (long)strides[previous] * lengths[previous])
            {
                return false;
            }
        }

        return true;
    }
}
