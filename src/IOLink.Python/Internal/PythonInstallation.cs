namespace IOLink.Python.Internal;

/// <summary>One CPython installation that can be embedded: its shared library, its home and extra site folders.</summary>
internal sealed record PythonInstallation(string Executable, string Library, string Home, string Version, string NumpyVersion, string[] SiteDirectories);
