namespace IOLink.Cli;

/// <summary>Exit codes of the iolink tool.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM), as shells report it.</summary>
    public static int Interrupted(int signal) => 128 + signal;
}
