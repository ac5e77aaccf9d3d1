"""Writes a DEVELOPMENT set of short technical texts: the one-line descriptions of Debian packages ("Python 3 library
for parsing YAML", "fast, lightweight image viewer"), labelled by the archive section each package is filed in, for
20 sections: ten programming languages and ten subjects. Like question titles from a programming site, a text often
names its language, and the subject and the language can disagree (a Python sound library is filed under python).

It reads the package lists that `apt-get update` leaves under /var/lib/apt/lists (any Debian or Ubuntu machine), so
nothing is downloaded and nothing is committed. Identical descriptions are kept once; at most PER_SECTION texts of a
section are kept, chosen by a hash of the package name so the set is the same on every run with the same lists.

Usage: python3 scripts/themes_package_set.py OUT.tsv [PER_SECTION]     (label<TAB>text lines; default 1000)
Exit status 2 when no package list is found.
"""
import glob, hashlib, subprocess, sys

SECTIONS = ["python", "perl", "haskell", "rust", "golang", "javascript", "java", "ruby", "php", "ocaml",
            "games", "sound", "graphics", "fonts", "science", "math", "mail", "net", "editors", "database"]


def package_lists():
    lists = sorted(glob.glob("/var/lib/apt/lists/*_main_binary-*_Packages*"))
    return [path for path in lists if not path.endswith(".diff_Index")]


def records(path):
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True, capture_output=True).stdout
    record = {}
    for line in text.decode("utf-8", "replace").split("\n"):
        if not line:
            if record: yield record
            record = {}
        elif not line[0].isspace() and ": " in line:
            key, value = line.split(": ", 1)
            record[key] = value.strip()
    if record: yield record


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n\n")[2])
    per_section = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    lists = package_lists()
    if not lists:
        print("themes_package_set: no package list under /var/lib/apt/lists (run apt-get update)", file=sys.stderr)
        sys.exit(2)
    chosen, seen = {}, set()
    for path in lists:
        for record in records(path):
            section = record.get("Section", "").split("/")[-1]
            text = record.get("Description", "")
            if section not in SECTIONS or not text or text.lower() in seen:
                continue
            seen.add(text.lower())
            key = hashlib.sha256(record["Package"].encode()).hexdigest()
            chosen.setdefault(section, []).append((key, text))
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for section in SECTIONS:
            for _, text in sorted(chosen.get(section, []))[:per_section]:
                out.write("%s\t%s\n" % (section, text.replace("\t", " ")))


if __name__ == "__main__":
    main()
