#!/usr/bin/env python3
"""Writes the sample guests' inputs and expected outputs into inputs/data/.

The expected outputs come from implementations independent of Tessera's executor and of the guest
code: hashlib (SHA-256, SHA3-256), Python integers (Fibonacci, big-integer product, sorting), and
Python's own parser (ast) for the interpreter's expressions. Inputs come from a fixed splitmix64
stream, so running this again reproduces every file byte for byte.

usage: python3 inputs/generate.py [--check]   (--check: fail if a file would change)
"""
import ast
import hashlib
import pathlib
import struct
import sys

DATA = pathlib.Path(__file__).resolve().parent / "data"
MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def bytes(self, n):
        out = bytearray()
        while len(out) < n:
            out += struct.pack("<Q", self.next())
        return bytes(out[:n])


def fibonacci():
    n = 200_000
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) & MASK64
    return struct.pack("<I", n), struct.pack("<Q", a)


def sha256():
    data = SplitMix64(0x5A256).bytes(24 * 1024 + 37)
    return data, hashlib.sha256(data).digest()


def keccak():
    data = SplitMix64(0x5A3).bytes(8 * 1024 + 77)
    return data, hashlib.sha3_256(data).digest()


def sort():
    rng = SplitMix64(0x50F7)
    n = 100_000
    values = [rng.next() & 0xFFFFFFFF for _ in range(n)]
    s = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(s)) & MASK64
    expected = struct.pack("<IIIIQ", n, s[0], s[-1], s[n // 2], weighted)
    return struct.pack("<I", n) + struct.pack(f"<{n}I", *values), expected


def bigmul():
    rng = SplitMix64(0xB16)

    def number(digits):
        return str(1 + rng.below(9)) + "".join(str(rng.below(10)) for _ in range(digits - 1))

    a, b = number(2000), number(1900)
    return f"{a}\n{b}\n".encode(), f"{int(a) * int(b)}\n".encode()


# --- interpreter: 32-bit semantics evaluated over Python's own parse tree ----------------------

def wrap32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def riscv_div(a, b):
    if b == 0:
        return -1
    if a == -(1 << 31) and b == -1:
        return a
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def riscv_rem(a, b):
    if b == 0:
        return a
    if a == -(1 << 31) and b == -1:
        return 0
    return a - riscv_div(a, b) * b


def evaluate(node, env):
    if isinstance(node, ast.Expression):
        return evaluate(node.body, env)
    if isinstance(node, ast.Constant):
        return wrap32(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        v = evaluate(node.operand, env)
        if isinstance(node.op, ast.USub):
            return wrap32(-v)
        if isinstance(node.op, ast.Invert):
            return wrap32(~v)
        if isinstance(node.op, ast.UAdd):
            return v
    if isinstance(node, ast.BinOp):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        op = node.op
        if isinstance(op, ast.Add):
            return wrap32(a + b)
        if isinstance(op, ast.Sub):
            return wrap32(a - b)
        if isinstance(op, ast.Mult):
            return wrap32(a * b)
        if isinstance(op, ast.Div):
            return wrap32(riscv_div(a, b))
        if isinstance(op, ast.Mod):
            return wrap32(riscv_rem(a, b))
        if isinstance(op, ast.LShift):
            return wrap32(a << (b & 31))
        if isinstance(op, ast.RShift):
            return wrap32(a >> (b & 31))
        if isinstance(op, ast.BitAnd):
            return wrap32(a & b)
        if isinstance(op, ast.BitOr):
            return wrap32(a | b)
        if isinstance(op, ast.BitXor):
            return wrap32(a ^ b)
    raise ValueError(f"unexpected node {ast.dump(node)}")


def interp():
    rng = SplitMix64(0x1E7E)
    names = ["a", "b", "c", "x", "y", "z", "acc", "tmp", "k1", "k2", "n", "total"]
    binary = ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"]
    defined = []

    def expression(depth):
        r = rng.below(10)
        if depth == 0 or r < 3:
            if defined and rng.below(2):
                return defined[rng.below(len(defined))]
            return str(rng.below(1 << (1 + rng.below(31))))
        if r == 3:
            return "-" + expression(depth - 1)
        if r == 4:
            return "~(" + expression(depth - 1) + ")"
        op = binary[rng.below(len(binary))]
        text = f"{expression(depth - 1)} {op} {expression(depth - 1)}"
        return f"({text})" if rng.below(2) else text

    lines = []
    for _ in range(2500):
        if defined and rng.below(3) == 0:
            lines.append("print " + expression(4))
        else:
            name = names[rng.below(len(names))]
            lines.append(f"{name} = {expression(4)}")
            if name not in defined:
                defined.append(name)
    env, out = {}, []
    for line in lines:
        if line.startswith("print "):
            out.append(f"{evaluate(ast.parse(line[6:], mode='eval'), env)}\n")
        else:
            name, expr = line.split(" = ", 1)
            env[name] = evaluate(ast.parse(expr, mode="eval"), env)
    return ("\n".join(lines) + "\n").encode(), "".join(out).encode()


GUESTS = {"fibonacci": fibonacci, "sha256": sha256, "keccak": keccak, "sort": sort,
          "bigmul": bigmul, "interp": interp}


def main():
    check = "--check" in sys.argv[1:]
    DATA.mkdir(exist_ok=True)
    stale = []
    for name, make in GUESTS.items():
        data, expected = make()
        for suffix, content in ((".input", data), (".expected", expected)):
            path = DATA / (name + suffix)
            if path.exists() and path.read_bytes() == content:
                continue
            if check:
                stale.append(path.name)
            else:
                path.write_bytes(content)
                print(f"wrote {path} ({len(content)} bytes)")
    if stale:
        sys.exit("out of date: " + ", ".join(stale))


if __name__ == "__main__":
    main()
