using System.Text.RegularExpressions;

namespace IOLink.Tests;

/// <summary>
/// Every C# sample of the README is a project under examples/csharp, made as `dotnet new console` makes one with the
/// package added: each is built against the packed packages in a folder of its own, as a user's new project is, and
/// run; what it prints must be its expected-output.txt, and each printed line what the comment beside its
/// Console.WriteLine says.
/// </summary>
[Collection("packages")]
public sealed class ExampleTests(PackagesFixture packages)
{
    public static TheoryData<string> Examples() => new(ExampleNames());

    internal static string[] ExampleNames() =>
        [.. Directory.GetDirectories(ExamplesFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    internal static string ExamplesFolder =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "csharp"));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_BuildsInANewProject_AndPrintsWhatItsCommentsSay(string name)
    {
        var source = Path.Combine(ExamplesFolder, name);
        var project = File.ReadAllText(Path.Combine(source, name + ".csproj"));
        // What `dotnet new console` writes, and the packages at the project's version.
        Assert.Contains("<OutputType>Exe</OutputType>", project, StringComparison.Ordinal);
        Assert.Contains("<ImplicitUsings>enable</ImplicitUsings>", project, StringComparison.Ordinal);
        var references = Regex.Matches(project, "<PackageReference Include=\"IOLink[^\"]*\" Version=\"([^\"]+)\"");
        Assert.NotEmpty(references);
        Assert.All(references, m => Assert.Equal(packages.Version, m.Groups[1].Value));

        // Program.cs and any other source file of the example (a class of its own, such as CustomView's view).
        var others = Directory.GetFiles(source, "*.cs").Where(f => Path.GetFileName(f) != "Program.cs")
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var output = await Run(name, project, File.ReadAllText(Path.Combine(source, "Program.cs")), others);
        var expected = File.ReadAllText(Path.Combine(source, "expected-output.txt"));
        Assert.Equal(expected, output);

        // Each Console.WriteLine's comment starts with the line it prints.
        var comments = File.ReadAllLines(Path.Combine(source, "Program.cs"))
            .Where(l => l.Contains("Console.WriteLine(", StringComparison.Ordinal))
            .Select(l => l.Contains("// ", StringComparison.Ordinal) ? l[(l.LastIndexOf("// ", StringComparison.Ordinal) + 3)..] : "")
            .ToList();
        var printed = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(comments.Count, printed.Length);
        for (var i = 0; i < printed.Length; i++)
        {
            var comment = comments[i];
            Assert.True(comment.StartsWith(printed[i], StringComparison.Ordinal) && (comment.Length == printed[i].Length || " :,".Contains(comment[printed[i].Length])),
                $"{name}: line {i + 1} prints '{printed[i]}' but its comment says '{comment}'");
        }
    }

    public static TheoryData<string> PackageReadmes() =>
        new(PackagesFixture.Libraries.Where(p => File.ReadAllText(Path.Combine(Repo, "src", p, "README.md")).Contains("```csharp", StringComparison.Ordinal)));

    private static string Repo => Path.GetFullPath(Path.Combine(ExamplesFolder, "..", ".."));

    [Theory]
    [MemberData(nameof(PackageReadmes))]
    public async Task EachPackagesReadmeSample_BuildsAndRuns_InANewProject(string package)
    {
        // What nuget.org shows on the package's page: its C# sample, pasted into a new project that adds the package.
        var sample = Regex.Match(File.ReadAllText(Path.Combine(Repo, "src", package, "README.md")), "^```csharp\n(.*?)^```$",
            RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        var project = File.ReadAllText(Path.Combine(ExamplesFolder, "DataModel", "DataModel.csproj"))
            .Replace("Include=\"IOLink\"", $"Include=\"{package}\"", StringComparison.Ordinal);
        await Run("Readme" + package.Replace(".", "", StringComparison.Ordinal), project, sample);
    }

    /// <summary>Builds and runs a new project of <paramref name="project"/> and <paramref name="program"/> in a folder of its own; its output.</summary>
    private async Task<string> Run(string name, string project, string program, Dictionary<string, string>? others = null)
    {
        var work = Path.Combine(packages.Folder, "examples", name);
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, name + ".csproj"), project);
        File.WriteAllText(Path.Combine(work, "Program.cs"), program);
        foreach (var (file, text) in others ?? [])
        {
            File.WriteAllText(Path.Combine(work, file), text);
        }

        File.Copy(packages.NugetConfig, Path.Combine(work, "nuget.config"));
        var (code, output, error) = await ChildProcess.Run("dotnet", work, null, packages.Environment, "run", "-c", "Release");
        Assert.True(code == 0, $"{name} failed ({code}):\n{output}{error}");
        return output;
    }
}

/// <summary>The README's C# samples are the example files, word for word (no packages needed to check that).</summary>
public sealed class ReadmeSampleTests
{
    [Fact]
    public void EveryCSharpSampleInTheReadme_IsAnExampleFile_WordForWord()
    {
        var readme = File.ReadAllText(Path.Combine(ExampleTests.ExamplesFolder, "..", "..", "README.md"));
        var samples = Regex.Matches(readme, "^([^\n]*)\n```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.NotEmpty(samples);
        var named = new HashSet<string>();
        foreach (Match sample in samples)
        {
            var marker = Regex.Match(sample.Groups[1].Value, "^<!-- examples/csharp/([A-Za-z]+)/Program.cs -->$");
            Assert.True(marker.Success, $"a C# sample in the README does not name its example file: {sample.Groups[2].Value.Split('\n')[0]}");
            var name = marker.Groups[1].Value;
            Assert.Equal(File.ReadAllText(Path.Combine(ExampleTests.ExamplesFolder, name, "Program.cs")), sample.Groups[2].Value);
            named.Add(name);
        }

        Assert.Equal(ExampleTests.ExampleNames(), named.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryPythonSampleThatNamesAnExampleFile_IsThatFile_WordForWord()
    {
        var root = Path.Combine(ExampleTests.ExamplesFolder, "..", "..");
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var samples = Regex.Matches(readme, "^<!-- (examples/python/[a-z0-9_]+\\.py) -->\n```python\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(samples.Count >= 3, "the README's Python samples name their example files");
        foreach (Match sample in samples)
        {
            // The file may open with a docstring the README's prose replaces.
            var file = Regex.Replace(File.ReadAllText(Path.Combine(root, sample.Groups[1].Value)), "^\"\"\".*?\"\"\"\n\n", string.Empty, RegexOptions.Singleline);
            Assert.Equal(file, sample.Groups[2].Value);
        }
    }
}
