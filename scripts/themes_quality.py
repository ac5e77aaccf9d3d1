"""Scores `lodestar themes --semantic off` (by words) against the labelled demo answers, next to scikit-learn's
TF-IDF + k-means (scripts/semantic_quality.py scores the sentence model).

Usage: python3 scripts/themes_quality.py LODESTAR_BINARY LABELLED_TSV
Prints NMI and ARI (against the theme labels) for lodestar with the true number of clusters and without it, and
for the reference; checks that two runs of lodestar print the same bytes.
"""
import json
import subprocess
import sys
import tempfile

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def lodestar(binary, path, clusters=None):
    command = [binary, "themes", path, "--format", "json", "--semantic", "off"] + (["--clusters", str(clusters)] if clusters else [])
    output = subprocess.run(command, check=True, capture_output=True).stdout
    return output, [json.loads(line)["cluster"] for line in output.splitlines()]


def main():
    binary, labelled = sys.argv[1], sys.argv[2]
    labels, texts = [], []
    for line in open(labelled, encoding="utf-8"):
        label, text = line.rstrip("\n").split("\t", 1)
        labels.append(label)
        texts.append(text)
    k = len(set(labels))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(texts) + "\n")
        path = handle.name

    rows = []
    for name, clusters in (("lodestar themes --clusters %d" % k, k), ("lodestar themes (count chosen)", None)):
        first, assigned = lodestar(binary, path, clusters)
        second, _ = lodestar(binary, path, clusters)
        rows.append((name, assigned, first == second))
    reference = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(TfidfVectorizer().fit_transform(texts))
    rows.append(("scikit-learn TF-IDF + k-means, k=%d" % k, list(reference), True))

    print("%d answers, %d themes" % (len(texts), k))
    print("%-40s %6s %6s %10s" % ("", "NMI", "ARI", "repeatable"))
    scores = {}
    for name, assigned, same in rows:
        nmi = normalized_mutual_info_score(labels, assigned)
        ari = adjusted_rand_score(labels, assigned)
        scores[name] = nmi
        print("%-40s %6.3f %6.3f %10s" % (name, nmi, ari, "yes" if same else "NO"))
    margin = scores["lodestar themes --clusters %d" % k] - scores["scikit-learn TF-IDF + k-means, k=%d" % k]
    print("NMI margin over the reference with the true count: %+.3f (target >= +0.05)" % margin)


if __name__ == "__main__":
    main()
