using System.CommandLine;
using System.CommandLine.Help;
using IOLink.Cli.Commands;

namespace IOLink.Cli;

/// <summary>The iolink command tree, its shared options and its error policy: one line on stderr, exit 2 for usage, 1 for failures.</summary>
internal static class Cli
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print the full exception (with stack trace) when a command fails.",
        Recursive = true,
    };

    /// <summary>The command names, each with how its command is made.</summary>
    private static readonly (string Name, Func<TextWriter, TextWriter, Command> Create)[] Commands =
    [
        ("demo", DemoCommand.Create),
        ("info", InfoCommand.Create),
        ("convert", ConvertCommand.Create),
        ("slice", SliceCommand.Create),
        ("python", static (_, _) => PythonCommand()),
    ];

    /// <summary>
    /// The command tree: the root with every command, or with only <paramref name="only"/> when the arguments start by
    /// naming it. A command's run then builds none of the others' options (about 3 ms of each run, and their generic
    /// parser code, jitted); help, version and mistyped commands get the whole tree.
    /// </summary>
    public static Command Build(TextWriter output, TextWriter error, string? only = null)
    {
        // A named command rather than RootCommand, whose name would be the assembly's (IOLink.Cli), not the tool's.
        var root = new Command("iolink", "N-dimensional images between .NET, NumPy, files and streams, without copies.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(Verbose);
        foreach (var (name, create) in Commands)
        {
            if (only is null || only == name)
            {
                root.Subcommands.Add(create(output, error));
            }
        }

        return root;
    }

    /// <summary>Listed for help only: Program dispatches `iolink python ...` before parsing, so Python's own options pass through.</summary>
    private static Command PythonCommand()
    {
        var python = new Command("python", "Run Python with the iolink module importable: iolink python [script.py | -m module | -c code] [args...].");
        python.SetAction(_ => IOLink.Python.PythonHost.Run([]));
        return python;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? named = null;
        foreach (var (name, _) in Commands)
        {
            if (args.Length > 0 && args[0] == name)
            {
                named = name;
                break;
            }
        }

        var root = Build(output, error, named);
        // No response files: an argument such as @scan.npy is a file name here, never a list of arguments to read.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // An unknown command is one message (the words after it were for it), with the command meant when a
            // letter or two away; an unknown option names the option meant likewise.
            var commands = root.Subcommands.Select(c => c.Name).ToList();
            if (parse.CommandResult.Command == root && args.Length > 0 && !args[0].StartsWith('-') && !commands.Contains(args[0]))
            {
                var meant = Closest(args[0], commands);
                error.WriteLine(meant is null
                    ? $"iolink: '{args[0]}' is not a command; the commands are {string.Join(", ", commands)}."
                    : $"iolink: '{args[0]}' is not a command; did you mean '{meant}'?");
                error.WriteLine("Run 'iolink --help' (or 'iolink COMMAND --help') for usage.");
                return ExitCodes.Usage;
            }

            var options = parse.CommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
            var errors = parse.Errors.Select(e => e.Message).ToList();
            if (errors.Count > 1)
            {
                errors.Remove("Required command was not provided.");
            }

            foreach (var message in errors)
            {
                var token = System.Text.RegularExpressions.Regex.Match(message, "^Unrecognized command or argument '(--[^']+)'\\.$");
                if (token.Success && Closest(token.Groups[1].Value, options) is { } option)
                {
                    error.WriteLine($"iolink: unknown option '{token.Groups[1].Value}'; did you mean '{option}'?");
                    continue;
                }

                error.WriteLine($"iolink: {message}");
            }

            error.WriteLine("Run 'iolink --help' (or 'iolink COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        // The tool handles SIGINT and SIGTERM itself (Interrupt): the parser's own handler would end the process
        // after a timeout, before a write has removed its temporary files.
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }

    /// <summary>The word of <paramref name="words"/> at most two edits from <paramref name="typed"/> (the nearest), or null.</summary>
    private static string? Closest(string typed, IEnumerable<string> words)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var word in words)
        {
            var distance = Distance(typed, word);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (word, distance);
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The whole number an option was given (a sign allowed), or null when it was not; anything else is a usage error
    /// saying what to give. Numeric options are strings read here rather than Option&lt;int&gt;: the parser's generic
    /// code over value types is jitted in every run, and its own message named .NET types (System.Nullable`1[System.Int32]).
    /// </summary>
    public static long? WholeNumber(ParseResult parse, Option<string?> option, string what)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            // A number too long for 64 bits is out of range; anything else is not a number at all.
            var digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
            throw new UsageException(digits.Length > 0 && !digits.AsSpan().ContainsAnyExceptInRange('0', '9')
                ? $"{option.Name} {text} is out of range; give {what}."
                : $"{option.Name} '{text}' is not a whole number; give {what}.");
        }

        return value;
    }

    /// <summary>
    /// The names of the options of <paramref name="options"/> the user gave, in that order. A loop: LINQ's iterators
    /// cost each run about a hundred type loads before the command did anything.
    /// </summary>
    public static List<string> Given(ParseResult parse, params Option[] options)
    {
        var given = new List<string>();
        foreach (var option in options)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                given.Add(option.Name);
            }
        }

        return given;
    }

    /// <summary>
    /// Whether a flag such as --overwrite is on: given alone, or given true (the parser has refused any other value).
    /// Read from its tokens rather than by GetValue&lt;bool&gt;, whose generic code is jitted in every run.
    /// </summary>
    public static bool IsSet(ParseResult parse, Option<bool> flag) =>
        parse.GetResult(flag) is { Implicit: false } result
        && (result.Tokens.Count == 0 || (bool.TryParse(result.Tokens[0].Value, out var on) ? on : parse.GetValue(flag)));

    /// <summary>Runs a command body under the error policy.</summary>
    public static int Guard(ParseResult parse, TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException ex)
        {
            error.WriteLine($"iolink: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (Interrupt.Signal != 0)
        {
            error.WriteLine("iolink: interrupted; an output being written was not kept (its temporary files are removed).");
            return ExitCodes.Interrupted(Interrupt.Signal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IOLinkException or ArgumentException
                                       or NotSupportedException or InvalidOperationException or OutOfMemoryException or OverflowException)
        {
            error.WriteLine(parse.GetValue(Verbose) ? $"iolink: error: {ex}" : $"iolink: error: {UserMessage(ex)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>An exception's message without .NET's " (Parameter 'name')" suffix: the user never named that parameter.</summary>
    public static string UserMessage(Exception ex)
    {
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message;
    }

    /// <summary>The raw-file options shared by the file commands.</summary>
    public sealed class RawFileOptions
    {
        public Option<string?> Shape { get; } = new("--shape") { Description = "Raw files: the size of each dimension, first (fastest) first, e.g. 512,512,100." };

        public Option<string?> DataType { get; } = new("--dtype") { Description = "Raw files: the element type, e.g. UINT16, FLOAT, VEC3_UINT8 (or uint16, float32)." };

        public Option<string?> Offset { get; } = new("--offset") { Description = "Raw files: the byte position of the first element (skips a header)." };

        public Option<string?> Dataset { get; } = new("--dataset") { Description = "HDF5 files: the dataset to read, e.g. /entry/data (needed when the file holds several; the error lists them)." };

        public Option<string?> Layout { get; } = new("--layout")
        {
            Description = "The file's axes in its own order as OME and tifffile letter them: tczyx, zyx, yx; s for a last axis of 3 or 4 colour samples (yxs: an RGB image). Instead of --axes.",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Shape);
            command.Options.Add(DataType);
            command.Options.Add(Offset);
            command.Options.Add(Dataset);
            command.Options.Add(Layout);
        }

        /// <summary>The axes --axes or --layout name (not both), in the file's own order; null when neither is given.</summary>
        public ImageDimension[]? AxesOf(ParseResult parse, Option<string?> axes)
        {
            var named = parse.GetValue(axes);
            var layout = parse.GetValue(Layout);
            if (named is not null && layout is not null)
            {
                throw new UsageException("--axes and --layout both name the file's axes; give one of them.");
            }

            return layout is not null ? Inputs.ParseLayout(layout) : Inputs.ParseAxes(named);
        }

        /// <summary>The --dataset given, or null.</summary>
        public string? DatasetOf(ParseResult parse) => parse.GetValue(Dataset);

        /// <summary>The raw options given; a file that describes itself (.npy, TIFF, HDF5, Zarr) given any of them is a usage error saying so.</summary>
        public Inputs.RawOptions? Parse(ParseResult parse, string path)
        {
            var given = Given(parse, Shape, DataType, Offset);
            if (given.Count > 0 && (File.Exists(path) || Directory.Exists(path)) && FileFormats.Of(path) is { } format && (Directory.Exists(path) || !format.IsFolder))
            {
                throw new UsageException($"'{path}' is a {format.Name} {(format.IsFolder ? "array" : "file")}, which describes itself; leave out {string.Join(", ", given)}.");
            }

            return Inputs.ParseRaw(parse.GetValue(Shape), parse.GetValue(DataType), WholeNumber(parse, Offset, "a byte position such as 128"));
        }
    }
}
