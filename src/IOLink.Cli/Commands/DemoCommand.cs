using System.CommandLine;

namespace IOLink.Cli.Commands;

/// <summary><c>iolink demo</c>: the walkthrough on built-in data.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("demo", "Walk through the IOLink data model on built-in data.");
        command.SetAction(parse => Cli.Guard(parse, error, () =>
        {
            Demo.Run(output);
            return ExitCodes.Success;
        }));
        return command;
    }
}
