namespace IOLink.Cli;

/// <summary>Exit codes of the iolink tool.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
