namespace IOLink.Layout;

/// <summary>One dimension of a simplified copy: its length and the byte stride on the source and destination side.</summary>
internal readonly record struct CopyDimension(long Length, long Source, long Destination);
