# Shared by the queue's command-line tests: sourced with TESSERA set, after cli_lib.sh's helpers
# (fail, json, content, expect_rc, one_error_line, MPIRUN). Q is the queue folder.
source "$(dirname "${BASH_SOURCE[0]}")/../pipeline/cli_lib.sh"
Q=$WORK/queue

# submit ARGS...: submits a request, prints its id.
submit() { "$TESSERA" queue submit "$Q" "$@"; }

# status_json: the queue's status as JSON in $WORK/status.json.
status_json() { "$TESSERA" queue status "$Q" --json >"$WORK/status.json"; }

# state_of ID: the request's state.
state_of() {
  status_json
  python3 -c "import json,sys; print(next(r['state'] for r in json.load(open(sys.argv[1]))['requests'] if r['id']==sys.argv[2]))" \
    "$WORK/status.json" "$1"
}

# field_of ID KEY: a field of the request in the status JSON.
field_of() {
  status_json
  python3 -c "import json,sys; print(next(r.get(sys.argv[3], '') for r in json.load(open(sys.argv[1]))['requests'] if r['id']==sys.argv[2]))" \
    "$WORK/status.json" "$1" "$2"
}

# count STATE: requests in that state.
count() { status_json; json "$WORK/status.json" "d['counts']['$1']"; }

# same_as_alone ID ARGS...: the request's result equals `tessera prove ARGS` alone (content of
# every deterministic dataset) and verifies alone.
same_as_alone() {
  local id=$1
  shift
  expect_rc 0 "$TESSERA" prove "$@" --out "$WORK/alone-$id.h5"
  content "$WORK/alone-$id.h5" >"$WORK/alone-$id.content"
  content "$Q/results/$id.h5" >"$WORK/queued-$id.content"
  cmp -s "$WORK/alone-$id.content" "$WORK/queued-$id.content" ||
    { diff "$WORK/alone-$id.content" "$WORK/queued-$id.content" | head; fail "$id differs from proving it alone"; }
  expect_rc 0 "$TESSERA" verify "$Q/results/$id.h5" --allow-insecure
}
