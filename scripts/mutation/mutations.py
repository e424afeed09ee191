#!/usr/bin/env python3
"""Reads and applies the one-line mutations of a mutation list (format: see mutations.txt).

  mutations.py list  LIST            one line per mutation: id <TAB> file <TAB> tests <TAB> equivalent
                                     (an empty field is "-": bash's read merges adjacent tabs)
  mutations.py check LIST TREE       every `from` occurs exactly once in its file under TREE
  mutations.py apply LIST ID TREE    replaces mutation ID's `from` by its `to` in TREE

Exit status 0 on success; a malformed list or a `from` that is missing or ambiguous is an error
(status 2, one line on stderr), so a stale mutation is reported instead of silently not applied.
"""
import os
import sys

KEYS = ("id", "file", "from", "to", "why", "tests", "equivalent")


def fail(msg):
    print(f"mutations.py: {msg}", file=sys.stderr)
    sys.exit(2)


def parse(path):
    """Blocks of `key: value` lines separated by blank lines; '#' starts a comment line."""
    mutations, block, line_no = [], {}, 0

    def close():
        if not block:
            return
        where = f"{path}: block ending at line {line_no}"
        for key in ("id", "file", "from", "to"):
            if key not in block:
                fail(f"{where}: missing '{key}:'")
        if block["from"] == block["to"]:
            fail(f"{where}: mutation {block['id']} changes nothing")
        if any(m["id"] == block["id"] for m in mutations):
            fail(f"{where}: duplicate id {block['id']}")
        mutations.append(dict(block))
        block.clear()

    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                close()
                continue
            if line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in KEYS:
                fail(f"{path}:{line_no}: expected one of {', '.join(KEYS)} followed by ':'")
            if key in block:
                fail(f"{path}:{line_no}: '{key}' given twice in one mutation")
            # One space after the colon separates key and value; the rest is literal text.
            block[key] = value[1:] if value.startswith(" ") else value
    close()
    return mutations


def find(mutations, mid):
    for m in mutations:
        if m["id"] == mid:
            return m
    fail(f"no mutation with id {mid}")


def occurrences(m, tree):
    path = os.path.join(tree, m["file"])
    if not os.path.isfile(path):
        fail(f"mutation {m['id']}: {m['file']} does not exist")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text, text.count(m["from"])


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmd, mutations = argv[1], parse(argv[2])
    if cmd == "list":
        for m in mutations:
            tests = m.get("tests", "").strip() or "-"
            equivalent = " ".join(m.get("equivalent", "").split()) or "-"
            print(f"{m['id']}\t{m['file']}\t{tests}\t{equivalent}")
    elif cmd == "check" and len(argv) == 4:
        bad = 0
        for m in mutations:
            _, n = occurrences(m, argv[3])
            if n != 1:
                print(f"mutation {m['id']}: its text occurs {n} times in {m['file']}",
                      file=sys.stderr)
                bad += 1
        sys.exit(2 if bad else 0)
    elif cmd == "apply" and len(argv) == 5:
        m = find(mutations, argv[3])
        text, n = occurrences(m, argv[4])
        if n != 1:
            fail(f"mutation {m['id']}: its text occurs {n} times in {m['file']} (must be once)")
        with open(os.path.join(argv[4], m["file"]), "w", encoding="utf-8") as f:
            f.write(text.replace(m["from"], m["to"]))
    else:
        fail(f"unknown command or wrong arguments: {' '.join(argv[1:])}")


if __name__ == "__main__":
    main(sys.argv)
