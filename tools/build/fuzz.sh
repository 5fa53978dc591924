# shellcheck shell=bash
# Sourced by build.sh; not run on its own.
# Bounded afl++ campaigns over the fuzz harness.

fuzz_targets="npy-header npy-read streams cli zarr-metadata zarr-chunk dlpack zarr-links zarr3-metadata zarr-shard tiff hdf5"
fuzz_bin=artifacts/fuzz/bin

# afl++ (Debian's) and SharpFuzz's instrumenter (a local dotnet tool), then the harness published and instrumented.
fuzz_setup() {
  apt_need required "command -v afl-fuzz" "fuzzing" $packages_fuzz
  dotnet tool restore --verbosity quiet >/dev/null
  rm -rf "$fuzz_bin"
  dotnet publish fuzz/IOLink.Fuzz/IOLink.Fuzz.csproj -c Release -o "$fuzz_bin" --verbosity quiet -nologo -clp:ErrorsOnly
  for dll in IOLink.dll IOLink.Cli.dll IOLink.Zarr.dll IOLink.Tiff.dll IOLink.Hdf5.dll PureHDF.dll; do
    dotnet tool run sharpfuzz "$fuzz_bin/$dll" >/dev/null
  done
}

# One bounded campaign; prints executions and findings, and fails when afl++ saved a crash or a hang. With
# IOLINK_FUZZ_SEED set (CI sets it) afl++'s mutations follow that seed, so a short campaign replays the same inputs
# run after run (a regression check on the corpus's neighbourhood); without it each campaign explores anew.
fuzz_run() {
  local target=$1 seconds=$2 out=artifacts/fuzz/$1 stats
  rm -rf "$out"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -V "$seconds" ${IOLINK_FUZZ_SEED:+-s "$IOLINK_FUZZ_SEED"} -i "fuzz/corpus/$target" -o "$out" -t 5000 -m none -- dotnet "$fuzz_bin/IOLink.Fuzz.dll" "$target" >"$out.log" 2>&1 || {
      echo "build.sh: afl-fuzz failed for $target; see $out.log" >&2; tail -n 20 "$out.log" >&2; return 1; }
  stats=$out/default/fuzzer_stats
  local execs crashes hangs
  execs=$(sed -n 's/^execs_done *: *//p' "$stats")
  crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
  hangs=$(sed -n 's/^saved_hangs *: *//p' "$stats")
  echo "fuzz $target: $execs executions in ${seconds}s, $crashes crashes, $hangs hangs (inputs: $out/default)"
  [ "${crashes:-1}" -eq 0 ] && [ "${hangs:-1}" -eq 0 ]
}
