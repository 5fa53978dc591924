namespace IOLink;

/// <summary>
/// The base of IOLink's own exceptions: failures of a file format, of an interop partner (Python, NumPy) or of an
/// external resource, as opposed to bad arguments (<see cref="ArgumentException"/>) or missing capabilities
/// (<see cref="NotSupportedException"/>).
/// </summary>
public class IOLinkException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public IOLinkException()
        : base("An IOLink operation failed.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">What went wrong and what to do about it.</param>
    public IOLinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What went wrong and what to do about it.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public IOLinkException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
