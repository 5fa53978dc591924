namespace IOLink.Cli;

/// <summary>A wrong argument or combination of arguments: reported on one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Exit codes of the iolink tool.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
