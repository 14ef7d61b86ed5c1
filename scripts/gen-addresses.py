#!/usr/bin/env python3
"""Deterministic generator of TRON base58check addresses for test fixtures.

A TRON address is base58check (Bitcoin alphabet) of 25 bytes:
  0x41 || 20-byte account id || first 4 bytes of SHA-256(SHA-256(first 21 bytes)).
Printed, it is 34 characters starting with 'T'.

Usage:
  scripts/gen-addresses.py [--seed S] [--count N]          valid addresses, one per line
  scripts/gen-addresses.py --bad-checksum [--seed S] ...    addresses whose checksum is wrong
                                                            (still 34 chars, 'T', base58 alphabet)
  scripts/gen-addresses.py --check ADDR...                  exit 0 iff every ADDR is valid

Only the standard library is used (hashlib); base58 is done by hand.
"""
import argparse
import hashlib
import sys

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n > 0:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        idx = ALPHABET.find(ch)
        if idx < 0:
            raise ValueError(f"not a base58 character: {ch!r}")
        n = n * 58 + idx
    pad = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * pad + body


def checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def address_from_account(account: bytes) -> str:
    assert len(account) == 20
    payload = b"\x41" + account
    return b58encode(payload + checksum(payload))


def is_valid(addr: str) -> bool:
    if len(addr) != 34 or not addr.startswith("T"):
        return False
    try:
        raw = b58decode(addr)
    except ValueError:
        return False
    if len(raw) != 25 or raw[0] != 0x41:
        return False
    return checksum(raw[:21]) == raw[21:]


def accounts(seed: str, count: int):
    for i in range(count):
        yield hashlib.sha256(f"{seed}/{i}".encode()).digest()[:20]


def bad_checksum(account: bytes) -> str:
    payload = b"\x41" + account
    good = checksum(payload)
    bad = bytes([good[0] ^ 0x01]) + good[1:]
    addr = b58encode(payload + bad)
    assert len(addr) == 34 and addr[0] == "T" and not is_valid(addr)
    return addr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default="catfee-worker-fixtures")
    ap.add_argument("--count", type=int, default=8)
    ap.add_argument("--bad-checksum", action="store_true")
    ap.add_argument("--check", nargs="+", metavar="ADDR")
    args = ap.parse_args()
    if args.check:
        ok = True
        for a in args.check:
            v = is_valid(a)
            ok &= v
            print(f"{a}\t{'valid' if v else 'INVALID'}")
        return 0 if ok else 1
    for acc in accounts(args.seed, args.count):
        addr = bad_checksum(acc) if args.bad_checksum else address_from_account(acc)
        if not args.bad_checksum:
            assert is_valid(addr), addr
        print(addr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
