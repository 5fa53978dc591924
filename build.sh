#!/usr/bin/env bash
# One entry point for newcomers and CI:
#   ./build.sh demo    build and run the walkthrough (iolink demo)
#   ./build.sh test    build and run every test suite, then print "N passed, N failed, N skipped"
#   ./build.sh wheel   build the Python package: dist/iolink-<version>.tar.gz and dist/iolink-<version>-py3-none-<platform>.whl (offline)
#   ./build.sh pack    the NuGet packages (the libraries and the iolink tool) into nupkg/
#   ./build.sh bench   run the benchmarks (BenchmarkDotNet, Release; "bench stopwatch": plain Stopwatch loops; "bench firstcall": first calls in fresh processes)
#   ./build.sh bench-report   every figure of the README's "How fast" table, baselines beside them (about 25 min)
#   ./build.sh fuzz TARGET|all [SECONDS]   a bounded afl++ campaign per target (npy-header, npy-read, streams, cli, zarr-metadata, zarr-chunk, dlpack, zarr-links, zarr3-metadata, zarr-shard, tiff, hdf5)
#   ./build.sh stress [SECONDS]            the dispose-while-reading races, two processes on one Zarr store, and the NumPy soak, for longer
#   ./build.sh python-stack            make (once, as root) the Debian 13 root the Python suite also runs in
#   ./build.sh packages                the Debian packages every step needs (what .ci/run installs)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=artifacts/test-results

# The Debian packages each step needs, named once, here: a step installs its list when it is missing (as root),
# and .ci/run installs them all up front on a fresh machine (./build.sh packages prints them).
packages_python="python3-numpy python3-pytest python3-hypothesis python3-pandas python3-tifffile python3-pil python3-h5py libpython3.11"   # real CPython, NumPy, pandas, tifffile, Pillow (libtiff), h5py
packages_zarr="python3-zarr python3-numcodecs python3-dask python3-distributed libblosc1"   # Zarr's real clients, c-blosc
packages_wheel="python3-build python3-venv"                                         # the Python package, offline
packages_notebook="jupyter-nbconvert python3-ipykernel"                             # the notebook runner
packages_torch="python3-torch"                                                      # the DLPack client
packages_debootstrap="debootstrap"                                                  # the Debian 13 root
packages_fuzz="afl++"                                                               # bounded fuzzing
packages_remote="nginx-light"                                                        # the HTTP server remote reads are tested against
packages_node="nodejs npm"                                                          # zarrita (installed only when node is missing)

# Debian 13's Python stack, installed inside its root (see debian13.sh): the first list by debootstrap, the second
# (the remote-data tests' servers and clients) by apt inside the root, which orders their configuration as
# debootstrap's single pass does not (python3-cryptography fails there).
debian13_packages="python3 python3-numpy python3-pytest python3-hypothesis python3-venv python3-torch python3-zarr
  python3-numcodecs python3-dask python3-distributed python3-tifffile python3-h5py python3-pandas"
debian13_extra="python3-fsspec python3-aiohttp python3-moto python3-boto3 python3-flask python3-flask-cors nginx"

# The steps, one file each: setup.sh (the SDK and the packages above), tally.sh (pytest runs and the closing "N passed, N failed, N skipped" line), python.sh (NuGet packages,
# the wheel, the venv), debian13.sh (the second Python stack), fuzz.sh (afl++ campaigns).
for part in setup tally python debian13 fuzz; do
  # shellcheck source=/dev/null
  . "tools/build/$part.sh"
done

