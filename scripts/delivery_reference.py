#!/usr/bin/env python3
"""An independent reference for the delivery metrics, written from the README's "Pipeline data" and "Metric
definitions" sections alone (not from the Swift code), so that a test can compare the two on the same events.

    scripts/delivery_reference.py EVENTS.ndjson --from EPOCH --to EPOCH [--by service|month] [--rework-hours H]

EVENTS.ndjson holds generic records (change, history, deployment, incident). The period is half-open, in seconds
since 1970. Prints {"groups": [...]} with the figures `lodestar metrics --format json` gives, without tiers.
Only the standard library; plain loops over small histories, no attempt at speed.
"""
import argparse
import calendar
import datetime
import json
import math
import re
import sys

WINDOW = 24 * 3600


def parse_time(text):
    """ISO 8601 (Z or an offset; no zone is UTC) or epoch seconds, to seconds since 1970."""
    if isinstance(text, (int, float)):
        return float(text)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.timestamp()


def is_production(environment):
    """production, prod…, prd… or live before the first - _ / . or space, any case."""
    name = environment.strip().lower()
    first = re.split(r"[-_/. ]", name)[0]
    return first in ("prd", "prod", "production", "live") or name.startswith("prod")


def round_half_away(value, decimals):
    scaled = value * 10 ** decimals
    whole = math.floor(scaled)
    if scaled - whole >= 0.5:
        whole += 1
    return whole / 10 ** decimals


def distribution(values):
    """Median and p90 by nearest rank, rounded to 2 decimals."""
    values = sorted(values)
    if not values:
        return {"median": None, "p90": None, "samples": 0}

    def rank(p):
        return max(0, min(len(values) - 1, math.ceil(p * len(values)) - 1))

    return {
        "median": round_half_away(values[rank(0.5)], 2),
        "p90": round_half_away(values[rank(0.9)], 2),
        "samples": len(values),
    }


