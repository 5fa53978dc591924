using IOLink.Cli;
using IOLink.Python;

// Everything after `python` belongs to the Python program (its own options included), so it bypasses the parser.
if (args.Length > 0 && args[0] == "python")
{
    return PythonHost.Run(args[1..]);
}

return Cli.Run(args, Console.Out, Console.Error);
