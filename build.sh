#!/usr/bin/env bash
# One entry point for newcomers and CI:
#   ./build.sh demo    build and run the walkthrough (iolink demo)
#   ./build.sh test    build and run every test suite, then print "N passed, N failed, N skipped"
#   ./build.sh wheel   build the Python package: dist/iolink-<version>.tar.gz and dist/iolink-<version>-py3-none-<platform>.whl (offline)
#   ./build.sh pack    the NuGet packages (the libraries and the iolink tool) into nupkg/
#   ./build.sh bench   run the benchmarks (BenchmarkDotNet, Release; "bench stopwatch": plain Stopwatch loops)
#   ./build.sh bench-report   every figure of the README's "How fast" table, baselines beside them (about 25 min)
#   ./build.sh fuzz TARGET|all [SECONDS]   a bounded afl++ campaign per target (npy-header, npy-read, streams, cli, zarr-metadata, zarr-chunk, dlpack, zarr-links)
#   ./build.sh stress [SECONDS]            the dispose-while-reading races, two processes on one Zarr store, and the NumPy soak, for longer
#   ./build.sh python-stack            make (once, as root) the Debian 13 root the Python suite also runs in
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=artifacts/test-results

setup() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET 10 SDK is needed (dotnet on PATH); see https://dotnet.microsoft.com/download" >&2
    exit 1
  fi
  dotnet restore IOLink.slnx --verbosity quiet
}

# Debian packages a step needs: CHECK (a shell test) decides whether they are there; when they are missing and we
# are root they are installed, otherwise the apt-get command is printed and, unless NEED is "optional", the
# build stops. Usage: apt_need NEED "CHECK" "what they are for" PACKAGE...
apt_need() {
  local need=$1 check=$2 purpose=$3
  shift 3
  if eval "$check" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing $* (Debian packages, $purpose)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    return 0
  fi
  echo "build.sh: $purpose needs: sudo apt-get install $*" >&2
  [ "$need" = optional ] || exit 1
}

# Real CPython with NumPy (and pytest for the tests).
python_setup() {
  apt_need "$1" "/usr/bin/python3 -c 'import numpy, pytest, hypothesis' && ls /usr/lib/*/libpython3*.so*" \
    "NumPy interop" python3-numpy python3-pytest python3-hypothesis libpython3.11
}

# zarr-python, numcodecs (whose codecs the tests call directly), Dask (and its distributed scheduler) and c-blosc:
# the real clients of the Zarr tests.
zarr_setup() {
  apt_need "$1" "/usr/bin/python3 -c 'import zarr, numcodecs, dask.array, distributed' && ls /usr/lib/*/libblosc.so.1" \
    "Zarr interop" python3-zarr python3-numcodecs python3-dask python3-distributed libblosc1
}

# pytest's junit xml: passed = tests - failures - errors - skipped.
junit_count() {
  sed -n "s/.*<testsuite [^>]* $2=\"\([0-9]*\)\".*/\1/p" "$1" | head -n 1
}

