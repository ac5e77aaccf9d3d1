"""Drives and checks scripts/durability.sh. Standard library only.

Every write carries a marker that can be found in the database afterwards: a response's `best` answer is
`durability <uuid>` (answers are stored without names), a webhook's deployment id is `github-deployment-<n>` or
`gitlab-deployment-<n>`. The drivers record each marker before it is sent (`PHASE.sent`) and again once it was
answered 2xx (`PHASE.acked`), with a summary in `PHASE.json`.

  durability.py drive  --port P --seconds S --workers N --phase NAME --out DIR [--fresh-connections]
      concurrent form posts (GET /survey for the CSRF cookie and token, then POST), POST /api/v1/responses and signed
      GitHub / GitLab deployment webhooks, until S seconds have passed; connection errors are counted and retried.
  durability.py slow   --port P --count N --hold S --phase NAME --out DIR
      N requests on connections of their own that send half their body, write DIR/NAME.ready once all have,
      wait S seconds and send the rest: they are in flight when the script sends SIGTERM.
  durability.py verify --db FILE --out DIR --interrupted NAME… --graceful NAME…
      opens the database read-only: every acknowledged marker stored exactly once, nothing stored that was not sent,
      no answer but 2xx, `PRAGMA integrity_check` ok. A write cut off by SIGKILL or by the client's deadline may be
      stored without its answer (--interrupted); for a NAME under --graceful nothing may be stored unanswered.
      Exits 1 on any failure.

Needs LODESTAR_GITHUB_SECRET and LODESTAR_GITLAB_TOKEN in the environment, the same as the server's.
"""
import argparse
import collections
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import sys
import threading
import time
import uuid

MONTH = "2026-11"
KINDS = ("form", "api", "github", "gitlab")


def new_deployment_id():
    """A positive 62-bit integer: GitHub and GitLab ids are numbers, and Swift reads them as Int."""
    return uuid.uuid4().int >> 66


def form_body(csrf, marker_text):
    from urllib.parse import urlencode

    return urlencode({
        "csrf": csrf, "month": MONTH, "team": "payments", "answers.best": marker_text,
        "answers.worst": "The integration tests are flaky", "answers.change": "Cache the dependency downloads in CI",
        "ratings.satisfaction": "4",
    })


def api_body(marker_text):
    return json.dumps({
        "month": MONTH, "team": "checkout",
        "answers": {"best": marker_text, "worst": "Waiting for review", "change": "Faster runners"},
        "ratings": {"satisfaction": 3, "easeOfShipping": 4, "operationsShare": 20},
    })


def github_request(number, repository="durability"):
    """A signed `deployment_status` delivery that stores deployment `github-deployment-<number>` of `repository`."""
    body = json.dumps({
        "action": "created",
        "deployment_status": {"id": number, "state": "success", "environment": "production",
                              "created_at": "2026-11-02T10:15:00Z", "updated_at": "2026-11-02T10:15:00Z"},
        "deployment": {"id": number, "sha": hashlib.sha1(str(number).encode()).hexdigest(), "ref": "main", "task": "deploy",
                       "environment": "production", "created_at": "2026-11-02T10:05:00Z"},
        "repository": {"id": 1296269, "name": repository, "full_name": "acme/" + repository},
        "sender": {"login": "deploy-bot", "id": 1},
    }).encode()
    secret = os.environ["LODESTAR_GITHUB_SECRET"].encode()
    headers = {
        "Content-Type": "application/json", "X-GitHub-Event": "deployment_status", "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest(),
    }
    return "/webhooks/github", headers, body


def gitlab_request(number):
    """A `Deployment Hook` delivery with the secret token that stores deployment `gitlab-deployment-<number>`."""
    sha = hashlib.sha1(str(number).encode()).hexdigest()
    body = json.dumps({
        "object_kind": "deployment", "status": "success", "status_changed_at": "2026-11-02 10:15:00 UTC",
        "deployment_id": number, "environment": "production", "short_sha": sha[:8],
        "commit_url": "https://gitlab.example.com/acme/durability/-/commit/" + sha,
        "project": {"id": 30, "name": "durability", "path_with_namespace": "acme/durability"},
    }).encode()
    headers = {
        "Content-Type": "application/json", "X-Gitlab-Event": "Deployment Hook", "X-Gitlab-Event-UUID": str(uuid.uuid4()),
        "X-Gitlab-Token": os.environ["LODESTAR_GITLAB_TOKEN"],
    }
    return "/webhooks/gitlab", headers, body


def csrf_pair(connection):
    """GET /survey as a browser does: the CSRF token from the form and the cookie that matches it."""
    connection.request("GET", "/survey")
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        raise RuntimeError("GET /survey answered %d" % response.status)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    cookie = next(value.split(";", 1)[0] for name, value in response.getheaders()
                  if name.lower() == "set-cookie" and value.startswith("lodestar_csrf="))
    return token, cookie


