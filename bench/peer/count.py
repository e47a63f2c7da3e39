#!/usr/bin/env python3
"""A pure-Python single-word counter: the peer `bench/run.sh` times qualkit against.

Usage:  python3 bench/peer/count.py CORPUS_FOLDER CODEBOOK.toml

It does what a researcher's own script would: read every `.txt` transcript of the folder,
drop each line's `[hh:mm:ss] Name:` label, split the rest into lowercase words, and count,
for each theme of a qualkit codebook, the words that are one of its one-word terms (`trust`)
or start with one of its wildcards (`credib*`). No stemming, phrases, patterns, proximity or
exclusions: it does less than qualkit, so the ratio it gives is a lower bound.

It prints one line per theme, `theme<TAB>count`, in the codebook's order, then the number of
files and words read to standard error. Standard library only (Python 3.11 for tomllib).
"""

import os
import re
import sys
import tomllib
from collections import Counter

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
LABEL = re.compile(r"^\s*(?:\[[0-9:.]+\]\s*)?[^:\n]{1,60}:\s")


def load_terms(path):
    """Theme ids in order, exact words -> themes, and prefixes -> themes."""
    with open(path, "rb") as f:
        codebook = tomllib.load(f)
    themes, exact, prefixes = [], {}, {}
    for theme in codebook.get("theme", []):
        themes.append(theme["id"])
        for term in theme.get("terms", []):
            term = term.lower()
            if " " in term:
                continue
            if term.endswith("*"):
                prefixes.setdefault(term[:-1], set()).add(theme["id"])
            else:
                exact.setdefault(term, set()).add(theme["id"])
    return themes, exact, prefixes


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder, codebook = argv[1], argv[2]
    themes, exact, prefixes = load_terms(codebook)
    lengths = sorted({len(p) for p in prefixes})
    counts = Counter()
    files = words = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        files += 1
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                line = LABEL.sub("", line, count=1)
                for word in WORD.findall(line.lower()):
                    words += 1
                    for theme in exact.get(word, ()):
                        counts[theme] += 1
                    for n in lengths:
                        if len(word) >= n:
                            for theme in prefixes.get(word[:n], ()):
                                counts[theme] += 1
    for theme in themes:
        print(f"{theme}\t{counts[theme]}")
    print(f"{files} files, {words} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
