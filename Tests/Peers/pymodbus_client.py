"""An independent Modbus TCP client built on pymodbus: reads tags and decodes them with its own layouts.

usage: pymodbus_client.py HOST PORT SPEC.json   (SPEC as for pymodbus_server.py, "value" ignored;
       optional per-tag "unit")
Prints one JSON object {tag name or index: value or {"error": ...}}.
"""
import json
import logging
import math
import sys

from modbus_layouts import WIDTH, decode
from pymodbus.client import ModbusTcpClient

logging.getLogger("pymodbus").setLevel(logging.CRITICAL)


def main():
    host, port, spec = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
    client = ModbusTcpClient(host, port=port, timeout=2, retries=1)
    if not client.connect():
        print(json.dumps({"error": "connect failed"}))
        sys.exit(2)
    out = {}
    for index, tag in enumerate(spec["tags"]):
        key = tag.get("name", str(index))
        unit = tag.get("unit_id", spec.get("unit", 1))
        width = tag.get("length", 1) if tag["type"] == "string" else WIDTH[tag["type"]]
        table, address = tag["table"], tag["address"]
        if table == "coil":
            rr = client.read_coils(address, count=1, device_id=unit)
        elif table == "discrete_input":
            rr = client.read_discrete_inputs(address, count=1, device_id=unit)
        elif table == "holding":
            rr = client.read_holding_registers(address, count=width, device_id=unit)
        else:
            rr = client.read_input_registers(address, count=width, device_id=unit)
        if rr.isError():
            out[key] = {"error": str(rr)}
            continue
        regs = [1 if b else 0 for b in rr.bits[:1]] if table in ("coil", "discrete_input") else rr.registers
        value = decode(regs, tag["type"], tag.get("order", "ABCD"), tag.get("scale", 1.0), tag.get("offset", 0.0))
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)
        out[key] = value
    client.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
