#!/usr/bin/env bash
# A small mutation campaign, run by hand (not in CI): every mutation of a list (mutations.txt:
# one-line edits of the verifier, LogUp, FRI verification, the transcript, Merkle verification,
# and later the zkVM's AIRs) is applied ALONE to a scratch copy of the tree, which is rebuilt
# (nocuda) and tested; a mutant is "killed" when a test fails, "survived" when all pass. The
# shared checkout is never edited: the scratch copy is `git archive` of a revision.
#
#   scripts/mutation/run.sh [options]
#     --list FILE      mutation list (default scripts/mutation/mutations.txt)
#     --only ID,ID     run only these mutations
#     --rev REV        revision to mutate (default HEAD; uncommitted changes are not included)
#     --work DIR       scratch directory (default /tmp/tessera-mutation-$USER): DIR/tree, DIR/build,
#                      DIR/results.tsv; reused between runs of the same revision (incremental)
#     --ctest "ARGS"   tests run for each mutant unless its `tests:` says otherwise
#                      (default "-L unit"); the first failure stops them (--stop-on-failure);
#                      shell quoting inside ARGS is honoured (--ctest "-R 'A|B'")
#     --target "T ..." build only these targets (default: all); with a narrow --ctest this
#                      saves most of the baseline build (e.g. --target tessera_machine_test)
#     --jobs N         build and test parallelism (default 2)
#     --timeout S      per-test timeout in seconds (default 300; a hang counts as killed)
#
# Output: one line per mutant (killed / survived / stillborn = did not compile / stale = its
# text is no longer in the file / equivalent = the list marks it `equivalent:`, not run), then
# the kill rate = killed / (killed + survived). With --only, WORK/results.tsv keeps the other
# mutants' rows of an earlier run of the same list (the rows of the mutants run are replaced).
# Exit status 0 when no mutant survived, 1 otherwise, 2 on a usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
list="$here/mutations.txt"
only=""
rev=HEAD
work="/tmp/tessera-mutation-${USER:-$(id -un)}"
ctest_args="-L unit"
targets=""
jobs=2
timeout=300

die() { echo "run.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --list) list=$(realpath "$2"); shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    --rev) rev=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --ctest) ctest_args=$2; shift 2 ;;
    --target) targets=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
               exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -f "$list" ]] || die "no mutation list $list"
mutations_py="$here/mutations.py"
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || die "unknown revision $rev"

tree="$work/tree" build="$work/build" results="$work/results.tsv" log="$work/log"
mkdir -p "$work" "$log"

# ---- the scratch tree: the revision's files, refreshed only where they differ ---------------------
if [[ "$(cat "$work/commit" 2>/dev/null)" != "$commit" ]]; then
  echo "== scratch tree $tree from $rev (${commit:0:12})"
  rm -rf "$tree.new" && mkdir -p "$tree.new"
  git -C "$repo" archive "$commit" | tar -x -C "$tree.new"
  if [[ -d "$tree" ]]; then
    # Keep unchanged files' timestamps so the build stays incremental.
    (cd "$tree.new" && find . -type f) | while read -r f; do
      cmp -s "$tree.new/$f" "$tree/$f" || { mkdir -p "$(dirname "$tree/$f")"; cp "$tree.new/$f" "$tree/$f"; }
    done
    (cd "$tree" && find . -type f) | while read -r f; do [[ -e "$tree.new/$f" ]] || rm -f "$tree/$f"; done
    rm -rf "$tree.new"
  else
    mv "$tree.new" "$tree"
  fi
  echo "$commit" > "$work/commit"
fi
# A mutant left behind by an interrupted run is undone first.
if [[ -f "$work/applied" ]]; then
  read -r file < "$work/applied"
  cp "$work/backup" "$tree/$file" && rm -f "$work/applied"
fi
python3 "$mutations_py" list "$list" > "$work/list.tsv" || exit 2