def read(path):
    """Records merged as the README says: a change's earliest times and every parent named, history facts added
    up, a deployment's latest report, an incident's first opening and latest state."""
    changes, contains, deployments, incidents = {}, {}, {}, {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            service = record.get("service") or record.get("repository") or "default"
            kind = record["type"]
            if kind == "change":
                key = (service, record["sha"].lower())
                committed = parse_time(record["committedAt"])
                authored = parse_time(record["authoredAt"]) if record.get("authoredAt") else None
                old = changes.get(key)
                if old:
                    committed = min(committed, old["committed"])
                    authored = min(x for x in (authored, old["authored"]) if x is not None) if (authored or old["authored"]) else None
                changes[key] = {"committed": committed, "authored": authored}
                if record.get("parent"):
                    contains.setdefault(key, set()).add(record["parent"].lower())
            elif kind == "history":
                key = (service, record["sha"].lower())
                listed = record["shas"] if isinstance(record["shas"], list) else record["shas"].split()
                contains.setdefault(key, set()).update(sha.lower() for sha in listed if sha.lower() != key[1])
            elif kind == "deployment":
                shas = ([record["sha"]] if record.get("sha") else []) + list(record.get("shas") or [])
                deployments[record["id"]] = {
                    "id": record["id"], "service": service, "environment": record.get("environment") or "production",
                    "shas": [sha.lower() for sha in shas], "finished": parse_time(record["finishedAt"]),
                    "result": record["result"],
                }
            elif kind == "incident":
                old = incidents.get(record["id"])
                opened = parse_time(record["openedAt"])
                incidents[record["id"]] = {
                    "id": record["id"], "service": service, "opened": min(opened, old["opened"]) if old else opened,
                    "resolved": parse_time(record["resolvedAt"]) if record.get("resolvedAt") else None,
                    "cause": (record.get("rootCause") or (old or {}).get("cause") or None),
                }
    return changes, contains, list(deployments.values()), list(incidents.values())


def ship(changes, contains, deployments):
    """Which changes each successful production deployment shipped: everything its commits contain that no
    earlier one of the service shipped; or, when its commit is unknown, every change not yet shipped committed by
    its end, with what those contain."""
    production = sorted((d for d in deployments if is_production(d["environment"])), key=lambda d: (d["finished"], d["id"]))
    shipped_by = {}  # (service, sha) -> deployment id, changes and other commits alike
    shipped_changes = []  # (change key, deployment)
    for deployment in production:
        if deployment["result"] != "success":
            continue
        service = deployment["service"]

        def reach(start):
            stack = [start]
            while stack:
                key = stack.pop()
                if key in shipped_by:
                    continue
                shipped_by[key] = deployment["id"]
                if key in changes:
                    shipped_changes.append((key, deployment))
                stack.extend((service, sha) for sha in contains.get(key, ()))

        heads = [(service, sha) for sha in deployment["shas"]]
        if heads and (heads[0] in changes or heads[0] in contains):
            reach(heads[0])
        else:
            for key in sorted((k for k in changes if k[0] == service), key=lambda k: changes[k]["committed"]):
                if changes[key]["committed"] <= deployment["finished"]:
                    reach(key)
        for key in heads[1:]:
            if key in changes or key in contains:
                reach(key)
    return production, shipped_changes


def link(production, shipped_changes, incidents):
    """Failed deployments (by their result or an incident) and each incident's deployment."""
    failed = {d["id"] for d in production if d["result"] != "success"}
    carriers = {}  # sha -> deployments that carried it
    for key, deployment in shipped_changes:
        carriers.setdefault(key[1], []).append(deployment)
    for deployment in production:
        if deployment["result"] != "success":
            for sha in deployment["shas"]:
                carriers.setdefault(sha, []).append(deployment)
    causes = {}
    for incident in incidents:
        cause = None
        named = (incident["cause"] or "").lower()
        if named:
            full = named if named in carriers else min(
                (sha for sha in carriers if sha.startswith(named) or named.startswith(sha)), default=None)
            if full:
                carried = sorted(carriers[full], key=lambda d: d["finished"])
                before = [d for d in carried if d["finished"] <= incident["opened"]]
                cause = before[-1] if before else carried[0]
        if cause is None:
            candidates = [d for d in production if d["result"] == "success" and d["service"] == incident["service"]
                          and d["finished"] <= incident["opened"]]
            if candidates and incident["opened"] - candidates[-1]["finished"] <= WINDOW:
                cause = candidates[-1]
        if cause is not None:
            failed.add(cause["id"])
            causes[incident["id"]] = cause
    return failed, causes


def month_of(time):
    value = datetime.datetime.fromtimestamp(time, datetime.timezone.utc)
    return "%04d-%02d" % (value.year, value.month)


def weeks(start, end):
    return max(end - start, 1) / (7 * 86400)


def rework(production, failed, hours):
    """Ids of the rework deployments: a deployment that recovered a failed production deployment of its service
    (the service's next successful production deployment that finished after it and did not fail) and finished
    within `hours` of it, both ends included."""
    found = set()
    for deployment in production:
        if deployment["id"] not in failed:
            continue
        later = [d for d in production if d["service"] == deployment["service"] and d["result"] == "success"
                 and d["id"] not in failed and d["finished"] > deployment["finished"]]
        if later and later[0]["finished"] - deployment["finished"] <= hours * 3600:
            found.add(later[0]["id"])
    return found


def metrics(path, start, end, by, rework_hours=24):
    changes, contains, deployments, incidents = read(path)
    production, shipped_changes = ship(changes, contains, deployments)
    failed, _ = link(production, shipped_changes, incidents)
    reworked = rework(production, failed, rework_hours)
    groups = {}

    def group(service, time):
        key = {} if by is None else {"service": service} if by == "service" else {"month": month_of(time)}
        return groups.setdefault(json.dumps(key, sort_keys=True), {
            "key": key, "deployments": 0, "attempts": 0, "failed": 0, "lead": [], "skew": 0, "incidents": 0,
            "restore": [], "recovery": [], "rework": 0,
        })

    if by is None:
        group("", 0)
    inside = lambda time: start <= time < end  # noqa: E731
    for deployment in production:
        if not inside(deployment["finished"]):
            continue
        bucket = group(deployment["service"], deployment["finished"])
        bucket["attempts"] += 1
        bucket["deployments"] += deployment["result"] == "success"
        bucket["rework"] += deployment["id"] in reworked
        if deployment["id"] in failed:
            bucket["failed"] += 1
            healthy = [d for d in production if d["service"] == deployment["service"] and d["result"] == "success"
                       and d["id"] not in failed and d["finished"] > deployment["finished"]]
            if healthy:
                bucket["recovery"].append((healthy[0]["finished"] - deployment["finished"]) / 3600)
    for key, deployment in shipped_changes:
        if not inside(deployment["finished"]):
            continue
        change = changes[key]
        begun = min(change["authored"] if change["authored"] is not None else change["committed"], change["committed"])
        hours = (deployment["finished"] - begun) / 3600
        bucket = group(deployment["service"], deployment["finished"])
        if hours < 0:
            bucket["skew"] += 1
        else:
            bucket["lead"].append(hours)
    for incident in incidents:
        if not inside(incident["opened"]):
            continue
        bucket = group(incident["service"], incident["opened"])
        bucket["incidents"] += 1
        if incident["resolved"] is not None and incident["resolved"] >= incident["opened"]:
            bucket["restore"].append((incident["resolved"] - incident["opened"]) / 3600)

    out = []
    for name in sorted(groups, key=lambda k: "\0".join(v for _, v in sorted(groups[k]["key"].items()))):
        bucket = groups[name]
        span = weeks(start, end)
        if by == "month":
            year, month = map(int, bucket["key"]["month"].split("-"))
            first = calendar.timegm((year, month, 1, 0, 0, 0))
            last = calendar.timegm((year + month // 12, month % 12 + 1, 1, 0, 0, 0))
            span = weeks(max(first, start), min(last, end))
        out.append({
            "key": bucket["key"], "deployments": bucket["deployments"],
            "deploymentsPerWeek": round_half_away(bucket["deployments"] / span, 2),
            "leadTimeHours": distribution(bucket["lead"]), "failedDeployments": bucket["failed"],
            "changeFailureRate": round_half_away(bucket["failed"] / bucket["attempts"], 3) if bucket["attempts"] else None,
            "incidents": bucket["incidents"], "timeToRestoreHours": distribution(bucket["restore"]),
            "recoveryTimeHours": distribution(bucket["recovery"]), "skippedClockSkew": bucket["skew"],
            "reworkDeployments": bucket["rework"],
            "reworkRate": round_half_away(bucket["rework"] / bucket["deployments"], 3) if bucket["deployments"] else None,
        })
    return {"groups": out}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events")
    parser.add_argument("--from", dest="start", type=float, required=True)
    parser.add_argument("--to", dest="end", type=float, required=True)
    parser.add_argument("--by", choices=["service", "month"])
    parser.add_argument("--rework-hours", dest="rework_hours", type=float, default=24)
    arguments = parser.parse_args()
    json.dump(metrics(arguments.events, arguments.start, arguments.end, arguments.by, arguments.rework_hours), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
