using System.CommandLine;
using IOLink.Cli;
using IOLink.Python;

// Everything after `python` belongs to the Python program (its own options included), so it bypasses the parser.
if (args.Length > 0 && args[0] == "python")
{
    return PythonHost.Run(args[1..]);
}

var root = new RootCommand("iolink: N-dimensional images between .NET, NumPy, files and streams, without copies.");
var demo = new Command("demo", "Walk through the IOLink data model on built-in data.");
demo.SetAction(_ =>
{
    Demo.Run(Console.Out);
    return 0;
});
root.Subcommands.Add(demo);

// Listed for help only; `iolink python ...` is dispatched above.
var python = new Command("python", "Run Python with the iolink module importable: iolink python [script.py | -m module | -c code] [args...].");
python.SetAction(_ => PythonHost.Run([]));
root.Subcommands.Add(python);
return root.Parse(args).Invoke();
