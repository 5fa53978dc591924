namespace IOLink;

/// <summary>The base of IOLink's own failures: malformed files and interop errors that are not an argument's fault.</summary>
public class IOLinkException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public IOLinkException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public IOLinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    public IOLinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A file is not in the format it claims, or uses a part of the format IOLink does not read.</summary>
public class InvalidFileFormatException : IOLinkException
{
    /// <summary>Creates an exception with a message.</summary>
    public InvalidFileFormatException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public InvalidFileFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    public InvalidFileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
