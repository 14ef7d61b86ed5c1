#!/usr/bin/env python3
"""Checks for schemas/ (run through scripts/schema-test.sh, which sets up .venv)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
EX = SCHEMAS / "examples"
CHECK = str(Path(sys.executable).parent / "check-jsonschema")

spec = importlib.util.spec_from_file_location("genaddr", ROOT / "scripts" / "gen-addresses.py")
genaddr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(genaddr)

passed = 0
failed = 0


def report(ok: bool, name: str, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + detail if detail else ''}")


def cj(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHECK, *args], capture_output=True, text=True)


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def files(d: Path, prefix: str):
    out = sorted(d.glob(prefix + "*.json"))
    if not out:
        report(False, f"{rel(d)} has {prefix}*.json examples", "none found")
    return out


def main() -> int:
    intent = SCHEMAS / "intent.schema.json"
    result = SCHEMAS / "result.schema.json"

    # 1. The schemas themselves are valid 2020-12 schemas.
    for s in (intent, result):
        r = cj("--check-metaschema", str(s))
        report(r.returncode == 0, f"metaschema {rel(s)}", r.stdout + r.stderr)

    # 2. Examples, with check-jsonschema (the 2020-12 validator the schemas declare), and the
    #    same verdict from a draft-07 validator (asyncapi.yaml labels the payloads draft-07).
    def expect(schema: Path, example: Path, valid: bool) -> None:
        r = cj("--schemafile", str(schema), str(example))
        got = r.returncode == 0
        report(got == valid, f"check-jsonschema {'accepts' if valid else 'rejects'} {rel(example)}",
               (r.stdout + r.stderr).strip()[-400:])
        schema_obj = json.loads(schema.read_text())
        d7 = dict(schema_obj)
        d7["$schema"] = "http://json-schema.org/draft-07/schema#"
        ok7 = jsonschema.Draft7Validator(d7).is_valid(json.loads(example.read_text()))
        report(ok7 == valid, f"draft-07 agrees on {rel(example)}")

    valid_intents = files(EX / "valid", "intent-")
    invalid_intents = files(EX / "invalid", "intent-")
    for f in valid_intents:
        expect(intent, f, True)
    for f in invalid_intents:
        expect(intent, f, False)
    for f in files(EX / "results" / "valid", "result-"):
        expect(result, f, True)
    for f in files(EX / "results" / "invalid", "result-"):
        expect(result, f, False)

    # 3. Every valid intent has a receiver with a real base58check checksum (so the Swift
    #    decoder must accept it too).
    for f in valid_intents:
        addr = json.loads(f.read_text()).get("receiver", "")
        report(genaddr.is_valid(addr), f"base58check receiver in {rel(f)}", addr)

    # 4. decoder-only-invalid: the schema accepts them (a known, documented gap) and the reason
    #    the decoder rejects them is really there.
    for f in files(EX / "decoder-only-invalid", "intent-"):
        expect(intent, f, True)
        text = f.read_text()
        doc = json.loads(text)
        bad_checksum = not genaddr.is_valid(doc.get("receiver", ""))
        q = text.split('"quantity"', 1)[1].split(":", 1)[1].lstrip()
        non_integer_literal = not q[:1].isdigit() or any(c in q.split(",")[0].split("}")[0] for c in ".eE")
        report(bad_checksum or non_integer_literal,
               f"{rel(f)} is invalid for the decoder (bad checksum or non-integer literal)")

    # 5. AsyncAPI 3.0: official JSON Schema (vendored), then references and structure.
    aa = SCHEMAS / "asyncapi.yaml"
    meta = SCHEMAS / "vendor" / "asyncapi-3.0.0-without-id.json"
    r = cj("--schemafile", str(meta), str(aa))
    report(r.returncode == 0, "asyncapi.yaml valid against the AsyncAPI 3.0.0 JSON Schema",
           (r.stdout + r.stderr).strip()[-800:])
    doc = yaml.safe_load(aa.read_text())

    def resolve(ref: str):
        path, _, frag = ref.partition("#")
        target = doc if not path else json.loads((SCHEMAS / path).read_text())
        for part in [p for p in frag.split("/") if p]:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target

    def refs(node, where="$"):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref" and isinstance(v, str):
                    yield where, v
                else:
                    yield from refs(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from refs(v, f"{where}[{i}]")

    for where, ref in refs(doc):
        try:
            resolve(ref)
            report(True, f"asyncapi $ref {ref} resolves")
        except Exception as e:  # noqa: BLE001
            report(False, f"asyncapi $ref {ref} at {where} resolves", repr(e))

    want = {"purchase-intents": "receive", "purchase-results": "send", "purchase-intents.dlq": "send"}
    addresses = {name: ch.get("address") for name, ch in doc.get("channels", {}).items()}
    report(sorted(addresses.values()) == sorted(want), "asyncapi channels are the contract's three topics",
           str(addresses))
    for op_name, op in doc.get("operations", {}).items():
        ch_ref = op["channel"]["$ref"]
        ch_name = ch_ref.split("/")[-1]
        addr = addresses.get(ch_name)
        report(want.get(addr) == op["action"], f"operation {op_name} {op['action']}s on {addr}")
        for m in op.get("messages", []):
            report(m["$ref"].startswith(ch_ref + "/messages/"),
                   f"operation {op_name} message {m['$ref']} belongs to its channel")
    for mname, m in doc["components"]["messages"].items():
        report("key" in m.get("bindings", {}).get("kafka", {}), f"message {mname} has a kafka key binding")
    reasons = doc["components"]["schemas"]["deadLetterHeaders"]["properties"]["dlq-reason"]["enum"]
    md = (SCHEMAS / "dead-letter.md").read_text()
    report(all(f"`{c}`" in md for c in reasons), "dead-letter.md documents every dlq-reason of asyncapi.yaml")
    report(reasons == ["missing-key", "empty-key", "key-too-long", "key-not-printable-ascii",
                       "value-not-utf8", "value-not-json-object"], "dlq-reason codes are the agreed set")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
