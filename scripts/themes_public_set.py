"""Writes a public labelled short-text set, taken from an installed pip package, as TSV (label<TAB>text).

Usage: python3 scripts/themes_public_set.py OUT_TSV

Source: the pip package chatterbot-corpus (https://github.com/gunthercox/chatterbot-corpus, BSD licence, by Gunther
Cox), `pip install --no-deps chatterbot-corpus`. It ships YAML files under chatterbot_corpus/data/english/, one a
category ("ai", "coding", "emotion", "trivia", ...), each a list of conversations. Nothing is downloaded here.

What is kept: the opening line of every English conversation (a user's question or remark), labelled by its file's
category; a text that occurs more than once in a category is kept once, a text found in two categories is dropped
(it has no single label), and categories with fewer than 5 distinct texts are dropped. Sorted by category, then text,
so the file is the same on every machine. 743 texts in 19 categories (chatterbot-corpus 1.3.3), very uneven: trivia 261, coding 96, gossip 6.

Why this set: no pip or Debian package found on 2 December 2026 ships a larger labelled short-text clustering set
(StackOverflow titles, Banking77, CLINC, AG News, 20 Newsgroups and TREC are all fetched at run time by the packages
that load them, e.g. scikit-learn's fetch_20newsgroups). It is small and its categories overlap (trivia spans
history and science), so read its figures as a rough check beside the survey sets.
"""
import glob
import os
import sys
from collections import defaultdict

import yaml

MIN_TEXTS = 5


def corpus_dir():
    try:
        import chatterbot_corpus
    except ImportError:
        sys.exit("themes_public_set: the pip package chatterbot-corpus is not installed (pip install --no-deps chatterbot-corpus)")
    return os.path.join(os.path.dirname(chatterbot_corpus.__file__), "data", "english")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 scripts/themes_public_set.py OUT_TSV")
    by_text = defaultdict(set)
    for path in sorted(glob.glob(os.path.join(corpus_dir(), "*.yml"))):
        label = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle) or {}
        for conversation in document.get("conversations") or []:
            if conversation and isinstance(conversation[0], str):
                text = " ".join(conversation[0].split())
                if text:
                    by_text[text].add(label)
    by_label = defaultdict(list)
    for text, labels in by_text.items():
        if len(labels) == 1:
            by_label[labels.pop()].append(text)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for label in sorted(by_label):
            if len(by_label[label]) >= MIN_TEXTS:
                for text in sorted(by_label[label]):
                    out.write("%s\t%s\n" % (label, text))


if __name__ == "__main__":
    main()
