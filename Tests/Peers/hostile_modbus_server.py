"""A Modbus TCP server that answers wrongly on purpose, one way per block of addresses (standard library only).

usage: hostile_modbus_server.py [HOST]
Prints "READY <port>" on stdout once it listens on HOST (127.0.0.1) at a free port; runs until killed.

A read (FC1-FC4) or write (FC5, FC6, FC15, FC16) of address A is answered in mode A // 100, with registers whose
value is their address (bits: the address's lowest bit). Every answer in a mode other than `correct` breaks one
rule of the Modbus TCP framing that libmodbus 3.1.6 lets through or that a client must check itself:
"""
import socket
import struct
import sys
import threading

MODES = [
    "correct",          # 0xx: a valid answer
    "unit",             # 1xx: the unit id plus one (libmodbus 3.1.6 does not compare it on TCP)
    "protocol-high",    # 2xx: protocol id 0x0100 (libmodbus tests rsp[2] != 0 && rsp[3] != 0)
    "protocol-low",     # 3xx: protocol id 0x0001
    "length-long",      # 4xx: MBAP length field two more than the bytes sent
    "length-short",     # 5xx: MBAP length field one less than the bytes sent
    "transaction",      # 6xx: the transaction id plus one
    "byte-count",       # 7xx: a read answered with one register (or 8 bits) more than asked (count and data agree)
    "byte-count-odd",   # 8xx: one byte more than asked, byte count and data agreeing (libmodbus checks count / 2)
    "function",         # 9xx: another function code (FC4 for FC3 and so on)
    "exception-zero",   # 10xx: an exception response with code 0
    "echo",             # 11xx: a write echoed with another address
    "trailing",         # 12xx: a valid answer followed by two stray bytes in the same segment
]


def data_for(function, address, quantity):
    if function in (1, 2):
        bits = [(address + i) & 1 for i in range(quantity)]
        packed = bytearray((quantity + 7) // 8)
        for i, bit in enumerate(bits):
            packed[i // 8] |= bit << (i % 8)
        return bytes(packed)
    return b"".join(struct.pack(">H", (address + i) & 0xFFFF) for i in range(quantity))


def answer(request):
    tid, _, _, unit = struct.unpack(">HHHB", request[:7])
    pdu = request[7:]
    function = pdu[0]
    address, quantity = struct.unpack(">HH", pdu[1:5])
    mode = MODES[address // 100] if address // 100 < len(MODES) else "correct"
    if function in (1, 2, 3, 4):
        if mode == "byte-count":
            quantity += 8 if function in (1, 2) else 1
        data = data_for(function, address, quantity)
        if mode == "byte-count-odd":
            data += b"\x00"
        body = bytes([function, len(data)]) + data
    elif function in (5, 6, 15, 16):
        echoed = address + 1 if mode == "echo" else address
        body = bytes([function]) + struct.pack(">HH", echoed, quantity)
    else:
        body = bytes([function | 0x80, 1])
    if mode == "function":
        body = bytes([(function % 4) + 1]) + body[1:]
    if mode == "exception-zero":
        body = bytes([function | 0x80, 0])
    length = len(body) + 1
    protocol = 0
    if mode == "unit":
        unit = (unit + 1) & 0xFF
    elif mode == "protocol-high":
        protocol = 0x0100
    elif mode == "protocol-low":
        protocol = 0x0001
    elif mode == "length-long":
        length += 2
    elif mode == "length-short":
        length -= 1
    elif mode == "transaction":
        tid = (tid + 1) & 0xFFFF
    frame = struct.pack(">HHHB", tid, protocol, length, unit) + body
    if mode == "trailing":
        frame += b"\x00\x00"
    return frame


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with conn:
        while True:
            header = read_exactly(conn, 7)
            if header is None:
                return
            length = struct.unpack(">H", header[4:6])[0]
            rest = read_exactly(conn, length - 1) if length > 1 else b""
            if rest is None:
                return
            try:
                conn.sendall(answer(header + rest))
            except OSError:
                return


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    listener.listen(64)
    print(f"READY {listener.getsockname()[1]}", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
