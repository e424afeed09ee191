#!/usr/bin/env python3
"""Writes the sample guests' inputs and expected outputs into inputs/data/.

The expected outputs come from implementations independent of Tessera's executor and of the guest
code: hashlib (SHA-256, SHA3-256), Python integers (Fibonacci, big-integer product, sorting),
Python's own parser (ast) for the interpreter's expressions, and a Poseidon2 written here from its
definition (round constants from the Grain LFSR, checked against the Horizen Labs known-answer
vector) for p2merkle, the guest that uses the Poseidon2 system call and so cannot be checked
under qemu-riscv32. Inputs come from a fixed splitmix64 stream, so running this again reproduces
every file byte for byte.

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


# --- Poseidon2 over BabyBear, width 16 (the Horizen Labs instance), from its definition ---------
#
# Written from the paper and the parameters, not from Tessera's C++ (src/hash): external matrix
# circ(2 M4, M4, M4, M4), internal matrix 1 + diag(d), x^7, 4 + 4 full rounds and 13 partial rounds;
# round constants from the Grain LFSR of the Poseidon paper (one constant per partial round).
# Checked against the known-answer vector before it is used (poseidon2_self_check).

P = 2013265921  # BabyBear: 15 * 2^27 + 1
WIDTH, FULL_ROUNDS, PARTIAL_ROUNDS = 16, 8, 13
KAT = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "testvectors" / \
    "poseidon2_babybear_w16.txt"
# From the known-answer file (internal_d, permutation_output); the file itself is compared below
# when it is present.
INTERNAL_DIAG = [0x0a632d94, 0x6db657b7, 0x56fbdc9e, 0x052b3d8a, 0x33745201, 0x5c03108c,
                 0x0beba37b, 0x258c2e8b, 0x12029f39, 0x694909ce, 0x6d231724, 0x21c3b222,
                 0x3c0904a5, 0x01d6acda, 0x27705c83, 0x5231c802]
KAT_OUTPUT = [896560466, 771677727, 128113032, 1378976435, 160019712, 1452738514, 682850273,
              223500421, 501450187, 1804685789, 1671399593, 1788755219, 1736880027, 1352180784,
              1928489698, 1128802977]
M4 = [[5, 7, 1, 3], [4, 6, 1, 1], [1, 3, 5, 7], [1, 1, 4, 6]]


def grain_round_constants():
    """The Grain LFSR in self-shrinking mode: 80-bit state = field (2 bits, 1), S-box (4 bits, 0),
    n (12 bits, 31), t (12 bits, 16), R_F (10 bits), R_P (10 bits), then ones; 160 clocks
    discarded; pairs (b, b') emit b' when b = 1; a constant is the next 31 emitted bits (most
    significant first), redrawn while >= p. Drawn in round order: 16 per initial full round, one
    per partial round, 16 per final full round."""
    bits = []
    for value, width in ((1, 2), (0, 4), (31, 12), (WIDTH, 12), (FULL_ROUNDS, 10),
                         (PARTIAL_ROUNDS, 10)):
        bits += [(value >> i) & 1 for i in range(width - 1, -1, -1)]
    bits += [1] * (80 - len(bits))

    def clock():
        fresh = bits[62] ^ bits[51] ^ bits[38] ^ bits[23] ^ bits[13] ^ bits[0]
        del bits[0]
        bits.append(fresh)
        return fresh

    for _ in range(160):
        clock()

    def emitted_bit():
        while True:
            select, value = clock(), clock()
            if select:
                return value

    def constant():
        while True:
            x = 0
            for _ in range(31):
                x = (x << 1) | emitted_bit()
            if x < P:
                return x

    half = FULL_ROUNDS // 2
    initial = [[constant() for _ in range(WIDTH)] for _ in range(half)]
    partial = [constant() for _ in range(PARTIAL_ROUNDS)]
    final = [[constant() for _ in range(WIDTH)] for _ in range(half)]
    return initial + final, partial


FULL_CONSTANTS, PARTIAL_CONSTANTS = grain_round_constants()


def external_layer(x):
    y = []
    for g in range(0, WIDTH, 4):
        y += [sum(M4[r][c] * x[g + c] for c in range(4)) for r in range(4)]
    column = [sum(y[g + j] for g in range(0, WIDTH, 4)) for j in range(4)]
    return [(y[i] + column[i % 4]) % P for i in range(WIDTH)]


def internal_layer(x):
    total = sum(x)
    return [(total + INTERNAL_DIAG[i] * x[i]) % P for i in range(WIDTH)]


def poseidon2(state):
    x = external_layer(state)
    half = FULL_ROUNDS // 2
    for r in range(half):
        x = external_layer([pow((v + c) % P, 7, P) for v, c in zip(x, FULL_CONSTANTS[r])])
    for c in PARTIAL_CONSTANTS:
        x[0] = pow((x[0] + c) % P, 7, P)
        x = internal_layer(x)
    for r in range(half, FULL_ROUNDS):
        x = external_layer([pow((v + c) % P, 7, P) for v, c in zip(x, FULL_CONSTANTS[r])])
    return x


def poseidon2_self_check():
    if poseidon2(list(range(WIDTH))) != KAT_OUTPUT:
        sys.exit("Poseidon2 does not reproduce the known-answer vector")
    if FULL_CONSTANTS[0][:2] != [0x69CBB6AF, 0x46AD93F9]:
        sys.exit("Grain round constants do not start as the known-answer file says")
    if KAT.exists():
        fields = {line.split()[0]: line.split()[1:] for line in KAT.read_text().splitlines()
                  if line.strip() and not line.startswith("#")}
        if ([int(v, 16) for v in fields["internal_d"]] != INTERNAL_DIAG or
                [int(v) for v in fields["permutation_input"]] != list(range(WIDTH)) or
                [int(v) for v in fields["permutation_output"]] != KAT_OUTPUT):
            sys.exit(f"{KAT} disagrees with the vector copied here")


def compress(left, right):
    """Merkle node: the first 8 elements of the permutation of left || right."""
    return poseidon2(left + right)[:8]


def sponge_hash(values):
    """Overwrite-mode sponge, rate 8, no padding; the empty input is one permutation of zero."""
    state = [0] * WIDTH
    if not values:
        state = poseidon2(state)
    for offset in range(0, len(values), 8):
        chunk = values[offset:offset + 8]
        state[:len(chunk)] = chunk
        state = poseidon2(state)
    return state[:8]


def p2merkle():
    poseidon2_self_check()
    rng = SplitMix64(0x92E)
    n = 12_345
    words = [rng.next() & 0xFFFFFFFF for _ in range(n)]
    words[:6] = [0, 1, P - 1, P, P + 1, 0xFFFFFFFF]  # around p: the guest reduces mod p
    values = [w % P for w in words]
    leaves = [sponge_hash(values[i:i + 8]) for i in range(0, n, 8)]
    width = 1
    while width < len(leaves):
        width *= 2
    level = leaves + [[0] * 8] * (width - len(leaves))
    while len(level) > 1:
        level = [compress(level[2 * j], level[2 * j + 1]) for j in range(len(level) // 2)]
    expected = struct.pack("<16I", *level[0], *sponge_hash(values))
    return struct.pack(f"<I{n}I", n, *words), expected


GUESTS = {"fibonacci": fibonacci, "sha256": sha256, "keccak": keccak, "sort": sort,
          "bigmul": bigmul, "interp": interp, "p2merkle": p2merkle}


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
