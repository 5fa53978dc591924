namespace IOLink.Cli;

/// <summary>A wrong argument or combination of arguments: reported on one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
