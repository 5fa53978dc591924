#!/usr/bin/env bash
# One entry point for newcomers and CI:
#   ./build.sh demo    build and run the walkthrough (iolink demo)
#   ./build.sh test    build and run every test suite, then print "N passed, N failed, N skipped"
#   ./build.sh bench   run the benchmarks (BenchmarkDotNet, Release)
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

# Real CPython with NumPy (and pytest for the tests): Debian's packages. Installed when missing and we are root;
# otherwise the command to run is printed.
python_setup() {
  local need=$1
  if /usr/bin/python3 -c 'import numpy, pytest' >/dev/null 2>&1 && ls /usr/lib/*/libpython3*.so* >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing python3-numpy, python3-pytest and libpython3.11 (Debian packages)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-numpy python3-pytest libpython3.11 >/dev/null
    return 0
  fi
  echo "build.sh: NumPy interop needs: sudo apt-get install python3-numpy python3-pytest libpython3.11" >&2
  [ "$need" = optional ] || exit 1
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
  if [ -f "$results/pytest.crashed" ]; then
    failed=$((failed + 1))
  fi
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

case "${1:-}" in
  demo)
    setup
    python_setup optional
    dotnet build src/IOLink.Cli/IOLink.Cli.csproj -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    dotnet run --project src/IOLink.Cli/IOLink.Cli.csproj -c Release --no-build -- demo
    ;;
  test)
    setup
    python_setup required
    rm -rf "$results"
    dotnet build IOLink.slnx -c Release --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
    status=0
    dotnet test IOLink.slnx -c Release --no-build --verbosity quiet \
      --logger "trx" --results-directory "$results" || status=$?
    # The Python suite runs inside the host, as users run Python: iolink python -m pytest.
    pytest_status=0
    dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll python -m pytest tests/python -q -p no:cacheprovider \
      --junitxml="$results/pytest.xml" || pytest_status=$?
    case $pytest_status in
      0) ;;
      5) echo "build.sh: pytest found no tests in tests/python" >&2; status=1 ;;
      *) status=1; [ -f "$results/pytest.xml" ] || touch "$results/pytest.crashed" ;;
    esac
    summarize "$status" || status=1
    exit $status
    ;;
  bench)
    setup
    shift
    dotnet run --project bench/IOLink.Benchmarks/IOLink.Benchmarks.csproj -c Release -- "$@"
    ;;
  *)
    echo "usage: ./build.sh demo | test | bench [BenchmarkDotNet arguments]" >&2
    exit 2
    ;;
esac
