using System.CommandLine;
using IOLink.Cli;

var root = new RootCommand("iolink: N-dimensional images between .NET, NumPy, files and streams, without copies.");
var demo = new Command("demo", "Walk through the IOLink data model on built-in data.");
demo.SetAction(_ =>
{
    Demo.Run(Console.Out);
    return 0;
});
root.Subcommands.Add(demo);
return root.Parse(args).Invoke();
