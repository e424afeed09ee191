# Sourced by the guest command-line tests: small_input GUEST FILE writes a small input in the
# guest's format (inputs/generate.py documents them; the same inputs as test_guest_programs.cpp).
small_input() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
guest, path = sys.argv[1], sys.argv[2]
u32 = lambda *xs: b"".join(struct.pack("<I", x & 0xffffffff) for x in xs)
data = {
    "fibonacci": u32(300),
    "sha256": bytes((i * 37 + 11) & 255 for i in range(100)),
    "keccak": bytes((i * 37 + 11) & 255 for i in range(100)),
    "sort": u32(40, *(i * 2654435761 for i in range(40))),
    "bigmul": b"1234567890123\n9876543210987\n",
    "interp": b"x = 5\ny = x * 7 - 3\nprint y / 2\nprint y % 5 << 3\n",
    "p2merkle": u32(20, *(i * 0x9e3779b9 for i in range(20))),
}[guest]
open(path, "wb").write(data)
PY
}
