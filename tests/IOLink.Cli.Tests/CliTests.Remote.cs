using IOLink.Tests.Remote;

namespace IOLink.Cli.Tests;

/// <summary>The commands on inputs a real nginx serves: info, convert and slice by http:// address, as on local files.</summary>
public sealed partial class CliTests
{
    [Fact]
    public void Remote_InfoConvertAndSlice_ReadWhatTheServerServes()
    {
        using var server = new Nginx();
        System.IO.File.Copy(File("vol.npy"), Path.Combine(server.Root, "vol.npy"));
        var (code, _, error) = Run("convert", File("vol.npy"), Path.Combine(server.Root, "vol.zarr"), "--chunks", "8,4,4");
        Assert.True(code == 0, error);
        (code, _, error) = Run("convert", File("vol.npy"), Path.Combine(server.Root, "vol.ome.tif"));
        Assert.True(code == 0, error);

        // info: the same lines as for the local array, the size stored aside.
        var (localCode, local, _) = Run("info", Path.Combine(server.Root, "vol.zarr"));
        Assert.Equal(0, localCode);
        (code, var remote, error) = Run("info", server.Url("vol.zarr"));
        Assert.True(code == 0, error);
        Assert.Contains("format      Zarr v3 array", remote, StringComparison.Ordinal);
        Assert.Contains("stored      on an HTTP server", remote, StringComparison.Ordinal);
        Assert.Equal(Lines(local, "view shape", "axes", "chunks", "data type", "codec"), Lines(remote, "view shape", "axes", "chunks", "data type", "codec"));

        // A remote address without an extension is known by its metadata (Zarr) or its first bytes (.npy).
        Directory.Move(Path.Combine(server.Root, "vol.zarr"), Path.Combine(server.Root, "plain"));
        System.IO.File.Copy(File("vol.npy"), Path.Combine(server.Root, "array"));
        Assert.Contains("Zarr v3 array", Run("info", server.Url("plain")).Out, StringComparison.Ordinal);
        Assert.Contains("NumPy .npy", Run("info", server.Url("array")).Out, StringComparison.Ordinal);
        Assert.Contains("OME-TIFF", Run("info", server.Url("vol.ome.tif")).Out, StringComparison.Ordinal);

        // convert from the server to a local file: the same bytes as converting the local file.
        (code, _, error) = Run("convert", server.Url("vol.npy"), File("copy.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("copy.npy")));

        // slice of a remote TIFF draws the same PNG as of the local file.
        Assert.Equal(0, Run("slice", Path.Combine(server.Root, "vol.ome.tif"), "--index", "2", "-o", File("local.png")).Code);
        (code, _, error) = Run("slice", server.Url("vol.ome.tif"), "--index", "2", "-o", File("remote.png"));
        Assert.True(code == 0, error);
        Assert.Equal(System.IO.File.ReadAllBytes(File("local.png")), System.IO.File.ReadAllBytes(File("remote.png")));
    }

    [Fact]
    public void Remote_ErrorsAreOneLine()
    {
        using var server = new Nginx();
        var (code, output, error) = Run("info", server.Url("nothing.npy"));
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("404", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));

        (code, _, error) = Run("convert", File("vol.npy"), server.Url("out.npy"));
        Assert.Equal(2, code);
        Assert.Contains("reads but does not write", error, StringComparison.Ordinal);

        (code, _, error) = Run("info", "http://127.0.0.1:1/x.npy");
        Assert.Equal(1, code);
        Assert.Contains("failed", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static string Lines(string output, params string[] names) =>
        string.Join("\n", output.Split('\n').Where(l => names.Any(n => l.StartsWith(n, StringComparison.Ordinal))));
}
