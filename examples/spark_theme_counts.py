#!/usr/bin/env python3
"""Theme counts of transcripts on Apache Spark, equal to `qualkit analyze`'s
theme_frequencies.csv (columns theme, mentions, segments, speakers, sessions).

    spark-submit examples/spark_theme_counts.py --codebook CODEBOOK --out OUT.csv PATH...
    python examples/spark_theme_counts.py --master 'local[2]' --codebook … --out … PATH...

The transcripts are read into a Spark DataFrame of turns: by `qualkit.read_transcripts` on
the driver (the default), or with `--per-file`, one Spark task per group of files on the
executors (for folders too large for the driver). The counted turns (participants' and
group voices', as `qualkit analyze` counts by default) are coded on the executors with
`mapInArrow` and `Codebook.code_batch`, the codebook compiled once per executor process, and
Spark's own group-by counts the mentions, the turns (segments), the speakers who are one
person (not group voices) and the sessions of each theme. Every theme of the codebook is
written, in codebook order, with 0 where it has no mention.

The paths and the codebook must be readable at the same path on every executor (a shared
file system) with `--per-file`; without it only the codebook must be (the driver reads the
transcripts). The qualkit package must be installed on every node: see docs/scale-out.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import qualkit

TURN_COLUMNS = ["session", "turn", "speaker", "role", "text"]
TURNS_SCHEMA = "session string, turn long, speaker string, role string, text string"
MENTIONS_SCHEMA = (
    "session string, turn long, speaker string, role string, theme string, start long, "
    "`end` long, text string, rule_kind string, rule string, rule_theme string"
)
TRANSCRIPT_EXTENSIONS = (".txt", ".md", ".docx", ".odt", ".vtt", ".srt", ".csv", ".tsv")


def coder(codebook_path: str):
    """The function `mapInArrow` runs on each partition: code its counted turns."""

    def code(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        # Compiled once per executor process, whatever the number of batches and tasks.
        codebook = qualkit.Codebook.cached(codebook_path)
        for batch in batches:
            yield codebook.code_batch(batch, text_column="text")

    return code


def reader(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The function `mapInArrow` runs with `--per-file`: read the partition's files."""
    for batch in batches:
        paths = batch.column("path").to_pylist()
        if not paths:
            continue
        turns = qualkit.read_transcripts(paths).filter(pc.field("counted"))
        for out in turns.select(TURN_COLUMNS).to_batches():
            yield out


def transcript_files(paths: list[str]) -> list[str]:
    """The transcript files under `paths`, sorted (hidden files and folders left out), for
    `--per-file`."""
    files: list[str] = []
    for path in paths:
        if os.path.isfile(path):
            files.append(path)
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files += [
                os.path.join(folder, n)
                for n in names
                if n.lower().endswith(TRANSCRIPT_EXTENSIONS) and not n.startswith((".", "~$"))
            ]
    return sorted(files)


def counted_turns(spark: SparkSession, paths: list[str], per_file: bool) -> DataFrame:
    """The counted turns of the transcripts under `paths`, as a DataFrame."""
    if per_file:
        files = transcript_files(paths)
        frame = spark.createDataFrame([(f,) for f in files], "path string")
        tasks = max(1, min(len(files), spark.sparkContext.defaultParallelism * 4))
        return frame.repartition(tasks).mapInArrow(reader, TURNS_SCHEMA)
    turns = qualkit.read_transcripts(paths).filter(pc.field("counted"))
    return spark.createDataFrame(turns.select(TURN_COLUMNS))


def theme_counts(turns: DataFrame, codebook_path: str) -> DataFrame:
    """mentions, segments, speakers and sessions per theme, with Spark's group-by."""
    mentions = turns.mapInArrow(coder(codebook_path), MENTIONS_SCHEMA)
    person = F.when(F.col("role") != "group", F.concat_ws("\u0000", "session", "speaker"))
    return mentions.groupBy("theme").agg(
        F.count(F.lit(1)).alias("mentions"),
        F.countDistinct("session", "turn").alias("segments"),
        F.countDistinct(person).alias("speakers"),
        F.countDistinct("session").alias("sessions"),
    )


def write_counts(out: str, codebook: qualkit.Codebook, counts: dict[str, tuple]) -> None:
    """Writes `out` (every theme, codebook order), atomically."""
    partial = out + ".partial"
    with open(partial, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["theme", "mentions", "segments", "speakers", "sessions"])
        for theme in codebook.themes:
            writer.writerow([theme["id"], *counts.get(theme["id"], (0, 0, 0, 0))])
    os.replace(partial, out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="transcript files or folders")
    parser.add_argument("--codebook", required=True, help="the codebook (any format qualkit reads)")
    parser.add_argument("--out", required=True, help="the CSV of theme counts to write")
    parser.add_argument("--master", help="the Spark master (default: spark-submit's)")
    parser.add_argument("--per-file", action="store_true", help="read the files on the executors")
    args = parser.parse_args(argv)
    try:
        codebook = qualkit.Codebook.load(args.codebook)
    except qualkit.Error as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    builder = SparkSession.builder.appName("qualkit theme counts")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        turns = counted_turns(spark, args.paths, args.per_file)
        rows = theme_counts(turns, os.path.abspath(args.codebook)).collect()
    except qualkit.Error as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    counts = {r["theme"]: (r["mentions"], r["segments"], r["speakers"], r["sessions"]) for r in rows}
    write_counts(args.out, codebook, counts)
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
