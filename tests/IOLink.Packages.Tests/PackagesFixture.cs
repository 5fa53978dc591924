using System.IO.Compression;
using System.Xml.Linq;

namespace IOLink.Tests;

/// <summary>
/// The packages as a user gets them: every project of src/ packed once into a temporary local feed, the way
/// ./build.sh pack does, and a NuGet set-up that restores from that feed alone (plus the packages this machine's
/// restore already holds, so nothing comes from the network and no stale copy of the same version is reused).
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    public static readonly string[] Libraries = ["IOLink", "IOLink.Tensors", "IOLink.Zarr", "IOLink.Tiff", "IOLink.Hdf5", "IOLink.Python"];

    /// <summary>The platforms of the tool's packages; "any" is the fallback for every other one, with every platform's native libraries.</summary>
    public static readonly string[] ToolPlatforms = ["linux-x64", "linux-arm64", "linux-musl-x64", "osx-x64", "osx-arm64", "win-x64", "any"];

    public string Repo { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "iolink-packages-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Folder, "nupkg");

    /// <summary>A global packages folder of its own, so that a package of the same version restored earlier is never used.</summary>
    public string PackagesCache => Path.Combine(Folder, "nuget-packages");

    public string NugetConfig => Path.Combine(Folder, "nuget.config");

    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var project in Libraries.Append("IOLink.Cli"))
        {
            var (code, output, error) = await ChildProcess.Run("dotnet", Repo, null, BuildEnvironment,
                "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "-o", Feed, "-nologo", "--verbosity", "quiet");
            Assert.True(code == 0, $"dotnet pack {project} failed:\n{output}{error}");
        }

        // The one version of the project (Directory.Build.props), which the examples' projects name too.
        Version = XDocument.Load(Path.Combine(Repo, "Directory.Build.props")).Descendants("Version").Single().Value;

        var (listed, locals, _) = await ChildProcess.Run("dotnet", Folder, null, null, "nuget", "locals", "global-packages", "--list");
        Assert.True(listed == 0 && locals.Contains("global-packages:", StringComparison.Ordinal), locals);
        var restored = locals.Trim()["global-packages:".Length..].Trim();
        File.WriteAllText(NugetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="iolink" value="{Feed}" />
                <add key="restored" value="{restored}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="iolink"><package pattern="IOLink*" /></packageSource>
                <packageSource key="restored"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The path of package <paramref name="id"/> in the feed.</summary>
    public string Package(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    /// <summary>The metadata of a package's .nuspec, by element name (id, version, description, license, readme...).</summary>
    public static Dictionary<string, XElement> Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return metadata.Elements().ToDictionary(e => e.Name.LocalName);
    }

    /// <summary>What every child `dotnet` gets: no MSBuild nodes left running after it (they would hold its outputs open).</summary>
    public static IReadOnlyDictionary<string, string> BuildEnvironment { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>The environment of a user's `dotnet` in these tests: the private packages folder besides <see cref="BuildEnvironment"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        new Dictionary<string, string>(BuildEnvironment) { ["NUGET_PACKAGES"] = PackagesCache };
}

[CollectionDefinition("packages")]
public sealed class PackagesGroup : ICollectionFixture<PackagesFixture>;