case "${1:-}" in
  demo)
    setup
    python_setup optional
    zarr_setup optional
    dotnet build src/IOLink.Cli/IOLink.Cli.csproj -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    dotnet run --project src/IOLink.Cli/IOLink.Cli.csproj -c Release --no-build -- demo
    ;;
  test)
    setup
    python_setup required
    zarr_setup required
    zarrita_setup
    remote_setup
    rm -rf "$results"
    dotnet build IOLink.slnx -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    status=0
    dotnet test IOLink.slnx -c Release --no-build --verbosity quiet \
      --logger "trx" --results-directory "$results" || status=$?
    # The Python suite runs twice, as users run Python: inside the host (iolink python -m pytest), and under plain
    # python3 with the wheel installed in a fresh venv. Then the notebook in examples/ runs headless in that venv.
    wheel_setup
    notebook_setup
    torch_setup
    wheel_build
    venv_create artifacts/venv
    run_pytest host dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python -m pytest tests/python || status=1
    run_pytest python3 artifacts/venv/bin/python -m pytest tests/python || status=1
    debian13_pytest || status=1
    run_pytest notebook artifacts/venv/bin/python -m pytest tests/notebook || status=1
    summarize "$status" || status=1
    exit $status
    ;;
  wheel)
    setup
    wheel_setup
    wheel_build
    ;;
  packages)
    echo $packages_python $packages_zarr $packages_wheel $packages_notebook $packages_torch $packages_debootstrap $packages_fuzz $packages_remote
    ;;
  python-stack)
    debian13_setup
    debian13_versions
    ;;
  pack)
    setup
    pack_all nupkg
    echo "build.sh: packages in nupkg/; install the tool with: dotnet tool install --global --add-source ./nupkg IOLink.Cli"
    ;;
  bench-report)
    setup
    python_setup required
    zarr_setup required
    wheel_setup
    torch_setup
    dotnet build IOLink.slnx -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    wheel_build
    venv_create artifacts/venv
    dotnet run --project bench/IOLink.Benchmarks/IOLink.Benchmarks.csproj -c Release -- \
      --filter '*RegionCopy*' '*TensorInterop*' '*DataAccess*' '*Npy*' --job short --iterationCount 7 --warmupCount 3
    echo "== Python, plain python3 (the wheel in artifacts/venv)"
    artifacts/venv/bin/python bench/python/python_calls_bench.py
    artifacts/venv/bin/python bench/python/copy_bench.py
    artifacts/venv/bin/python bench/python/zarr_bench.py
    artifacts/venv/bin/python bench/python/scaling_bench.py      # threads against torch, then first calls
    dotnet run --project bench/IOLink.Benchmarks/IOLink.Benchmarks.csproj -c Release -- firstcall 3
    if debian13_setup; then
      echo "== Python, Debian 13's python3 (the wheel in artifacts/venv-debian13)"
      debian13_versions
      debian13_venv
      debian13_run artifacts/venv-debian13/bin/python bench/python/python_calls_bench.py
    fi
    echo "== Python, inside the host"
    dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python bench/python/python_calls_bench.py
    dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python bench/python/numpy_interop_bench.py
    dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python bench/python/npy_bench.py
    echo "== Files: iolink convert against cp"
    /usr/bin/python3 bench/python/convert_bench.py dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll
    echo "build.sh: BenchmarkDotNet's tables (with the Ratio to each group's baseline) are in BenchmarkDotNet.Artifacts/results/"
    ;;
  bench)
    setup
    shift
    dotnet run --project bench/IOLink.Benchmarks/IOLink.Benchmarks.csproj -c Release -- "$@"
    ;;
  fuzz)
    target=${2:-}
    seconds=${3:-60}
    case " $fuzz_targets all " in
      *" $target "*) ;;
      *) echo "usage: ./build.sh fuzz TARGET|all [SECONDS]   (targets: $fuzz_targets)" >&2; exit 2 ;;
    esac
    setup
    fuzz_setup
    status=0
    for t in $( [ "$target" = all ] && echo $fuzz_targets || echo "$target" ); do
      fuzz_run "$t" "$seconds" || status=1
    done
    exit $status
    ;;
  stress)
    seconds=${2:-60}
    setup
    python_setup required
    dotnet build IOLink.slnx -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    IOLINK_STRESS_SECONDS=$seconds dotnet test tests/IOLink.Tests/IOLink.Tests.csproj -c Release --no-build \
      --filter "Category=Stress" --logger "console;verbosity=normal"
    zarr_setup required
    IOLINK_STRESS_SECONDS=$seconds dotnet test tests/IOLink.Zarr.Tests/IOLink.Zarr.Tests.csproj -c Release --no-build \
      --filter "Category=Stress" --logger "console;verbosity=normal"
    IOLINK_SOAK_CYCLES=1000000 dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python -m pytest tests/python -q \
      -p no:cacheprovider -k "soak or leave_no_block_alive"
    ;;
  *)
    echo "usage: ./build.sh demo | test | pack | wheel | python-stack | packages | bench-report | bench [BenchmarkDotNet arguments] | fuzz TARGET|all [SECONDS] | stress [SECONDS]" >&2
    exit 2
    ;;
esac
