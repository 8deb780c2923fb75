"""An independent Modbus TCP server built on pymodbus, serving tag values that this script encodes itself.

usage: pymodbus_server.py SPEC.json
SPEC: {"host": "127.0.0.1", "port": 0, "unit": 1,
       "tags": [{"table": "holding", "address": 10, "type": "float32", "order": "CDAB", "scale": 1, "offset": 0,
                 "value": 123.4, "length": 1}, ...]}
Prints "READY <port>" on stdout once it accepts connections; runs until killed.
"""
import asyncio
import json
import logging
import socket
import sys

from modbus_layouts import encode
from pymodbus.server import StartAsyncTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

logging.getLogger("pymodbus").setLevel(logging.ERROR)


def free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main():
    spec = json.load(open(sys.argv[1]))
    host = spec.get("host", "127.0.0.1")
    port = spec.get("port") or free_port(host)
    tables = {"coil": {}, "discrete_input": {}, "holding": {}, "input": {}}
    for tag in spec["tags"]:
        words = encode(tag["value"], tag["type"], tag.get("order", "ABCD"), tag.get("scale", 1.0),
                       tag.get("offset", 0.0), tag.get("length", 1))
        for i, w in enumerate(words):
            tables[tag["table"]][tag["address"] + i] = w
    blocks = []
    for name in ("coil", "discrete_input", "holding", "input"):
        size = max(list(tables[name].keys()) + [0]) + 1
        values = [tables[name].get(i, 0) for i in range(size)]
        if name in ("coil", "discrete_input"):
            blocks.append([SimData(0, values=[bool(v) for v in values], datatype=DataType.BITS)])
        else:
            blocks.append([SimData(0, values=values, datatype=DataType.REGISTERS)])
    device = SimDevice(spec.get("unit", 1), simdata=tuple(blocks))

    async def run():
        server = asyncio.create_task(StartAsyncTcpServer(device, address=(host, port)))
        for _ in range(200):  # wait (bounded) until the port accepts
            try:
                _, writer = await asyncio.open_connection(host, port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.02)
        print(f"READY {port}", flush=True)
        await server

    asyncio.run(run())


if __name__ == "__main__":
    main()
