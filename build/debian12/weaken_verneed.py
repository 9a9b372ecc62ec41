#!/usr/bin/env python3
"""Flags one version requirement of an ELF64 little-endian shared library weak (VER_FLG_WEAK) in place.

Usage: weaken_verneed.py LIBRARY VERSION   (e.g. libLibTorchSharp.so GLIBCXX_3.4.32)
With the flag set, ld.so only notes a missing version instead of refusing to load the library.
Exit 0 when the entry is (now) weak, 1 when the file has no such entry, 2 on a malformed file.
"""
import struct
import sys

VER_FLG_WEAK = 2
SHT_GNU_VERNEED = 0x6FFFFFFE


def main(path: str, version: str) -> int:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            print(f"{path}: not an ELF64 little-endian file", file=sys.stderr)
            return 2
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for sh in sections:
            if sh[1] != SHT_GNU_VERNEED:
                continue
            strtab_offset = sections[sh[6]][4]
            count = sh[7]  # sh_info: number of Verneed entries
            need = sh[4]
            for _ in range(count):
                _, cnt, _, aux_rel, next_rel = struct.unpack_from("<HHIII", data, need)
                aux = need + aux_rel
                for _ in range(cnt):
                    _, flags, _, name, aux_next = struct.unpack_from("<IHHII", data, aux)
                    end = data.index(0, strtab_offset + name)
                    if data[strtab_offset + name:end].decode() == version:
                        if not flags & VER_FLG_WEAK:
                            struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                            f.seek(0)
                            f.write(data)
                        return 0
                    aux += aux_next
                need += next_rel
    print(f"{path}: no version requirement {version}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
