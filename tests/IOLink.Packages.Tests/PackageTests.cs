using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace IOLink.Tests;

/// <summary>What each package carries, and the tool installed from the local feed exactly as the README says.</summary>
[Collection("packages")]
public sealed class PackageTests(PackagesFixture packages)
{
    [Fact]
    public void EveryPackage_HasADescriptionReadmeLicenceAndItsSource()
    {
        var ids = PackagesFixture.Libraries.Append("IOLink.Cli").Concat(PackagesFixture.ToolPlatforms.Select(p => "IOLink.Cli." + p));
        foreach (var id in ids)
        {
            var package = packages.Package(id);
            var nuspec = PackagesFixture.Nuspec(package);
            Assert.Equal(id, nuspec["id"].Value);
            Assert.True(nuspec["description"].Value.Length > 40, $"{id}: no real description");
            Assert.Equal("expression", nuspec["license"].Attribute("type")?.Value);
            Assert.Equal("MIT", nuspec["license"].Value);
            Assert.Equal("README.md", nuspec["readme"].Value);
            // The commit the package was built from (SourceLink's input; its links are checked below).
            Assert.Matches("^[0-9a-f]{40}$", nuspec["repository"].Attribute("commit")?.Value ?? "");
            using var zip = ZipFile.OpenRead(package);
            var readme = zip.GetEntry("README.md");
            Assert.NotNull(readme);
            using var text = new StreamReader(readme.Open());
            Assert.StartsWith("# IOLink", text.ReadToEnd(), StringComparison.Ordinal);
        }

        // The libraries' symbols come as .snupkg beside them, with the portable PDB of each assembly.
        foreach (var id in PackagesFixture.Libraries)
        {
            using var symbols = ZipFile.OpenRead(packages.Package(id, ".snupkg"));
            Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
        }
    }

    [Fact]
    public void TheKernelLibraries_CarryALinuxX64ReadyToRunCopy_BesideTheirIL()
    {
        // .NET loads runtimes/linux-x64/lib in place of lib on that platform: a C# application's first copy then
        // runs precompiled kernels. Everywhere else the IL is jitted, its kernels fully optimized at first call.
        foreach (var id in new[] { "IOLink", "IOLink.Zarr", "IOLink.Tensors" })
        {
            using var zip = ZipFile.OpenRead(packages.Package(id));
            Assert.False(IsReadyToRun(zip, $"lib/net10.0/{id}.dll"), $"{id}: lib/ should hold IL only");
            Assert.True(IsReadyToRun(zip, $"runtimes/linux-x64/lib/net10.0/{id}.dll"), $"{id}: runtimes/linux-x64 is not precompiled");
            using var symbols = ZipFile.OpenRead(packages.Package(id, ".snupkg"));
            Assert.Contains(symbols.Entries, e => e.FullName == $"runtimes/linux-x64/lib/net10.0/{id}.pdb");
        }

        using var tiff = ZipFile.OpenRead(packages.Package("IOLink.Tiff"));
        Assert.DoesNotContain(tiff.Entries, e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal));

