"""Runs `lodestar themes` binaries over several orders of a labelled set's lines and prints NMI (count given) for
each: the order moves k-means' seeding, so the mean over orders says more about a change than one run does. For
comparing two builds on the DEVELOPMENT sets only; never on the held-out sets.

Usage: python3 scripts/themes_orders.py BINARY[,BINARY...] on|off LABELLED_TSV... [--orders N]   (default 5)
"""
import json
import random
import statistics
import subprocess
import sys
import tempfile

from sklearn.metrics import normalized_mutual_info_score as nmi


def main():
    args = sys.argv[1:]
    orders = 5
    if "--orders" in args:
        at = args.index("--orders")
        orders = int(args[at + 1])
        del args[at:at + 2]
    if len(args) < 3:
        sys.exit(__doc__.split("\n\n")[1])
    binaries, semantic, paths = args[0].split(","), args[1], args[2:]
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            pairs = [line.rstrip("\n").split("\t", 1) for line in handle]
        k = len({label for label, _ in pairs})
        scores = {binary: [] for binary in binaries}
        with tempfile.TemporaryDirectory() as work:
            for order in range(orders):
                shuffled = pairs[:]
                random.Random(order).shuffle(shuffled)
                lines = work + "/lines.txt"
                with open(lines, "w", encoding="utf-8") as out:
                    out.write("\n".join(text for _, text in shuffled) + "\n")
                for binary in binaries:
                    command = [binary, "themes", lines, "--format", "json", "--semantic", semantic, "--clusters", str(k)]
                    printed = subprocess.run(command, capture_output=True, check=True).stdout
                    clusters = [json.loads(line)["cluster"] for line in printed.splitlines()]
                    scores[binary].append(nmi([label for label, _ in shuffled], clusters))
        for binary, values in scores.items():
            print("%s  %s  mean %.3f  (%s)" % (path, binary, statistics.mean(values), " ".join("%.3f" % v for v in values)))


if __name__ == "__main__":
    main()