def build_request(kind, csrf=None):
    """(marker, path, headers, body) of one write of `kind`."""
    if kind in ("form", "api"):
        text = "durability %s" % uuid.uuid4()
        marker = "response:" + text
        if kind == "api":
            return marker, "/api/v1/responses", {"Content-Type": "application/json"}, api_body(text).encode()
        token, cookie = csrf
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        return marker, "/survey", headers, form_body(token, text).encode()
    number = new_deployment_id()
    path, headers, body = (github_request if kind == "github" else gitlab_request)(number)
    return "deployment:%s-deployment-%d" % (kind, number), path, headers, body


def error_name(error):
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "closed before an answer"
    if isinstance(error, socket.timeout):
        return "timeout"
    return type(error).__name__


class Tally:
    """What the workers sent and what was answered, shared between threads."""

    def __init__(self, phase):
        self.phase = phase
        self.lock = threading.Lock()
        self.sent, self.acked = [], []
        self.statuses = collections.Counter()
        self.errors = collections.Counter()
        self.by_kind = collections.Counter()

    def record(self, kind, marker, status=None, error=None):
        with self.lock:
            if status is not None:
                self.statuses[str(status)] += 1
                if 200 <= status < 300:
                    self.acked.append(marker)
                    self.by_kind[kind] += 1
            if error is not None:
                self.errors[error_name(error)] += 1

    def note_sent(self, marker):
        with self.lock:
            self.sent.append(marker)

    def write(self, folder, extra=None):
        with open(os.path.join(folder, self.phase + ".sent"), "w") as out:
            out.writelines(marker + "\n" for marker in self.sent)
        with open(os.path.join(folder, self.phase + ".acked"), "w") as out:
            out.writelines(marker + "\n" for marker in self.acked)
        summary = {"phase": self.phase, "sent": len(self.sent), "acked": len(self.acked), "ackedByKind": dict(self.by_kind),
                   "statuses": dict(self.statuses), "errors": dict(self.errors)}
        summary.update(extra or {})
        with open(os.path.join(folder, self.phase + ".json"), "w") as out:
            json.dump(summary, out)
        return summary


def drive(arguments):
    tally = Tally(arguments.phase)
    deadline = time.monotonic() + arguments.seconds

    def worker(seed):
        rng = random.Random(seed)
        connection = None
        while time.monotonic() < deadline:
            kind = rng.choice(KINDS)
            marker, csrf = None, None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", arguments.port, timeout=10)
                if kind == "form":
                    csrf = csrf_pair(connection)
                marker, path, headers, body = build_request(kind, csrf)
                if arguments.fresh_connections:
                    headers["Connection"] = "close"
                tally.note_sent(marker)
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                tally.record(kind, marker, status=response.status)
                if arguments.fresh_connections or response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException, RuntimeError, AttributeError, StopIteration) as error:
                tally.record(kind, marker, error=error)
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.02)  # the server is down or stopping: do not spin

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(arguments.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(tally.write(arguments.out)))


