"""Writes a public *development* set of short technical texts, built from docstrings that pip packages ship, as TSV
(label<TAB>text).

Usage: python3 scripts/themes_docstring_set.py OUT_TSV [MAX_PER_LABEL]

Why: the themes method is also judged on short technical titles in many topics, clustered without the model, and no
pip package ships such a labelled set (see scripts/themes_public_set.py). This one may be tuned on; it is labelled
independently of Lodestar: a text is the first sentence of the docstring of a public function, class or method, and
its label is the library area it is documented in (a fixed list below, chosen before any tuning: scipy.stats,
numpy.linalg, sklearn.metrics, email, asyncio, ...). A text found in two areas, shorter than three words, or
repeated within an area is kept once or dropped; at most MAX_PER_LABEL (default 400) per area, the first in sorted
order of a hash of the text, so the file is the same on every machine with the same package versions.

Needs numpy, scipy and scikit-learn (pip install scikit-learn pulls both).
"""
import hashlib
import importlib
import inspect
import pkgutil
import re
import sys
from collections import defaultdict

# label: the modules (and their submodules) whose public docstrings it takes.
AREAS = {
    "stats": ["scipy.stats"],
    "signal": ["scipy.signal"],
    "sparse": ["scipy.sparse"],
    "optimize": ["scipy.optimize"],
    "special-functions": ["scipy.special"],
    "spatial": ["scipy.spatial"],
    "interpolate": ["scipy.interpolate"],
    "integrate": ["scipy.integrate"],
    "images": ["scipy.ndimage"],
    "linear-algebra": ["numpy.linalg", "scipy.linalg"],
    "random": ["numpy.random"],
    "masked-arrays": ["numpy.ma"],
    "polynomials": ["numpy.polynomial"],
    "ml-metrics": ["sklearn.metrics"],
    "ml-linear-models": ["sklearn.linear_model"],
    "ml-clustering": ["sklearn.cluster", "sklearn.mixture"],
    "email": ["email", "smtplib", "imaplib", "mailbox"],
    "http": ["http", "urllib", "wsgiref"],
    "asyncio": ["asyncio"],
    "tests": ["unittest", "doctest"],
    "gui": ["tkinter"],
    "xml": ["xml"],
}

SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]`'])\.(\s|$)")


def first_sentence(doc):
    if not doc:
        return None
    paragraph = doc.strip().split("\n\n")[0]
    text = " ".join(paragraph.split())
    match = SENTENCE_END.search(text)
    if match:
        text = text[: match.start() + 1]
    if len(text.split()) < 3 or len(text) > 200 or "(" in text.split()[0]:
        return None
    return text


def modules(root):
    try:
        module = importlib.import_module(root)
    except Exception:
        return []
    found = [module]
    for info in pkgutil.walk_packages(getattr(module, "__path__", []) or [], root + "."):
        if any(part.startswith("_") for part in info.name.split(".")) or "test" in info.name.split(".")[-1]:
            continue
        try:
            found.append(importlib.import_module(info.name))
        except Exception:
            continue
    return found


def docstrings(root):
    seen = set()
    for module in modules(root):
        for name, value in sorted(vars(module).items()):
            if name.startswith("_") or id(value) in seen:
                continue
            owner = getattr(value, "__module__", "") or ""
            if not (owner == root or owner.startswith(root + ".")):
                continue
            seen.add(id(value))
            if inspect.isfunction(value) or inspect.isbuiltin(value) or isinstance(value, type) or callable(value):
                yield first_sentence(inspect.getdoc(value))
            if isinstance(value, type):
                for method_name, method in sorted(vars(value).items()):
                    if not method_name.startswith("_") and callable(method):
                        yield first_sentence(inspect.getdoc(method))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python3 scripts/themes_docstring_set.py OUT_TSV [MAX_PER_LABEL]")
    limit = int(sys.argv[2]) if len(sys.argv) == 3 else 400
    import warnings
    warnings.filterwarnings("ignore")
    labels_of = defaultdict(set)
    for label, roots in AREAS.items():
        for root in roots:
            for text in docstrings(root):
                if text:
                    labels_of[text].add(label)
    by_label = defaultdict(list)
    for text, labels in labels_of.items():
        if len(labels) == 1:
            by_label[next(iter(labels))].append(text)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for label in sorted(by_label):
            texts = sorted(by_label[label], key=lambda t: hashlib.sha256(t.encode()).hexdigest())[:limit]
            for text in sorted(texts):
                out.write("%s\t%s\n" % (label, text.replace("\t", " ")))


if __name__ == "__main__":
    main()
