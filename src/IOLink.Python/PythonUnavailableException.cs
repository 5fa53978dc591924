namespace IOLink.Python;

/// <summary>No usable CPython could be loaded: none with NumPy and a shared library was found, or it failed to start.</summary>
/// <remarks>The message lists every interpreter that was tried, why it was rejected, and the command that installs what is missing.</remarks>
public sealed class PythonUnavailableException : IOLinkException
{
    /// <summary>Creates an exception with a default message.</summary>
    public PythonUnavailableException()
        : base("No usable CPython with NumPy was found.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">What is missing and how to install it.</param>
    public PythonUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What is missing and how to install it.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public PythonUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
