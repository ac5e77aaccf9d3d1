"""Scores `lodestar themes --semantic on` against the labelled demo answers, next to two references: scikit-learn's
TF-IDF + k-means, and all-MiniLM-L6-v2 sentence vectors (scripts/minilm_reference.py, numpy) + k-means.

Usage: python3 scripts/semantic_quality.py LODESTAR_BINARY LABELLED_TSV
       python3 scripts/semantic_quality.py --references-only LABELLED_TSV
       python3 scripts/semantic_quality.py --time-reference TEXTS_FILE [--dtype float64|float32]
The first prints NMI and ARI (against the theme labels) for lodestar --semantic on and --semantic off, each with
the true number of clusters and without it, checking that two runs print the same bytes; then the references'
rows and the margin of each lodestar row over the better reference. The second prints the references alone.
The third times the numpy reference's forward pass over a file of texts (one a line; loading and tokenizing are
not timed) and prints one line "SECONDS TOKENS", for scripts/bench-semantic.sh; in float64 (the reference) or,
to compare like for like with a float32 encoder, float32.
LODESTAR_MODEL_DIR, when set, is the model folder: passed to lodestar as --model and used by the reference.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minilm_reference  # noqa: E402  (beside this script)


def model_dir():
    return os.environ.get("LODESTAR_MODEL_DIR") or None


def lodestar(binary, path, semantic, clusters=None):
    command = [binary, "themes", path, "--format", "json", "--semantic", semantic]
    command += ["--clusters", str(clusters)] if clusters else []
    command += ["--model", model_dir()] if model_dir() and semantic != "off" else []
    run = subprocess.run(command, capture_output=True)
    if run.returncode != 0:
        sys.exit("semantic-quality: %s exited %d: %s" % (" ".join(command), run.returncode, run.stderr.decode(errors="replace").strip()))
    return run.stdout, [str(json.loads(line)["cluster"]) for line in run.stdout.splitlines()]


def read_labelled(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            label, text = line.rstrip("\n").split("\t", 1)
            labels.append(label)
            texts.append(text)
    return labels, texts


def references(texts, k):
    """The reference rows: (name, assigned clusters, repeatable, note)."""
    tfidf = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(TfidfVectorizer().fit_transform(texts))
    started = time.perf_counter()
    vectors = minilm_reference.embed(texts, model_dir())
    seconds = time.perf_counter() - started
    minilm = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(vectors)
    return [
        ("scikit-learn TF-IDF + k-means, k=%d" % k, list(tfidf), True, ""),
        ("MiniLM (numpy) + k-means, k=%d" % k, list(minilm), True, "embedding %.1f s incl. loading" % seconds),
    ]


def score(labels, rows):
    print("%-46s %6s %6s %10s" % ("", "NMI", "ARI", "repeatable"))
    scores = {}
    for name, assigned, same, note in rows:
        nmi = normalized_mutual_info_score(labels, assigned)
        ari = adjusted_rand_score(labels, assigned)
        scores[name] = (nmi, ari)
        extra = "  %d clusters" % len(set(assigned)) + ("; " + note if note else "")
        print("%-46s %6.3f %6.3f %10s%s" % (name, nmi, ari, "yes" if same else "NO", extra))
    return scores


def time_reference(path, dtype):
    model = minilm_reference.load(model_dir(), dtype)
    texts = minilm_reference.read_sentences(path)
    ids = model.ids(texts)
    started = time.perf_counter()
    model.embed(texts, ids)
    print("%.3f %d" % (time.perf_counter() - started, sum(map(len, ids))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--references-only", action="store_true", help="score the two references alone")
    parser.add_argument("--time-reference", metavar="TEXTS_FILE", help="time the numpy forward pass over a file of texts")
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64", help="with --time-reference")
    parser.add_argument("files", nargs="*", metavar="LODESTAR_BINARY LABELLED_TSV")
    arguments = parser.parse_args()
    if arguments.time_reference:
        return time_reference(arguments.time_reference, arguments.dtype)
    wanted = 1 if arguments.references_only else 2
    if len(arguments.files) != wanted:
        parser.error("expected %s" % ("LABELLED_TSV" if arguments.references_only else "LODESTAR_BINARY LABELLED_TSV"))
    labels, texts = read_labelled(arguments.files[-1])
    k = len(set(labels))

    rows = []
    if not arguments.references_only:
        binary = arguments.files[0]
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "answers.txt")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(texts) + "\n")
            for semantic in ("on", "off"):
                for clusters in (k, None):
                    name = "lodestar --semantic %s %s" % (semantic, "--clusters %d" % k if clusters else "(count chosen)")
                    first, assigned = lodestar(binary, path, semantic, clusters)
                    second, _ = lodestar(binary, path, semantic, clusters)
                    if len(assigned) != len(texts):
                        sys.exit("semantic-quality: %s printed %d lines for %d answers" % (name, len(assigned), len(texts)))
                    rows.append((name, assigned, first == second, ""))
    reference_rows = references(texts, k)

    print("%d answers, %d themes" % (len(texts), k))
    scores = score(labels, rows + reference_rows)
    best_nmi = max(scores[name][0] for name, _, _, _ in reference_rows)
    best_ari = max(scores[name][1] for name, _, _, _ in reference_rows)
    print("best reference: NMI %.3f, ARI %.3f" % (best_nmi, best_ari))
    for name, _, same, _ in rows:
        nmi, ari = scores[name]
        verdict = "above both references" if nmi > best_nmi and ari > best_ari else "NOT above both references"
        target = " (target: above both, repeatable)" if "--semantic on" in name else ""
        print("%s: NMI %+.3f, ARI %+.3f over the best reference, %s%s%s"
              % (name, nmi - best_nmi, ari - best_ari, verdict, "" if same else ", NOT repeatable", target))


if __name__ == "__main__":
    main()
