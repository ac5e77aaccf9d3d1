#!/usr/bin/env python3
"""Writes a wrk request list for scripts/bench-sources.sh: N distinct deliveries of one webhook source, each built
from the source's fixture (Tests/Fixtures/webhooks/<source>/) with its ids made unique and signed or authenticated
as that tool does. Each delivery stores one new incident or deployment (a push: one new change).

    bench_sources.py SOURCE COUNT SECRET OUT.lua
"""
import base64, copy, hashlib, hmac, json, sys

source, count, secret, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
fixtures = "Tests/Fixtures/webhooks/" + source + "/"


def load(name):
    with open(fixtures + name) as f:
        return json.load(f)


def sha(n):
    return hashlib.sha1(("commit-%d" % n).encode()).hexdigest()


def hmac_hex(body):
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def pagerduty(n, base):
    d = copy.deepcopy(base)
    d["event"]["id"] = "ev-%d" % n
    d["event"]["data"]["id"] = "PD%07d" % n
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/pagerduty", {"X-PagerDuty-Signature": "v1=" + hmac_hex(body), "X-Webhook-Id": "wh-%d" % n}, body


def opsgenie(n, base):
    d = copy.deepcopy(base)
    d["alert"]["alertId"] = "alert-%d" % n
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/opsgenie", {"X-Lodestar-Token": secret}, body


def servicenow(n, base):
    d = copy.deepcopy(base)
    d["number"] = "INC%07d" % n
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/servicenow", {"Authorization": "Bearer " + secret}, body


def jenkins(n, base):
    d = copy.deepcopy(base)
    d["build"]["number"] = n
    d["build"]["scm"]["commit"] = sha(n)
    body = json.dumps(d, separators=(",", ":"))
    token = base64.b64encode(("jenkins:" + secret).encode()).decode()
    return "/webhooks/jenkins", {"Authorization": "Basic " + token}, body


def circleci(n, base):
    d = copy.deepcopy(base)
    d["id"] = "delivery-%d" % n
    d["workflow"]["id"] = "workflow-%d" % n
    d["pipeline"]["vcs"]["revision"] = sha(n)
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/circleci", {"circleci-signature": "v1=" + hmac_hex(body), "circleci-event-type": "workflow-completed"}, body


def argocd(n, base):
    d = copy.deepcopy(base)
    d["revision"] = sha(n)
    d["finishedAt"] = "2026-11-03T09:%02d:%02dZ" % (n // 60 % 60, n % 60)
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/argocd", {"Authorization": "Bearer " + secret}, body


def tekton(n, base):
    d = copy.deepcopy(base)
    d["pipelineRun"]["metadata"]["name"] = "deploy-to-production-run-%d" % n
    d["pipelineRun"]["metadata"]["uid"] = "uid-%d" % n
    for param in d["pipelineRun"]["spec"].get("params", []):
        if param["name"] == "gitrevision":
            param["value"] = sha(n)
    body = json.dumps(d, separators=(",", ":"))
    headers = {"Ce-Id": "ce-%d" % n, "Ce-Type": "dev.tekton.event.pipelinerun.successful.v1", "Ce-Specversion": "1.0",
               "Ce-Source": "/apis///namespaces/checkout//deploy-to-production-run"}
    return "/webhooks/tekton/" + secret, headers, body


def bitbucket(n, base):
    d = copy.deepcopy(base)
    change = d["push"]["changes"][0]
    commit = change["commits"][0]
    commit["hash"] = sha(n)
    commit["parents"] = [{"hash": sha(n + 10_000_000), "type": "commit"}]
    change["commits"] = [commit]
    change["new"]["target"]["hash"] = sha(n)
    if change.get("old"):
        change["old"]["target"]["hash"] = sha(n + 10_000_000)
    body = json.dumps(d, separators=(",", ":"))
    return "/webhooks/bitbucket", {"X-Hub-Signature": "sha256=" + hmac_hex(body), "X-Event-Key": "repo:push", "X-Request-UUID": "req-%d" % n}, body


makers = {
    "pagerduty": (pagerduty, "incident.triggered.json"), "opsgenie": (opsgenie, "Create.json"),
    "servicenow": (servicenow, "opened.json"), "jenkins": (jenkins, "COMPLETED.json"),
    "circleci": (circleci, "workflow-completed.json"), "argocd": (argocd, "sync-succeeded.json"),
    "tekton": (tekton, "pipelinerun-successful.json"), "bitbucket": (bitbucket, "repo-push.json"),
}
make, fixture = makers[source]
base = load(fixture)


def lua(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


with open(out_path, "w") as out:
    # Lua allows 65,536 constants a function: the entries go in chunks, each in its own function.
    out.write("local r = {}\n")
    for n in range(count):
        if n % 2000 == 0:
            out.write("%s;(function()\n" % ("end)()\n" if n else ""))
        path, headers, body = make(n, base)
        fields = ",".join("[%s]=%s" % (lua(k), lua(v)) for k, v in headers.items())
        out.write("r[#r+1]={path=%s,headers={%s},body=%s}\n" % (lua(path), fields, lua(body)))
    out.write("end)()\nreturn r\n")
