#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run_libfuzzer.sh - build the libFuzzer harness of the core
# (tests/fuzz/fuzz_tracker.c, clang -fsanitize=fuzzer,address,undefined)
# into build-fuzz/ and fuzz for SECONDS (default 600).
#
#   tests/fuzz/run_libfuzzer.sh            # 10 minutes, one process
#   tests/fuzz/run_libfuzzer.sh 60         # one minute
#   FUZZ_JOBS=2 tests/fuzz/run_libfuzzer.sh 3600   # libFuzzer -fork=2
#   tests/fuzz/run_libfuzzer.sh --replay FILE...    # run inputs once (a crash)
#
# The seed corpus tests/fuzz/corpus/ (make_corpus.py: the ISAKMP messages
# of the tcpdump captures) is only read; what libFuzzer finds goes to
# build-fuzz/fuzz-corpus/, crashes to build-fuzz/fuzz-artifacts/.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${ISAKMPSTATE_FUZZ_BUILD:-$top/build-fuzz}

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
  need+=("$(apt-cache show libclang-rt-14-dev >/dev/null 2>&1 && echo libclang-rt-14-dev || echo libclang-rt-dev)")
if [ ${#need[@]} -gt 0 ]; then
  echo "run_libfuzzer.sh: installing ${need[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

ISAKMPSTATE_BUILD=$build ISAKMPSTATE_CMAKE_ARGS="-DISAKMPSTATE_FUZZER=ON ${ISAKMPSTATE_CMAKE_ARGS:-}" \
  "$top/tests/bootstrap.sh"
bin=$build/tests/fuzz/fuzz_tracker
[ -x "$bin" ] || { echo "run_libfuzzer.sh: $bin was not built (see the CMake warning above)" >&2; exit 1; }

if [ "${1:-}" = "--replay" ]; then
  shift
  exec "$bin" -runs=1 "$@"
fi

secs=${1:-600}
jobs=${FUZZ_JOBS:-1}
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
mkdir -p "$corpus" "$artifacts"
log=$build/fuzz-libfuzzer.log
args=(-max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$artifacts/")
[ "$jobs" -gt 1 ] && args+=(-fork="$jobs" -ignore_crashes=1)
echo "run_libfuzzer.sh: $bin ${args[*]} $corpus $top/tests/fuzz/corpus (log: $log)" >&2
set +e
"$bin" "${args[@]}" "$corpus" "$top/tests/fuzz/corpus" 2>&1 | tee "$log" | grep -E --line-buffered "pulse|DONE|ERROR|SUMMARY|runtime error|crash-|leak-|timeout-|oom-|Done|stat::" 
rc=${PIPESTATUS[0]}
set -e
echo "run_libfuzzer.sh: libFuzzer exit status $rc; corpus $(ls "$corpus" | wc -l) inputs; artifacts in $artifacts: $(ls "$artifacts" | wc -l)" >&2
exit "$rc"