        // The tool: each platform's package precompiled for it, the fallback IL.
        using var linux = ZipFile.OpenRead(packages.Package("IOLink.Cli.linux-x64"));
        Assert.True(IsReadyToRun(linux, "tools/net10.0/linux-x64/IOLink.Cli.dll"), "the linux-x64 tool is not precompiled");
        using var fallback = ZipFile.OpenRead(packages.Package("IOLink.Cli.any"));
        Assert.False(IsReadyToRun(fallback, "tools/net10.0/any/IOLink.Cli.dll"), "the fallback tool should be IL");
    }

    private static bool IsReadyToRun(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path);
        Assert.True(entry is not null, $"{path} is missing");
        using var bytes = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(bytes);
        }

        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [Fact]
    public void TheToolPackage_PointsToOnePackagePerPlatform_EachWithOnlyItsNativeLibraries()
    {
        using (var pointer = ZipFile.OpenRead(packages.Package("IOLink.Cli")))
        {
            using var settings = new StreamReader(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
            var xml = settings.ReadToEnd();
            foreach (var platform in PackagesFixture.ToolPlatforms)
            {
                Assert.Contains($"RuntimeIdentifier=\"{platform}\" Id=\"IOLink.Cli.{platform}\"", xml, StringComparison.Ordinal);
            }

            Assert.True(new FileInfo(packages.Package("IOLink.Cli")).Length < 10_000);
        }

        using var linux = ZipFile.OpenRead(packages.Package("IOLink.Cli.linux-x64"));
        var files = linux.Entries.Where(e => e.FullName.StartsWith("tools/net10.0/linux-x64/", StringComparison.Ordinal)).ToList();
        Assert.Contains(files, e => e.Name == "libSkiaSharp.so");
        Assert.Contains(files, e => e.FullName.EndsWith("/iolink-python/iolink/__init__.py", StringComparison.Ordinal));
        // No other platform's native libraries, no debug symbols of dependencies (84 MB for Windows' SkiaSharp alone).
        Assert.DoesNotContain(linux.Entries, e => e.FullName.Contains("/runtimes/", StringComparison.Ordinal) || e.Name.EndsWith(".dylib", StringComparison.Ordinal));
        Assert.DoesNotContain(linux.Entries, e => e.Name.EndsWith(".pdb", StringComparison.Ordinal) && !e.Name.StartsWith("IOLink", StringComparison.Ordinal));
        var unpacked = linux.Entries.Sum(e => e.Length);
        Assert.True(unpacked < 30_000_000, $"the linux-x64 tool package unpacks to {unpacked:N0} bytes");
        Assert.True(new FileInfo(packages.Package("IOLink.Cli.win-x64")).Length < 15_000_000);
        // The fallback for other platforms (win-arm64, linux-musl-arm64, ...) carries all their native libraries.
        using var fallback = ZipFile.OpenRead(packages.Package("IOLink.Cli.any"));
        Assert.Contains(fallback.Entries, e => e.FullName.EndsWith("/runtimes/win-arm64/native/libSkiaSharp.dll", StringComparison.Ordinal));
        Assert.Contains(fallback.Entries, e => e.FullName.EndsWith("/runtimes/linux-musl-arm64/native/libSkiaSharp.so", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTool_InstallsFromTheFeed_AndEveryDocumentedCommandPrintsWhatTheReadmeShows()
    {
        // The README: ./build.sh pack, dotnet tool install --global --add-source ./nupkg IOLink.Cli, PATH, iolink --version.
        // Here into a tool path, not globally, and with the feed in a configuration that maps IOLink's packages to it
        // alone (a package of the same name elsewhere never wins; NuGet then refuses --add-source).
        var work = Path.Combine(packages.Folder, "transcript");
        var tools = Path.Combine(packages.Folder, "tools");
        Directory.CreateDirectory(work);
        var (code, output, error) = await ChildProcess.Run("dotnet", work, null, packages.Environment,
            "tool", "install", "--tool-path", tools, "--configfile", packages.NugetConfig, "IOLink.Cli");
        Assert.True(code == 0, output + error);
        (code, output, error) = await ChildProcess.Run(Path.Combine(tools, "iolink"), work, null, null, "--version");
        Assert.True(code == 0, output + error);
        Assert.StartsWith(packages.Version + "+", output.Trim(), StringComparison.Ordinal);
        // This machine got its own platform's package, not the fallback.
        Assert.True(Directory.Exists(Path.Combine(tools, ".store", "iolink.cli", packages.Version, "iolink.cli." + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier)),
            string.Join("\n", Directory.GetDirectories(Path.Combine(tools, ".store", "iolink.cli", packages.Version))));

        // Every "$ command" of the README's transcripts, in order, in one folder, with the installed tool on PATH; what
        // follows each command up to the next is its output (standard output and error, as a terminal shows them).
        var readme = File.ReadAllText(Path.Combine(packages.Repo, "README.md"));
        var transcripts = Regex.Matches(readme, "^```\n(\\$ .*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(transcripts.Count >= 2, "the README's transcripts were not found");
        var path = tools + ":" + System.Environment.GetEnvironmentVariable("PATH");
        var commands = 0;
        foreach (Match transcript in transcripts)
        {
            foreach (var step in Regex.Split(transcript.Groups[1].Value, "^\\$ ", RegexOptions.Multiline).Where(s => s.Length > 0))
            {
                var lines = step.Split('\n', 2);
                var (_, shown, _) = await ChildProcess.Run("bash", work, null, new Dictionary<string, string> { ["PATH"] = path },
                    "-c", "exec 2>&1; " + lines[0]);
                Assert.Equal($"$ {lines[0]}\n{lines[1]}", $"$ {lines[0]}\n{shown}");
                commands++;
            }
        }

        Assert.True(commands >= 12, $"only {commands} commands were found in the README's transcripts");
    }

    [Fact]
    public async Task TheReadmeInstallLine_AddsEveryLibrary_ToAProjectInAFreshHome()
    {
        // The README's line as written, for each library in turn: a new console project in a home of its own (no NuGet
        // cache, no user-wide feeds), the nuget.config ./build.sh pack writes beside the packages, dotnet add package,
        // then a build: IOLink's packages come from the folder, their dependencies from nuget.org.
        var readme = File.ReadAllText(Path.Combine(packages.Repo, "README.md"));
        var line = Regex.Match(readme, @"^(dotnet new console -o ~/MyApp && cp nupkg/nuget\.config ~/MyApp/ && dotnet add ~/MyApp package IOLink\.Zarr)\b", RegexOptions.Multiline);
        Assert.True(line.Success, "the README's install line was not found");
        var (code, output, error) = await ChildProcess.Run("bash", packages.Repo, null, null, "tools/nuget-config.sh", packages.Feed);
        Assert.True(code == 0, output + error);
        foreach (var library in PackagesFixture.Libraries)
        {
            var home = Path.Combine(packages.Folder, "home-" + library);
            Directory.CreateDirectory(home);
            var environment = new Dictionary<string, string>(PackagesFixture.BuildEnvironment) { ["HOME"] = home, ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages") };
            var command = line.Groups[1].Value.Replace("package IOLink.Zarr", "package " + library, StringComparison.Ordinal);
            (code, output, error) = await ChildProcess.Run("bash", packages.Folder, null, environment, "-c", command);
            Assert.True(code == 0, $"{command}\n{output}{error}");
            (code, output, error) = await ChildProcess.Run("dotnet", Path.Combine(home, "MyApp"), null, environment, "build", "-nologo", "--verbosity", "quiet");
            Assert.True(code == 0, $"{library}: {output}{error}");
            Assert.Contains($"Include=\"{library}\" Version=\"{packages.Version}\"", File.ReadAllText(Path.Combine(home, "MyApp", "MyApp.csproj")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AClone_InAFolderNamedSrc_BuildsItsTests()
    {
        // ~/src/iolink is where many people clone: only the repository's own src/ holds the documented projects.
        var clone = Path.Combine(packages.Folder, "home", "src", "iolink");
        var (code, output, error) = await ChildProcess.Run("git", packages.Folder, null, null, "clone", "-q", packages.Repo, clone);
        Assert.True(code == 0, output + error);
        (code, output, error) = await ChildProcess.Run("dotnet", clone, null, PackagesFixture.BuildEnvironment,
            "build", "tests/IOLink.PublicApi.Tests/IOLink.PublicApi.Tests.csproj", "-c", "Release", "-nologo", "--verbosity", "quiet");
        Assert.True(code == 0, output + error);
        // The code builds without a compiler, analyzer or package warning (the tree treats them as errors anyway).
        Assert.DoesNotMatch(@"warning (CS|CA|IDE|NU)\d+", output + error);
    }

    [Fact]
    public async Task SourceLink_MapsEverySourceFileToTheCommitInTheRepository()
    {
        // A clone whose remote is a GitHub repository, as the project's own is: the PDB links its sources there.
        var clone = Path.Combine(packages.Folder, "clone");
        var (code, output, error) = await ChildProcess.Run("git", packages.Folder, null, null, "clone", "-q", packages.Repo, clone);
        Assert.True(code == 0, output + error);
        const string remote = "https://github.com/iolink-dotnet/iolink";
        (code, output, error) = await ChildProcess.Run("git", clone, null, null, "remote", "set-url", "origin", remote + ".git");
        Assert.True(code == 0, output + error);
        var (_, commit, _) = await ChildProcess.Run("git", clone, null, null, "rev-parse", "HEAD");
        var feed = Path.Combine(clone, "out");
        (code, output, error) = await ChildProcess.Run("dotnet", clone, null, PackagesFixture.BuildEnvironment,
            "pack", "src/IOLink/IOLink.csproj", "-c", "Release", "-o", feed, "-nologo", "--verbosity", "quiet");
        Assert.True(code == 0, output + error);
        Assert.Equal(remote + ".git", PackagesFixture.Nuspec(Path.Combine(feed, $"IOLink.{packages.Version}.nupkg"))["repository"].Attribute("url")?.Value);
        using var symbols = ZipFile.OpenRead(Path.Combine(feed, $"IOLink.{packages.Version}.snupkg"));
        using var pdb = new MemoryStream();
        using (var entry = symbols.GetEntry("lib/net10.0/IOLink.pdb")!.Open())
        {
            entry.CopyTo(pdb);
        }

        var text = System.Text.Encoding.UTF8.GetString(pdb.ToArray());
        Assert.Contains($"https://raw.githubusercontent.com/iolink-dotnet/iolink/{commit.Trim()}/*", text, StringComparison.Ordinal);
    }
}