build_tree() {  # $1: log file
  local target_args=()
  for t in $targets; do target_args+=(--target "$t"); done
  cmake --build "$build" -j "$jobs" "${target_args[@]}" > "$1" 2>&1
}
run_tests() {  # $1: ctest args (shell words), $2: log file
  local args
  eval "args=($1)"
  (cd "$build" && ctest "${args[@]}" -j "$jobs" --timeout "$timeout" --stop-on-failure \
     --output-on-failure > "$2" 2>&1)
}
failed_tests() {  # the tests ctest recorded as failed, comma-separated
  sed 's/^[0-9]*://' "$build/Testing/Temporary/LastTestsFailed.log" 2>/dev/null | head -3 |
    paste -sd, - || true
}

# ---- the unmutated tree must build and pass ------------------------------------------------------
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  (cd "$tree" && cmake --preset nocuda -B "$build" -DTESSERA_WERROR=OFF \
     -DTESSERA_BUILD_BENCHMARKS=OFF > "$log/configure.txt" 2>&1) ||
    die "configure failed: $log/configure.txt"
fi
echo "== baseline: build and '$ctest_args'"
build_tree "$log/baseline-build.txt" || die "the unmutated tree does not build: $log/baseline-build.txt"
run_tests "$ctest_args" "$log/baseline-tests.txt" ||
  die "the unmutated tree fails its tests ($(failed_tests)): $log/baseline-tests.txt"

# ---- one mutant at a time ------------------------------------------------------------------------
if [[ -n "$only" && -f "$results" && "$(cat "$work/results.list" 2>/dev/null)" == "$list" ]]; then
  # Keep the earlier rows of the mutants not run now.
  awk -F'\t' -v only="$only" 'NR == 1 || index(only, "," $1 ",") == 0' "$results" > "$results.new"
  mv "$results.new" "$results"
else
  printf 'id\tfile\tresult\tseconds\tdetail\n' > "$results"
fi
echo "$list" > "$work/results.list"
killed=0 survived=0 equivalent=0 other=0
printf '%-30s %-36s %-9s %5s  %s\n' id file result sec "first failing tests"
while IFS=$'\t' read -r -u 3 id file tests equiv; do
  [[ -z "$only" || "$only" == *",$id,"* ]] || continue
  [[ "$tests" == "-" ]] && tests=""
  [[ "$equiv" == "-" ]] && equiv=""
  start=$SECONDS detail=""
  cp "$tree/$file" "$work/backup" 2>/dev/null || true
  if [[ -n "$equiv" ]]; then
    result=equivalent detail=$equiv
  elif ! python3 "$mutations_py" apply "$list" "$id" "$tree" 2> "$log/$id.apply.txt"; then
    result=stale detail=$(cat "$log/$id.apply.txt")
  else
    echo "$file" > "$work/applied"
    if ! build_tree "$log/$id.build.txt"; then
      result=stillborn detail="does not compile: $log/$id.build.txt"
    elif run_tests "${tests:-$ctest_args}" "$log/$id.tests.txt"; then
      result=survived
    else
      result=killed detail=$(failed_tests)
    fi
    cp "$work/backup" "$tree/$file" && rm -f "$work/applied"
  fi
  case $result in killed) killed=$((killed + 1)) ;; survived) survived=$((survived + 1)) ;;
                  equivalent) equivalent=$((equivalent + 1)) ;; *) other=$((other + 1)) ;; esac
  secs=$((SECONDS - start))
  printf '%-30s %-36s %-9s %5d  %s\n' "$id" "$file" "$result" "$secs" "$detail"
  printf '%s\t%s\t%s\t%d\t%s\n' "$id" "$file" "$result" "$secs" "$detail" >> "$results"
done 3< "$work/list.tsv"
# Leave the build matching the unmutated tree.
build_tree "$log/final-build.txt" || true

scored=$((killed + survived))
rate=$(awk -v k=$killed -v n=$scored 'BEGIN { if (n) printf "%.1f", 100 * k / n; else print "n/a" }')
echo "== killed $killed, survived $survived, equivalent $equivalent (not run), not scored $other (stillborn or stale)"
echo "== kill rate $killed/$scored = $rate %   (results: $results, logs: $log)"
[[ $survived -eq 0 ]]
