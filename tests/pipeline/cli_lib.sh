# Shared by the pipeline's command-line tests: sourced with TESSERA (the binary) set.
set -euo pipefail
command -v python3 >/dev/null || { echo "SKIP: python3 (for JSON) is missing"; exit 77; }
command -v h5dump >/dev/null || { echo "SKIP: h5dump (hdf5-tools) is missing"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TESSERA_PROGRESS=plain TESSERA_PROGRESS_INTERVAL=0
MPIRUN=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
# A small chain at the insecure test configuration: 32 shards of 64 steps.
CHAIN=(--machine hashchain --steps 2048 --shard-steps 64 --seed 7 --config test)

WORK=$(mktemp -d /tmp/tessera-cli-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# json FILE EXPR: evaluates a Python expression over the parsed JSON document `d`.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# The datasets that must be byte-identical between runs (h5dump's first line names the file).
content() {
  local f=$1 d
  for d in /shards/proofs /shards/proof_offsets /shards/proof_sizes /shards/proof_checksums \
           /shards/statements /shards/statements_offsets /tree/statements /tree/ranges \
           /final/statement; do
    h5dump -d "$d" "$f" | tail -n +2
  done
}

# expect_rc CODE CMD...: runs CMD, checks its exit code; its stderr is in $WORK/last.err.
expect_rc() {
  local want=$1 rc=0
  shift
  "$@" >"$WORK/last.out" 2>"$WORK/last.err" || rc=$?
  [[ $rc -eq $want ]] || { cat "$WORK/last.out" "$WORK/last.err" >&2; fail "exit $rc, expected $want: $*"; }
}

# one_error_line PATTERN: the command printed exactly one tessera error line, matching PATTERN.
one_error_line() {
  local n
  n=$(grep '^tessera: ' "$WORK/last.err" | grep -vc '^tessera: note: ' || true)
  [[ $n -eq 1 ]] || { cat "$WORK/last.err" >&2; fail "expected one error line, got $n"; }
  grep '^tessera: ' "$WORK/last.err" | grep -v '^tessera: note: ' | grep -q -- "$1" ||
    { cat "$WORK/last.err" >&2; fail "error line does not match '$1'"; }
}