def slow(arguments):
    """Requests that are in the middle of their body when SIGTERM arrives; each must still be answered 2xx."""
    tally = Tally(arguments.phase)
    setup = http.client.HTTPConnection("127.0.0.1", arguments.port, timeout=10)
    csrf = csrf_pair(setup)
    setup.close()
    half_sent = threading.Barrier(arguments.count + 1)

    def one(n):
        kind = KINDS[n % len(KINDS)]
        marker, path, headers, body = build_request(kind, csrf)
        head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nConnection: close\r\n" % (path, len(body))
        head += "".join("%s: %s\r\n" % item for item in headers.items()) + "\r\n"
        tally.note_sent(marker)
        connection = None
        try:
            connection = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
            connection.sendall(head.encode() + body[: len(body) // 2])
            half_sent.wait()
            time.sleep(arguments.hold)
            connection.sendall(body[len(body) // 2:])
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None
            if status is None:
                tally.record(kind, marker, error=ConnectionResetError("no answer"))
            else:
                tally.record(kind, marker, status=status)
        except (OSError, threading.BrokenBarrierError) as error:
            half_sent.abort()
            tally.record(kind, marker, error=error)
        finally:
            if connection is not None:
                connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(arguments.count)]
    for thread in threads:
        thread.start()
    try:
        half_sent.wait()
    except threading.BrokenBarrierError:
        pass  # a request failed before its first half went out: it is counted, and the check fails on it
    open(os.path.join(arguments.out, arguments.phase + ".ready"), "w").close()
    for thread in threads:
        thread.join()
    print(json.dumps(tally.write(arguments.out, {"expectAll": True})))


def read_markers(path):
    with open(path) as lines:
        return [line.rstrip("\n") for line in lines if line.strip()]


def verify(arguments):
    database = sqlite3.connect("file:%s?mode=ro" % arguments.db, uri=True)
    stored = collections.Counter()
    for (text,) in database.execute("SELECT text FROM answer WHERE questionId = 'best' AND text LIKE 'durability %'"):
        stored["response:" + text] += 1
    for (identifier,) in database.execute("SELECT id FROM deployment WHERE id LIKE 'git%-deployment-%'"):
        stored["deployment:" + identifier] += 1
    integrity = [row[0] for row in database.execute("PRAGMA integrity_check")]
    foreign_keys = database.execute("PRAGMA foreign_key_check").fetchall()
    # A response is written with its answers in one savepoint: one without them would be half a write.
    partial = database.execute("SELECT count(*) FROM response WHERE id NOT IN (SELECT responseId FROM answer)").fetchone()[0]
    database.close()

    failures = []
    acked_all, sent_all, server_errors = collections.Counter(), set(), 0
    print("%-10s %6s %6s %17s  %s" % ("phase", "tried", "2xx", "stored unanswered", "answers; errors"))
    for phase in arguments.interrupted + arguments.graceful:
        summary = json.load(open(os.path.join(arguments.out, phase + ".json")))
        acked = read_markers(os.path.join(arguments.out, phase + ".acked"))
        sent = set(read_markers(os.path.join(arguments.out, phase + ".sent")))
        acked_all.update(acked)
        sent_all |= sent
        server_errors += sum(count for status, count in summary["statuses"].items() if status.startswith("5"))
        # Sent, not answered 2xx, yet stored: fine when SIGKILL cut the answer off, a failure after SIGTERM.
        unacked_stored = sorted(marker for marker in sent - set(acked) if stored[marker])
        print("%-10s %6d %6d %17d  %s; %s" % (phase, len(sent), len(acked), len(unacked_stored), summary["statuses"], summary["errors"]))
        if phase in arguments.graceful and unacked_stored:
            failures.append("%s: %d stored but not answered 2xx after SIGTERM, e.g. %s" % (phase, len(unacked_stored), unacked_stored[0]))
        if summary.get("expectAll") and len(acked) != len(sent):
            failures.append("%s: %d of %d in-flight requests answered 2xx" % (phase, len(acked), len(sent)))
        non_2xx = {status: count for status, count in summary["statuses"].items() if count and not status.startswith("2")}
        if non_2xx:
            failures.append("%s: answers other than 2xx: %s" % (phase, non_2xx))

    lost = [marker for marker in acked_all if stored[marker] == 0]
    duplicated = [marker for marker, count in stored.items() if count > 1] + [m for m, count in acked_all.items() if count > 1]
    phantom = [marker for marker in stored if marker not in sent_all]
    print("acknowledged %d, stored %d, lost %d, duplicated %d, never sent %d, 5xx %d, partial responses %d, integrity %s"
          % (len(acked_all), sum(stored.values()), len(lost), len(duplicated), len(phantom), server_errors, partial, "; ".join(integrity)))
    if lost:
        failures.append("%d acknowledged writes lost, e.g. %s" % (len(lost), lost[0]))
    if duplicated:
        failures.append("%d writes stored twice, e.g. %s" % (len(duplicated), duplicated[0]))
    if phantom:
        failures.append("%d stored writes were never sent, e.g. %s" % (len(phantom), phantom[0]))
    if server_errors:
        failures.append("%d answers 5xx" % server_errors)
    if partial:
        failures.append("%d responses stored without their answers" % partial)
    if integrity != ["ok"]:
        failures.append("integrity_check: %s" % "; ".join(integrity))
    if foreign_keys:
        failures.append("foreign_key_check: %s" % foreign_keys[:3])
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("drive", "slow"):
        command = commands.add_parser(name)
        command.add_argument("--port", type=int, required=True)
        command.add_argument("--phase", required=True)
        command.add_argument("--out", required=True)
    commands.choices["drive"].add_argument("--seconds", type=float, default=5)
    commands.choices["drive"].add_argument("--workers", type=int, default=16)
    commands.choices["drive"].add_argument("--fresh-connections", action="store_true", help="a new connection for every request")
    commands.choices["slow"].add_argument("--count", type=int, default=8)
    commands.choices["slow"].add_argument("--hold", type=float, default=1.0, help="seconds between the two halves of a body")
    check = commands.add_parser("verify")
    check.add_argument("--db", required=True)
    check.add_argument("--out", required=True)
    check.add_argument("--interrupted", nargs="*", default=[], help="phases cut off by SIGKILL or the client's deadline: a write may be stored unanswered")
    check.add_argument("--graceful", nargs="*", default=[], help="phases whose server stopped on SIGTERM")
    arguments = parser.parse_args()
    if arguments.command == "verify":
        sys.exit(verify(arguments))
    (drive if arguments.command == "drive" else slow)(arguments)


if __name__ == "__main__":
    main()
