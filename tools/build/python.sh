# shellcheck shell=bash
# Sourced by build.sh; not run on its own.
# The packages: NuGet, the Python sdist and wheel, and the venv the Python suite runs in.

# The NuGet packages of the libraries and of the iolink tool (a pointer package and one per platform), into
# folder $1, replacing the ones an earlier run left there.
pack_all() {
  mkdir -p "$1"
  rm -f "$1"/IOLink*.nupkg "$1"/IOLink*.snupkg
  rm -rf artifacts/example-packages/iolink*    # what examples/csharp restored from an earlier pack
  for project in IOLink IOLink.Tensors IOLink.Zarr IOLink.Tiff IOLink.Hdf5 IOLink.Python IOLink.Cli; do
    dotnet pack "src/$project/$project.csproj" -c Release -o "$1" --verbosity quiet -nologo -clp:ErrorsOnly
  done
  # What a project of the user's copies to take IOLink's packages from here and the rest from nuget.org.
  tools/nuget-config.sh "$1"
}

# The Python package (pyproject.toml at the top, the package in python/iolink, the build backend in
# python/build_backend): the sdist, then the wheel built from that sdist, as a user's `pip wheel` of it would
# (the wheel is tagged for this platform: its assemblies carry ReadyToRun code for it). Built with --no-isolation
# from Debian's python3-build, so nothing comes from PyPI. Sets $wheel.
wheel_build() {
  local version log=artifacts/wheel-build.log
  version=$(dotnet msbuild src/IOLink.Python/IOLink.Python.csproj -getProperty:Version)
  mkdir -p dist artifacts
  rm -f dist/iolink-"$version"-py3-none-*.whl dist/iolink-"$version".tar.gz
  /usr/bin/python3 -m build --no-isolation --outdir dist . >"$log" 2>&1 || {
    echo "build.sh: building the Python package failed; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
  wheel=$(ls dist/iolink-"$version"-py3-none-*.whl)
  echo "build.sh: built dist/iolink-$version.tar.gz and $wheel"
}

# A fresh venv that sees Debian's NumPy and pytest, with the package installed as a user installs it from a
# clone: `pip install .`, offline (the in-tree backend builds the assemblies with the .NET SDK).
venv_create() {
  local venv=$1 log=artifacts/pip-install.log
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/python" -m pip install --no-deps --no-index --disable-pip-version-check . >"$log" 2>&1 || {
    echo "build.sh: pip install . failed; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
}
