"""Drives and checks scripts/multinode.sh: two `lodestar serve` nodes on one PostgreSQL. Standard library only.

Every check reads PostgreSQL afterwards with psql (`--psql`, `--db URL`) and prints one line; the exit status is 1
when the check fails.

  multinode.py load       --nodes A,B --db URL --psql PSQL --month M --seconds S --workers N --kill-pid PID --kill-after S
      N threads per node post answers to POST /api/v1/responses, each with a marker of its own (`best` is
      `multinode <uuid>`), and record every id answered 201. After --kill-after seconds the script sends SIGKILL to
      node A (PID) itself, so "after the kill" is exact. Then: every acknowledged id is stored once, under its own
      marker; nothing stored twice; nothing stored that was not sent; what is stored beyond the acknowledged was sent
      to A and cut off by the kill (at most one request per A thread); node B answered every request 201, before
      and after the kill; `lodestar survey results` (--lodestar) counts the same rows.
  multinode.py invites    --nodes A,B --db URL --psql PSQL --tokens FILE
      for each token of FILE (`lodestar survey invite --format json`), the same answer is sent to A and B at the
      same moment (both requests held one byte short, then finished together): exactly one 201, the other 4xx.
  multinode.py webhooks   --nodes A,B --db URL --psql PSQL --count N
      N signed GitHub `deployment_status` deliveries, each sent to A and then, unchanged, to B; and N more sent to
      both at the same moment. The second copy stores nothing (answer `duplicate`) and the database holds one
      deployment and one delivery id each. Needs LODESTAR_GITHUB_SECRET, the same as the servers'.
  multinode.py anonymity  --nodes A,B --month M --expect withheld|quoted [--markers TEXT…]
      GET /api/v1/epics?month=M on both nodes: with `withheld`, no quote and none of the answers' texts (--markers)
      on either; with `quoted` (the control, once the month has k answers), quotes on both. Both nodes must agree.
"""
import argparse
import collections
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import durability  # the signed GitHub delivery, shared with the durability check


def nodes(text):
    """`18081,18082` → [("A", 18081), ("B", 18082)]."""
    return [(chr(ord("A") + n), int(port)) for n, port in enumerate(text.split(","))]