trx_count() {
  local v
  v=$(sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" <<<"$1")
  echo "${v:-0}"
}

# Sums every suite into the one closing line. A suite that failed without reporting a failed test (a crashed
# test host, a Python host that could not start) still counts as one failure: the line never says 0 failed
# for a run that failed.
summarize() {
  local run_status=$1 passed=0 failed=0 skipped=0 f counters tests fails errors skips
  for f in "$results"/*.xml; do
    [ -f "$f" ] || continue
    tests=$(junit_count "$f" tests); fails=$(junit_count "$f" failures)
    errors=$(junit_count "$f" errors); skips=$(junit_count "$f" skipped)
    passed=$((passed + ${tests:-0} - ${fails:-0} - ${errors:-0} - ${skips:-0}))
    failed=$((failed + ${fails:-0} + ${errors:-0}))
    skipped=$((skipped + ${skips:-0}))
  done
  for f in "$results"/*.crashed; do
    [ -f "$f" ] && failed=$((failed + 1))
  done
  for f in "$results"/*.trx; do
    [ -f "$f" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    passed=$((passed + $(trx_count "$counters" passed)))
    failed=$((failed + $(trx_count "$counters" failed) + $(trx_count "$counters" error) + $(trx_count "$counters" timeout) + $(trx_count "$counters" aborted)))
    skipped=$((skipped + $(trx_count "$counters" notExecuted)))
  done
  if [ "$run_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

# Debian's offline packaging tools and venv, the notebook runner, and PyTorch (without it the DLPack tests skip).
wheel_setup() {
  apt_need required "/usr/bin/python3 -c 'import build, venv, ensurepip'" "the Python package" \
    python3-build python3-venv
}

notebook_setup() {
  apt_need required "command -v jupyter-nbconvert && /usr/bin/python3 -c 'import ipykernel'" "the notebook test" \
    jupyter-nbconvert python3-ipykernel
}

torch_setup() {
  apt_need optional "/usr/bin/python3 -c 'import torch'" "the DLPack tests" python3-torch
}

# Debian 13's Python stack (Python 3.13, NumPy 2.2, torch 2.6, zarr-python 3, Dask 2024.12): the suite runs there
# too, in a minimal root made once by debootstrap and kept between runs. Nothing there is ours but a venv made fresh
# each run; .NET and this folder are bind-mounted in a private mount namespace that ends with the command.
debian13_packages="python3 python3-numpy python3-pytest python3-hypothesis python3-venv python3-torch python3-zarr
  python3-numcodecs python3-dask python3-distributed python3-tifffile python3-h5py"
debian13_root=${IOLINK_DEBIAN13_ROOT:-/var/cache/iolink/debian13}

# The root is taken as it is only when it is complete (its stamp names the package list), root's and not writable
# by anyone else: a root another user could change would run their code as root.
debian13_usable() {
  [ -f "$debian13_root/.iolink-stack" ] && [ "$(stat -c '%u %a' "$debian13_root")" = "0 755" ] &&
    [ "$(cat "$debian13_root/.iolink-stack")" = "$(echo $debian13_packages)" ]
}

# Makes (or completes) the root. Returns 1, having said how to make it, when it is missing and we cannot.
debian13_setup() {
  debian13_usable && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: Debian 13's Python stack is not set up ($debian13_root); make it once with: sudo ./build.sh python-stack" >&2
    return 1
  fi
  apt_need required "command -v debootstrap" "Debian 13's Python stack" debootstrap
  local mirror partial=$debian13_root.partial packages
  packages=$(echo $debian13_packages | tr ' ' ',')
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  mirror=${mirror:-$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "build.sh: making Debian 13's Python stack in $debian13_root (debootstrap from $mirror, once; a few minutes)"
  rm -rf "$partial" "$debian13_root"
  mkdir -p "$(dirname "$debian13_root")"
  # debootstrap mounts proc inside the root while it works: in its own mount namespace those mounts end with it,
  # and the clean-up below never sees them.
  trap 'rm -rf --one-file-system "$partial"' EXIT
  unshare --mount --propagation private -- debootstrap --variant=minbase --include="$packages" trixie "$partial" "$mirror" >"$partial.log" 2>&1 || {
    echo "build.sh: debootstrap failed; see $partial.log" >&2; tail -n 20 "$partial.log" >&2
    rm -rf --one-file-system "$partial"; trap - EXIT; return 1; }
  rm -f "$partial.log"
  rm -rf "$partial/var/cache/apt/archives/"*.deb
  echo $debian13_packages >"$partial/.iolink-stack"
  chmod 755 "$partial"
  mv "$partial" "$debian13_root"
  trap - EXIT
}

# Runs a command inside the root, in this folder (mounted at the same path) with .NET mounted read-only.
debian13_run() {
  local dotnet_dir
  dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")")
  unshare --mount --propagation private -- /bin/sh -c '
    set -e
    root=$1 dotnet_dir=$2 here=$3
    shift 3
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    mkdir -p "$root$dotnet_dir" "$root$here"
    mount --bind "$dotnet_dir" "$root$dotnet_dir"
    mount -o remount,bind,ro "$root$dotnet_dir"
    mount --bind "$here" "$root$here"
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" DOTNET_ROOT="$dotnet_dir" \
      DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PATH="/usr/local/bin:/usr/bin:/bin:$dotnet_dir" \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$here" "$@"
  ' sh "$debian13_root" "$dotnet_dir" "$PWD" "$@"
}

# A fresh venv of Debian 13's python3 that sees its packages, with the wheel ($wheel) installed.
debian13_venv() {
  debian13_run /bin/sh -c 'rm -rf artifacts/venv-debian13 && python3 -m venv --system-site-packages artifacts/venv-debian13 &&
    artifacts/venv-debian13/bin/python -m pip install --quiet --no-deps --no-index --disable-pip-version-check "$0"' "$wheel"
}

debian13_versions() {
  debian13_run python3 -c 'import sys, numpy, torch, zarr; print("build.sh: Debian 13: Python %s, NumPy %s, torch %s, zarr-python %s" % (sys.version.split()[0], numpy.__version__, torch.__version__, zarr.__version__))'
}

# The Python suite under Debian 13's python3, the wheel installed in a fresh venv of that Python. A missing stack
# fails the run in CI and is counted as one skipped suite elsewhere (said above the summary, never silent).
debian13_pytest() {
  if ! debian13_setup; then
    if [ -n "${CI:-}" ]; then
      touch "$results/pytest-debian13.crashed"
      return 1
    fi
    printf '<testsuite name="debian13" tests="1" failures="0" errors="0" skipped="1"></testsuite>\n' >"$results/pytest-debian13.xml"
    return 0
  fi
  debian13_versions
  debian13_venv
  run_pytest debian13 debian13_run artifacts/venv-debian13/bin/python -m pytest tests/python
}

# The NuGet packages of the libraries and of the iolink tool (a pointer package and one per platform), into
# folder $1, replacing the ones an earlier run left there.
pack_all() {
  mkdir -p "$1"
  rm -f "$1"/IOLink*.nupkg "$1"/IOLink*.snupkg
  rm -rf artifacts/example-packages/iolink*    # what examples/csharp restored from an earlier pack
  for project in IOLink IOLink.Tensors IOLink.Zarr IOLink.Python IOLink.Cli; do
    dotnet pack "src/$project/$project.csproj" -c Release -o "$1" --verbosity quiet -nologo -clp:ErrorsOnly
  done
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

# One pytest run, NAME then the command, its junit xml in the results; a run that crashed before writing its
# report counts as a failure.
run_pytest() {
  local name=$1 code=0
  shift
  echo "build.sh: pytest ($name)"
  "$@" -q -p no:cacheprovider --junitxml="$results/pytest-$name.xml" || code=$?
  case $code in
    0) return 0 ;;
    5) echo "build.sh: pytest ($name) found no tests" >&2 ;;
    *) [ -f "$results/pytest-$name.xml" ] || touch "$results/pytest-$name.crashed" ;;
  esac
  return 1
}

fuzz_targets="npy-header npy-read streams cli zarr-metadata zarr-chunk dlpack zarr-links"
fuzz_bin=artifacts/fuzz/bin

# afl++ (Debian's) and SharpFuzz's instrumenter (a local dotnet tool), then the harness published and instrumented.
fuzz_setup() {
  apt_need required "command -v afl-fuzz" "fuzzing" afl++
  dotnet tool restore --verbosity quiet >/dev/null
  rm -rf "$fuzz_bin"
  dotnet publish fuzz/IOLink.Fuzz/IOLink.Fuzz.csproj -c Release -o "$fuzz_bin" --verbosity quiet -nologo -clp:ErrorsOnly
  for dll in IOLink.dll IOLink.Cli.dll IOLink.Zarr.dll; do
    dotnet tool run sharpfuzz "$fuzz_bin/$dll" >/dev/null
  done
}

# One bounded campaign; prints executions and findings, and fails when afl++ saved a crash or a hang.
fuzz_run() {
  local target=$1 seconds=$2 out=artifacts/fuzz/$1 stats
  rm -rf "$out"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$seconds" -i "fuzz/corpus/$target" -o "$out" -t 5000 -m none -- dotnet "$fuzz_bin/IOLink.Fuzz.dll" "$target" >"$out.log" 2>&1 || {
      echo "build.sh: afl-fuzz failed for $target; see $out.log" >&2; tail -n 20 "$out.log" >&2; return 1; }
  stats=$out/default/fuzzer_stats
  local execs crashes hangs
  execs=$(sed -n 's/^execs_done *: *//p' "$stats")
  crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
  hangs=$(sed -n 's/^saved_hangs *: *//p' "$stats")
  echo "fuzz $target: $execs executions in ${seconds}s, $crashes crashes, $hangs hangs (inputs: $out/default)"
  [ "${crashes:-1}" -eq 0 ] && [ "${hangs:-1}" -eq 0 ]
}

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
    echo "usage: ./build.sh demo | test | wheel | python-stack | bench-report | bench [BenchmarkDotNet arguments] | fuzz TARGET|all [SECONDS] | stress [SECONDS]" >&2
    exit 2
    ;;
esac
