using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python.Tests;

[Collection(PythonTests.Name)]
public sealed class RuntimeTests
{
    [Fact]
    public void Python_with_numpy_is_available_and_initialized_once()
    {
        Assert.True(PythonRuntime.IsAvailable);
        PythonRuntime.EnsureInitialized();
        Assert.True(PythonEngine.IsInitialized);
        Assert.Equal(1, Np.Get<int>("int(np.__version__.split('.')[0]) >= 1"));
    }

    [Fact]
    public void The_iolink_package_is_on_sys_path()
    {
        Assert.True(Directory.Exists(PythonRuntime.ModuleDirectory));
        Assert.True(File.Exists(Path.Combine(PythonRuntime.ModuleDirectory, "iolink", "__init__.py")));
        Assert.True(Np.Get<bool>($"{ToPython(PythonRuntime.ModuleDirectory)} in sys.path"));
    }

    [Fact]
    public void An_app_without_IOLink_Zarr_gets_an_ImportError_naming_the_package_to_add()
    {
        // IOLink.Python does not bring Zarr: this test app references the core and the bridge only.
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "IOLink.Zarr.dll")));
        string message;
        using (Py.GIL())
        {
            using var probe = PyModule.FromString("zarr_probe", """
                import iolink

                def run():
                    try:
                        iolink.ZarrArray.open("nowhere.zarr")
                    except ImportError as e:
                        return "ImportError: " + str(e)
                    return "no error"
                """);
            using var result = probe.InvokeMethod("run");
            message = result.As<string>();
        }

        Assert.StartsWith("ImportError: IOLink.Zarr is not in this process", message, StringComparison.Ordinal);
        Assert.Contains("dotnet add package IOLink.Zarr", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_threads_can_take_the_gil()
    {
        var results = new long[4];
        Parallel.For(0, results.Length, i => results[i] = Np.Get<long>($"int(np.arange({i + 10}).sum())"));
        Assert.Equal(new long[] { 45, 55, 66, 78 }, results);
    }

    [Fact]
    public void Locator_rejects_interpreters_it_cannot_use_and_says_why()
    {
        var rejected = new List<string>();
        Assert.Null(PythonLocator.Find(["/nonexistent/python3"], rejected));
        Assert.Single(rejected);
        Assert.Contains("could not be started", rejected[0]);
    }

    [Fact]
    public void Locator_finds_an_interpreter_with_numpy_and_its_shared_library()
    {
        var rejected = new List<string>();
        var found = PythonLocator.Find(PythonLocator.Candidates(), rejected);
        Assert.NotNull(found);
        Assert.True(File.Exists(found.Library));
        Assert.Contains("libpython", Path.GetFileName(found.Library));
        Assert.All(rejected, r => Assert.Contains("NumPy", r));
    }

    [Fact]
    public void The_install_hint_names_the_debian_packages()
    {
        Assert.Equal("apt-get install python3-numpy libpython3.11", PythonLocator.InstallHint);
    }

    private static string ToPython(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