def query(arguments, sql):
    """Rows of one SQL query through psql, as lists of strings."""
    output = subprocess.run([arguments.psql, arguments.db, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def error_name(error):
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "closed before an answer"
    if isinstance(error, socket.timeout):
        return "timeout"
    return type(error).__name__


def answer_body(month, marker):
    return json.dumps({"month": month, "team": "payments",
                       "answers": {"best": marker, "worst": "Waiting for review", "change": "Faster runners"}}).encode()


def verdict(name, failures, line):
    """Prints the check's line and its failures; returns the exit status."""
    print("%s: %s — %s" % (name, "FAIL" if failures else "ok", line))
    for failure in failures:
        print("FAIL: %s: %s" % (name, failure), file=sys.stderr)
    return 1 if failures else 0


# MARK: - 1. Load across both nodes, node A killed midway


class Tally:
    """What one node's threads sent and what came back, shared between them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}  # marker → id answered 201
        self.unanswered = set()  # sent (the connection was up), no answer
        self.statuses = collections.Counter()
        self.errors = collections.Counter()
        self.after_kill = collections.Counter()  # "201", "other" or an error name, for requests begun after the kill


def load(arguments):
    (_, port_a), (_, port_b) = nodes(arguments.nodes)
    tallies = {"A": Tally(), "B": Tally()}
    killed_at = [None]
    deadline = time.monotonic() + arguments.seconds

    def worker(name, port):
        tally = tallies[name]
        connection = None
        while time.monotonic() < deadline:
            began_after_kill = killed_at[0] is not None
            marker = "multinode %s" % uuid.uuid4()
            sent = False
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.connect()
                sent = True
                connection.request("POST", "/api/v1/responses", body=answer_body(arguments.month, marker),
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                body = response.read()
                with tally.lock:
                    tally.statuses[str(response.status)] += 1
                    if response.status == 201:
                        tally.acked[marker] = json.loads(body)["id"]
                    if began_after_kill:
                        tally.after_kill["201" if response.status == 201 else str(response.status)] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
                with tally.lock:
                    tally.errors[error_name(error)] += 1
                    if sent:
                        tally.unanswered.add(marker)
                    if began_after_kill:
                        tally.after_kill[error_name(error)] += 1
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)  # node A is gone: do not spin

    threads = [threading.Thread(target=worker, args=(name, port)) for name, port in (("A", port_a), ("B", port_b))
               for _ in range(arguments.workers)]
    for thread in threads:
        thread.start()
    time.sleep(arguments.kill_after)
    os.kill(arguments.kill_pid, signal.SIGKILL)
    killed_at[0] = time.monotonic()
    for thread in threads:
        thread.join()

    stored = collections.defaultdict(list)  # marker → ids
    for identifier, text in query(arguments, "SELECT r.id, a.text FROM response r JOIN surveyround s ON s.id = r.roundid "
                                  "JOIN answer a ON a.responseid = r.id AND a.questionid = 'best' WHERE s.month = '%s'" % arguments.month):
        stored[text].append(int(identifier))
    rows = int(query(arguments, "SELECT count(*) FROM response r JOIN surveyround s ON s.id = r.roundid WHERE s.month = '%s'"
                     % arguments.month)[0][0])
    results = json.loads(subprocess.run([arguments.lodestar, "survey", "results", "--db", arguments.db, "--month", arguments.month,
                                         "--format", "json"], check=True, capture_output=True, text=True).stdout)

    a, b = tallies["A"], tallies["B"]
    acked = {**a.acked, **b.acked}
    lost = [marker for marker in acked if marker not in stored]
    wrong_id = [marker for marker, identifier in acked.items() if marker in stored and stored[marker] != [identifier]]
    twice = [marker for marker, ids in stored.items() if len(ids) > 1]
    extra = [marker for marker in stored if marker not in acked]
    never_sent = [marker for marker in extra if marker not in a.unanswered]
    failures = []
    if lost:
        failures.append("%d acknowledged answers lost, e.g. %s" % (len(lost), lost[0]))
    if wrong_id:
        failures.append("%d acknowledged answers stored under another id, e.g. %s" % (len(wrong_id), wrong_id[0]))
    if twice:
        failures.append("%d answers stored twice, e.g. %s %s" % (len(twice), twice[0], stored[twice[0]]))
    if never_sent:
        failures.append("%d stored answers were never sent to node A unanswered, e.g. %s" % (len(never_sent), never_sent[0]))
    if len(extra) > arguments.workers:
        failures.append("%d stored without an answer, more than the %d requests node A can have had in flight" % (len(extra), arguments.workers))
    if rows != sum(len(ids) for ids in stored.values()):
        failures.append("%d responses in the round, %d with a marker: some are half written" % (rows, sum(map(len, stored.values()))))
    if results.get("responses") != rows:
        failures.append("`lodestar survey results` counts %s responses, PostgreSQL %d" % (results.get("responses"), rows))
    if b.errors or set(b.statuses) - {"201"}:
        failures.append("node B: answers %s, errors %s" % (dict(b.statuses), dict(b.errors)))
    if not b.after_kill.get("201"):
        failures.append("node B answered nothing after node A was killed")
    if not a.acked:
        failures.append("node A answered nothing before it was killed")
    if a.after_kill.get("201"):
        failures.append("node A answered %d requests after SIGKILL: the kill did not take" % a.after_kill["201"])
    line = ("acknowledged %d (A %d, B %d), stored %d, lost %d, stored twice %d, stored unanswered %d (A had %d cut off); "
            "B after the kill: %s; A errors %s; survey results %s") % (
        len(acked), len(a.acked), len(b.acked), rows, len(lost), len(twice), len(extra), len(a.unanswered),
        dict(b.after_kill), dict(a.errors), results.get("responses"))
    return verdict("1 load, node A killed", failures, line)


# MARK: - Requests sent to both nodes at the same moment


def raw_request(path, headers, body):
    head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nConnection: close\r\n" % (path, len(body))
    return (head + "".join("%s: %s\r\n" % item for item in headers.items()) + "\r\n").encode() + body


def at_once(ports, payload):
    """Sends `payload` to every port, each held one byte short until all are connected and written, then finished
    together. Returns [(status, body)] in the order of `ports`; status None when no answer came."""
    barrier = threading.Barrier(len(ports))
    answers = [(None, b"")] * len(ports)

    def one(index, port):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(payload[:-1])
            barrier.wait()
            connection.sendall(payload[-1:])
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        head, _, body = reply.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else None
        answers[index] = (status, body)

    threads = [threading.Thread(target=one, args=pair) for pair in enumerate(ports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def post(port, path, headers, body):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# MARK: - 2. One invitation token at both nodes


def invites(arguments):
    ports = [port for _, port in nodes(arguments.nodes)]
    tokens = [item["token"] for item in json.load(open(arguments.tokens))]
    outcomes = collections.Counter()
    failures = []
    for token in tokens:
        marker = "multinode invite %s" % uuid.uuid4()
        body = json.dumps({"token": token, "answers": {"best": marker, "worst": "Slow builds", "change": "Faster builds"}}).encode()
        answers = at_once(ports, raw_request("/api/v1/responses", {"Content-Type": "application/json"}, body))
        statuses = sorted(status or 0 for status, _ in answers)
        outcomes[" + ".join(map(str, statuses))] += 1
        created = [status for status in statuses if status == 201]
        refused = [status for status in statuses if 400 <= status < 500]
        if len(created) != 1 or len(refused) != len(ports) - 1:
            failures.append("token %s…: answers %s, expected one 201 and %d 4xx" % (token[:6], statuses, len(ports) - 1))
        stored = int(query(arguments, "SELECT count(*) FROM answer WHERE questionid = 'best' AND text = '%s'" % marker)[0][0])
        if stored != 1:
            failures.append("token %s…: its answer is stored %d times" % (token[:6], stored))
    hashes = ",".join("'%s'" % hashlib.sha256(token.encode()).hexdigest() for token in tokens)
    used = int(query(arguments, "SELECT count(*) FROM invite WHERE used AND tokenhash IN (%s)" % hashes)[0][0])
    if used != len(tokens):
        failures.append("%d of %d tokens marked used" % (used, len(tokens)))
    line = "%d tokens, each sent to both nodes at once: answers %s; tokens used %d" % (len(tokens), dict(outcomes), used)
    return verdict("2 invite token at both nodes", failures, line)


# MARK: - 3. A redelivered webhook at the other node


def github_delivery(number):
    """A signed `deployment_status` delivery that stores deployment `github-deployment-<number>` (durability.py's)."""
    _, headers, body = durability.github_request(number, repository="multinode")
    return headers, body


def stored_count(status, body):
    """How many events an answer says it stored; None unless it is a 2xx with JSON."""
    try:
        return json.loads(body)["stored"] if status is not None and 200 <= status < 300 else None
    except (ValueError, KeyError):
        return None


def webhooks(arguments):
    (_, port_a), (_, port_b) = nodes(arguments.nodes)
    failures = []
    deliveries = []
    outcomes = collections.Counter()
    before = int(query(arguments, "SELECT count(*) FROM deployment")[0][0])
    for n in range(2 * arguments.count):
        number = uuid.uuid4().int >> 66
        headers, body = github_delivery(number)
        deliveries.append((number, headers["X-GitHub-Delivery"]))
        if n < arguments.count:
            kind = "A then B"
            answers = [post(port_a, "/webhooks/github", headers, body), post(port_b, "/webhooks/github", headers, body)]
        else:
            kind = "both at once"
            answers = at_once([port_a, port_b], raw_request("/webhooks/github", headers, body))
        counts = [stored_count(*answer) for answer in answers]
        outcomes["%s: stored %s" % (kind, "+".join(map(str, counts)))] += 1
        if None in counts or sorted(counts) != [0, 1]:
            failures.append("%s, delivery %s: answers %s, expected one storing 1 and the other 0 (duplicate)"
                            % (kind, headers["X-GitHub-Delivery"], [(status, body[:120]) for status, body in answers]))
        elif kind == "A then B" and counts != [1, 0]:
            failures.append("delivery %s: node B stored the redelivery, node A did not store the first" % headers["X-GitHub-Delivery"])
    ids = ",".join("'github-deployment-%d'" % number for number, _ in deliveries)
    stored = dict(query(arguments, "SELECT id, count(*) FROM deployment WHERE id IN (%s) GROUP BY id" % ids))
    seen = dict(query(arguments, "SELECT id, count(*) FROM webhookdelivery WHERE id IN (%s) GROUP BY id"
                      % ",".join("'github:%s'" % delivery for _, delivery in deliveries)))
    after = int(query(arguments, "SELECT count(*) FROM deployment")[0][0])
    if len(stored) != len(deliveries) or any(count != "1" for count in stored.values()):
        failures.append("%d of %d deployments stored" % (len(stored), len(deliveries)))
    if len(seen) != len(deliveries) or any(count != "1" for count in seen.values()):
        failures.append("%d of %d delivery ids recorded once" % (len(seen), len(deliveries)))
    if after - before != len(deliveries):
        failures.append("%d deployments added for %d distinct deliveries" % (after - before, len(deliveries)))
    line = "%d deliveries each sent twice: %s; deployments added %d, delivery ids recorded %d" % (
        len(deliveries), dict(outcomes), after - before, len(seen))
    return verdict("3 webhook redelivered to the other node", failures, line)


# MARK: - 4. The anonymity rule on both nodes


def anonymity(arguments):
    failures = []
    seen = {}
    for name, port in nodes(arguments.nodes):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/v1/epics?month=" + arguments.month)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        if response.status != 200:
            failures.append("node %s: GET /api/v1/epics answered %d: %s" % (name, response.status, text[:200]))
            continue
        listing = json.loads(text)
        quotes = sorted(quote for group in ("epics", "strengths") for item in listing[group] for quote in item["quotes"])
        seen[name] = (listing["responses"], len(listing["epics"]), quotes)
        if arguments.expect == "withheld":
            if quotes:
                failures.append("node %s quotes %d answers of a month with %d responses (k = %d)"
                                % (name, len(quotes), listing["responses"], listing["anonymityK"]))
            leaked = [marker for marker in arguments.markers if marker in text]
            if leaked:
                failures.append("node %s shows the text of an answer: %s" % (name, leaked[0]))
        elif not quotes:
            failures.append("node %s quotes nothing of a month with %d responses (k = %d)" % (name, listing["responses"], listing["anonymityK"]))
    if len(set(map(repr, seen.values()))) > 1:
        failures.append("the nodes disagree: %s" % seen)
    line = "; ".join("node %s: %d responses, %d epics, %d quotes" % (name, responses, epics, len(quotes))
                     for name, (responses, epics, quotes) in seen.items())
    return verdict("4 anonymity rule on both nodes (%s)" % arguments.expect, failures, line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("load", "invites", "webhooks", "anonymity"):
        command = commands.add_parser(name)
        command.add_argument("--nodes", required=True, help="the nodes' ports, A first: 18081,18082")
        if name != "anonymity":
            command.add_argument("--db", required=True, help="the PostgreSQL URL")
            command.add_argument("--psql", required=True)
    load_command = commands.choices["load"]
    load_command.add_argument("--month", required=True)
    load_command.add_argument("--seconds", type=float, default=8)
    load_command.add_argument("--workers", type=int, default=8, help="threads per node")
    load_command.add_argument("--kill-pid", type=int, required=True, help="node A's process id")
    load_command.add_argument("--kill-after", type=float, default=4)
    load_command.add_argument("--lodestar", required=True, help="the lodestar binary, for `survey results`")
    commands.choices["invites"].add_argument("--tokens", required=True)
    commands.choices["webhooks"].add_argument("--count", type=int, default=5)
    commands.choices["anonymity"].add_argument("--month", required=True)
    commands.choices["anonymity"].add_argument("--expect", choices=("withheld", "quoted"), required=True)
    commands.choices["anonymity"].add_argument("--markers", nargs="*", default=[])
    arguments = parser.parse_args()
    sys.exit({"load": load, "invites": invites, "webhooks": webhooks, "anonymity": anonymity}[arguments.command](arguments))


if __name__ == "__main__":
    main()
