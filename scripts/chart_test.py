#!/usr/bin/env python3
"""Tests of helm/catfee-worker (run through scripts/chart-test.sh, which sets up .venv).

Uses helm-python-sdk (Helm's Go SDK through ctypes: lint and offline render, no helm binary,
no cluster) and kubernetes-validate (strict OpenAPI validation of core kinds). CRD kinds
(KEDA ScaledObject, ServiceMonitor) are not in kubernetes-validate's schemas: they get
structural checks here instead.
"""
import base64
import copy
import math
import sys
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "helm" / "catfee-worker"
CI = CHART / "ci"
K8S_VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]
CRD_KINDS = {("keda.sh/v1alpha1", "ScaledObject"), ("monitoring.coreos.com/v1", "ServiceMonitor")}
CONTRACT_ENV = [
    "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_GROUP_ID", "INTENTS_TOPIC", "RESULTS_TOPIC", "DLQ_TOPIC",
    "CATFEE_BASE_URL", "CATFEE_API_KEY", "CATFEE_API_SECRET_FILE", "CATFEE_SIGNATURE_SCOPE",
    "HTTP_LISTEN", "SHUTDOWN_TIMEOUT_MS", "LOG_LEVEL", "MAX_IN_FLIGHT", "CATFEE_MAX_REQUESTS_PER_SECOND",
]

passed = 0
failed = 0


def check(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}")
    return ok


def ci_values(name):
    return yaml.safe_load((CI / name).read_text()) or {}


def render(chart, values):
    out = chart.render(values=values, name="rel", namespace="ns", is_install=True)
    docs = []
    for path, text in out.items():
        if path.endswith("NOTES.txt"):
            continue
        for d in yaml.safe_load_all(text):
            if d:
                docs.append(d)
    return out, docs


def one(docs, kind):
    found = [d for d in docs if d["kind"] == kind]
    return found[0] if len(found) == 1 else None


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def render_error(chart, values):
    try:
        chart.render(values=values, name="rel", namespace="ns", is_install=True)
    except helm.HelmError as e:
        return str(e)
    return None


def checksum(chart, values):
    _, docs = render(chart, values)
    return one(docs, "Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/secret"]


def test_rendered(chart, ci_name, values):
    out, docs = render(chart, values)
    tag = f"[{ci_name}]"
    kinds = sorted(d["kind"] for d in docs)
    check(bool(docs), f"{tag} renders ({', '.join(kinds)})")
    for d in docs:
        ident = f"{d['kind']}/{d['metadata']['name']}"
        if (d["apiVersion"], d["kind"]) in CRD_KINDS:
            check(bool(d.get("spec")) and bool(d["metadata"].get("name")),
                  f"{tag} {ident}: CRD kind, structural check only (not in kubernetes-validate)")
            continue
        for ver in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(d, ver, strict=True)
                check(True, f"{tag} {ident} valid (strict, k8s {ver})")
            except kubernetes_validate.ValidationError as e:
                check(False, f"{tag} {ident} valid (strict, k8s {ver})", e.message)
            except Exception as e:  # noqa: BLE001
                check(False, f"{tag} {ident} valid (strict, k8s {ver})", repr(e))

    dep = one(docs, "Deployment")
    if not check(dep is not None, f"{tag} exactly one Deployment"):
        return out, docs
    pod = dep["spec"]["template"]["spec"]
    c = pod["containers"][0]
    psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True and csc.get("runAsNonRoot") is True, f"{tag} runAsNonRoot")
    check(psc.get("runAsUser") == 10001 and csc.get("runAsUser") == 10001, f"{tag} runAsUser 10001")
    check(csc.get("readOnlyRootFilesystem") is True, f"{tag} readOnlyRootFilesystem")
    check(csc.get("allowPrivilegeEscalation") is False, f"{tag} allowPrivilegeEscalation false")
    check(csc.get("capabilities", {}).get("drop") == ["ALL"], f"{tag} capabilities drop ALL")
    check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{tag} seccomp RuntimeDefault")
    check(bool(c.get("resources", {}).get("requests")) and bool(c.get("resources", {}).get("limits")),
          f"{tag} resources requests and limits")
    env = env_of(c)
    missing = [n for n in CONTRACT_ENV if n not in env]
    check(not missing, f"{tag} every contract env var set", missing)
    check("CATFEE_API_SECRET" not in env, f"{tag} secret passed as a file, not an env value")
    check(env["CATFEE_API_SECRET_FILE"]["value"] == "/var/run/secrets/catfee/api-secret",
          f"{tag} CATFEE_API_SECRET_FILE path")
    check("secretKeyRef" in env["CATFEE_API_KEY"].get("valueFrom", {}), f"{tag} CATFEE_API_KEY from a Secret")
    check(not env["CATFEE_API_KEY"]["valueFrom"]["secretKeyRef"].get("optional", False),
          f"{tag} CATFEE_API_KEY secretKeyRef not optional (missing secret fails fast)")
    shutdown_ms = int(env["SHUTDOWN_TIMEOUT_MS"]["value"])
    grace = pod["terminationGracePeriodSeconds"]
    check(grace > shutdown_ms / 1000, f"{tag} terminationGracePeriodSeconds {grace} > SHUTDOWN_TIMEOUT_MS/1000 = {shutdown_ms / 1000}")
    live = c["livenessProbe"]
    check(live["periodSeconds"] * live["failureThreshold"] > math.ceil(shutdown_ms / 1000),
          f"{tag} liveness window above the shutdown bound")
    check(c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
          and c["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
          and c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}, f"{tag} probe endpoints")
    check(any(p["name"] == "http" and p["containerPort"] == 8080 for p in c["ports"]), f"{tag} port http 8080")
    vols = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    check("/tmp" in mounts and "emptyDir" in vols[mounts["/tmp"]["name"]], f"{tag} /tmp is an emptyDir")
    secret_mount = mounts.get("/var/run/secrets/catfee")
    check(secret_mount is not None and "secret" in vols[secret_mount["name"]], f"{tag} api secret mounted from a Secret")
    check("checksum/secret" in dep["spec"]["template"]["metadata"].get("annotations", {}), f"{tag} checksum/secret annotation")
    svc = one(docs, "Service")
    check(svc is not None and svc["spec"]["ports"][0]["targetPort"] == "http", f"{tag} Service on port http")
    pdb = one(docs, "PodDisruptionBudget")
    check(pdb is not None and pdb["spec"]["maxUnavailable"] == 1, f"{tag} PDB maxUnavailable 1")
    # No secret material outside Secrets.
    for d in docs:
        if d["kind"] != "Secret":
            text = yaml.safe_dump(d)
            for s in filter(None, [values.get("catfee", {}).get("apiSecret"),
                                   values.get("kafka", {}).get("properties", {}).get("sasl.password")]):
                if len(str(s)) > 2 and str(s) in text:
                    check(False, f"{tag} secret value leaks into {d['kind']}")
    return out, docs


