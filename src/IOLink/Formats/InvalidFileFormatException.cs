namespace IOLink;

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
