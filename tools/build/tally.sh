# shellcheck shell=bash
# Sourced by build.sh; not run on its own.
# Test results: one pytest run into the results folder, and the one closing line summing every suite.

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
