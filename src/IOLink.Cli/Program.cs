using IOLink.Cli;
using IOLink.Python;

// Everything after `python` belongs to the Python program (its own options included), so it bypasses the parser.
if (args.Length > 0 && args[0] == "python")
{
    // The tool's runtime configuration leaves the thread pool to the first parallel copy (its commands do not need
    // it at once); a Python program gets what `import iolink` gives elsewhere, the pool started when IOLink loads.
    AppContext.SetSwitch("IOLink.CopyParallelism.StartWorkersOnLoad", true);
    return PythonHost.Run(args[1..]);
}

// SIGINT and SIGTERM stop a write at its next step, and its temporary files are removed before the tool exits.
var signals = Interrupt.Register();
try
{
    return Cli.Run(args, Console.Out, Console.Error);
}
finally
{
    foreach (var registration in signals)
    {
        registration.Dispose();
    }
}
