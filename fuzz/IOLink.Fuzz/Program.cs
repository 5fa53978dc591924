using IOLink.Fuzz;
using SharpFuzz;

// afl-fuzz runs this once per campaign: `dotnet IOLink.Fuzz.dll TARGET`, inputs arriving through SharpFuzz.
if (args.Length != 1 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: IOLink.Fuzz TARGET   (one of: {string.Join(", ", Targets.All.Keys)})");
    return 2;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target(memory.ToArray());
});
return 0;
