"""Register layouts written independently of Geolith's Swift codecs, from the definitions in
docs/sources.md §5.2: a value's big-endian bytes A B C D (E F G H) are laid out per order as
ABCD -> AB CD, CDAB -> CD AB (word-reversed), BADC -> BA DC (bytes swapped), DCBA -> DC BA.
Used by the peer server and client so that tests compare Geolith against a second implementation."""
import struct

FORMATS = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "int64": ">q", "uint64": ">Q",
           "float32": ">f", "float64": ">d"}


def encode(value, dtype, order="ABCD", scale=1.0, offset=0.0, length=1):
    if dtype == "bool":
        return [1 if value else 0]
    if dtype == "string":
        data = str(value).encode("ascii")[: 2 * length].ljust(2 * length, b"\0")
        words = [data[i:i + 2] for i in range(0, len(data), 2)]
        if order in ("BADC", "DCBA"):
            words = [w[::-1] for w in words]
        return [int.from_bytes(w, "big") for w in words]
    raw = (value - offset) / scale
    if not dtype.startswith("float"):
        raw = int(round(raw))
    data = struct.pack(FORMATS[dtype], raw)
    words = [data[i:i + 2] for i in range(0, len(data), 2)]
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    if order in ("CDAB", "DCBA") and len(words) > 1:
        words = words[::-1]
    return [int.from_bytes(w, "big") for w in words]


def decode(registers, dtype, order="ABCD", scale=1.0, offset=0.0):
    if dtype == "bool":
        return 1.0 if registers[0] else 0.0
    words = [r.to_bytes(2, "big") for r in registers]
    if order in ("CDAB", "DCBA") and len(words) > 1:
        words = words[::-1]
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    data = b"".join(words)
    if dtype == "string":
        return data.rstrip(b"\0 ").decode("ascii", "replace")
    (raw,) = struct.unpack(FORMATS[dtype], data)
    return raw * scale + offset


WIDTH = {"bool": 1, "int16": 1, "uint16": 1, "int32": 2, "uint32": 2, "float32": 2, "int64": 4, "uint64": 4,
         "float64": 4}