def main():
    lint_ok = True
    ci_files = sorted(p.name for p in CI.glob("*.yaml"))
    check(len(ci_files) >= 4, f"at least 4 CI value sets ({ci_files})")
    for name in ci_files:
        rep = helm.lint(str(CHART), ci_values(name), strict=True, kube_version="v1.30.0")
        bad = [m for m in rep["messages"] if m["severity"] >= 2] + rep.get("errors", [])
        lint_ok &= check(not bad, f"helm lint --strict with ci/{name}", bad)

    with helm.Chart.load(str(CHART)) as chart:
        check(chart.metadata.get("apiVersion") == "v2" and bool(chart.metadata.get("appVersion")),
              "Chart.yaml apiVersion v2 with appVersion")
        rendered = {}
        for name in ci_files:
            rendered[name] = test_rendered(chart, name, ci_values(name))

        # Secret rotation (failure case 12).
        base = ci_values("default-values.yaml")
        c0 = checksum(chart, base)
        for path, val in [("catfee.apiSecret", "rotated-secret"), ("catfee.apiKey", "rotated-key"),
                          ("kafka.properties.sasl.password", "new-password")]:
            v = copy.deepcopy(base)
            top, key = path.split(".", 1)
            if top == "kafka":
                v.setdefault("kafka", {}).setdefault("properties", {})["sasl.password"] = val
            else:
                v[top][key.split(".")[0]] = val
            check(checksum(chart, v) != c0, f"checksum/secret changes when {path} changes")
        v = copy.deepcopy(base)
        v["replicaCount"] = 3
        v["worker"] = {"logLevel": "debug"}
        check(checksum(chart, v) == c0, "checksum/secret stable when non-secret values change")
        ex = ci_values("existing-secret-values.yaml")
        e0 = checksum(chart, ex)
        v = copy.deepcopy(ex)
        v["catfee"]["secretRevision"] = "2024-07-01"
        check(checksum(chart, v) != e0, "existingSecret: checksum/secret changes with catfee.secretRevision")
        v = copy.deepcopy(ex)
        v["catfee"]["existingSecret"] = "other-credentials"
        check(checksum(chart, v) != e0, "existingSecret: checksum/secret changes with the Secret's name")

        # existingSecret: no chart Secret, references the given one.
        _, docs = rendered["existing-secret-values.yaml"]
        check(one(docs, "Secret") is None, "existingSecret: the chart renders no Secret")
        c = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
        check(env_of(c)["CATFEE_API_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "catfee-credentials",
              "existingSecret: CATFEE_API_KEY from catfee-credentials")
        check("KAFKA_PROPERTIES_FILE" not in env_of(c), "no KAFKA_PROPERTIES_FILE without kafka.properties")
        check(one(docs, "Deployment")["spec"]["replicas"] == 2, "replicaCount honoured")

        # SASL_SSL: properties go to a Secret, never a ConfigMap.
        _, docs = rendered["sasl-ssl-values.yaml"]
        sec = one(docs, "Secret")
        props = base64.b64decode(sec["data"]["kafka.properties"]).decode() if sec else ""
        check("security.protocol=SASL_SSL" in props and "sasl.password=p@ss=word#1" in props,
              "SASL_SSL: kafka.properties in the Secret", props)
        check(not any(d["kind"] == "ConfigMap" for d in docs), "SASL_SSL: no ConfigMap carries properties")
        c = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
        check(env_of(c).get("KAFKA_PROPERTIES_FILE", {}).get("value") == "/etc/catfee-worker/kafka/kafka.properties",
              "SASL_SSL: KAFKA_PROPERTIES_FILE set and mounted")
        check(env_of(c).get("EXTRA_FLAG", {}).get("value") == "1", "extraEnv appended")
        check(one(docs, "Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 46 + 15,
              "grace period = ceil(45500/1000) + 15")
        check(one(docs, "HorizontalPodAutoscaler") is not None and "replicas" not in one(docs, "Deployment")["spec"],
              "HPA on: Deployment leaves replicas to the HPA")

        # KEDA + ServiceMonitor.
        out, docs = rendered["keda-servicemonitor-values.yaml"]
        so = one(docs, "ScaledObject")
        trig = so["spec"]["triggers"][0] if so else {}
        check(trig.get("type") == "kafka" and trig["metadata"].get("consumerGroup") == "catfee-worker"
              and trig["metadata"].get("topic") == "purchase-intents" and trig["metadata"].get("lagThreshold") == "50"
              and trig["metadata"].get("bootstrapServers") == "kafka:9092", "KEDA kafka trigger on consumer lag", trig)
        check(so is not None and so["spec"]["scaleTargetRef"]["name"] == one(docs, "Deployment")["metadata"]["name"],
              "KEDA targets the Deployment")
        sm = one(docs, "ServiceMonitor")
        check(sm is not None and sm["spec"]["endpoints"][0]["port"] == "http"
              and sm["spec"]["endpoints"][0]["path"] == "/metrics", "ServiceMonitor scrapes http /metrics")
        check("replicas" not in one(docs, "Deployment")["spec"], "KEDA on: Deployment leaves replicas to KEDA")

        # NOTES: idle replicas warning.
        v = copy.deepcopy(base)
        v["replicaCount"] = 5
        v["kafka"]["intentsPartitions"] = 3
        notes = chart.render(values=v, name="rel", namespace="ns")["catfee-worker/templates/NOTES.txt"]
        check("3 partition(s)" in notes and "WARNING" in notes and "2 pod(s) would sit idle" in notes,
              "NOTES warns about replicas beyond partitions", notes[-300:])

        # Fail fast with clear messages.
        v = copy.deepcopy(base)
        del v["catfee"]
        err = render_error(chart, v) or ""
        check("CatFee API secret missing" in err and "catfee.existingSecret" in err,
              "no secret: rendering fails with a clear message", err)
        v = copy.deepcopy(base)
        v["catfee"] = {"apiSecret": "s"}
        err = render_error(chart, v) or ""
        check("catfee.apiKey is required" in err, "no api key: rendering fails with a clear message", err)
        v = copy.deepcopy(base)
        v["kafka"]["bootstrapServers"] = ""
        err = render_error(chart, v) or ""
        check("kafka.bootstrapServers is required" in err, "empty bootstrapServers: rendering fails", err)
        v = copy.deepcopy(base)
        v["probes"] = {"liveness": {"periodSeconds": 5, "failureThreshold": 3}}
        err = render_error(chart, v) or ""
        check("must exceed the shutdown bound" in err, "liveness window below the drain bound: rendering fails", err)
        v = copy.deepcopy(base)
        v["worker"] = {"terminationGraceMarginSeconds": 0}
        err = render_error(chart, v) or ""
        check(err != "", "grace margin 0: rendering fails", err)
        v = copy.deepcopy(base)
        v["autoscaling"] = {"enabled": True}
        v["keda"] = {"enabled": True}
        err = render_error(chart, v) or ""
        check("mutually exclusive" in err, "HPA and KEDA together: rendering fails", err)
        v = copy.deepcopy(base)
        v["catfee"]["signatureScope"] = "query"
        err = render_error(chart, v) or ""
        check(err != "", "values.schema.json / template rejects signatureScope=query", err)
        v = copy.deepcopy(base)
        v["worker"] = {"shutdownTimeoutMs": "30s"}
        err = render_error(chart, v) or ""
        check(err != "", "values.schema.json rejects a non-integer shutdownTimeoutMs", err)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
