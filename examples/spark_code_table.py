#!/usr/bin/env python3
"""Code a table of texts on Apache Spark: survey answers, comments, open-ended responses.

    spark-submit examples/spark_code_table.py --codebook CODEBOOK --out MENTIONS_DIR TABLE...
    python examples/spark_code_table.py --master 'local[2]' --codebook … --out … answers.csv

For people whose "transcripts" are rows: a Parquet or CSV table (or a folder of them) with a
text column (`--text-column`, default `text`) and any other columns (an id, a wave, a
region). Every row's text is coded on the executors with `mapInArrow` and
`Codebook.code_batch` (the codebook compiled once per executor process), and the mentions
are written as a Parquet table partitioned by theme (`OUT/theme=trust/part-….parquet`): one
row per mention, with the row's other columns, then start, end (character offsets in the
text), text (the words matched), rule_kind, rule and rule_theme. Mentions roll up to parent
themes, as in `qualkit analyze`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

import qualkit

MENTION_FIELDS = [
    T.StructField("theme", T.StringType()),
    T.StructField("start", T.LongType()),
    T.StructField("end", T.LongType()),
    T.StructField("text", T.StringType()),
    T.StructField("rule_kind", T.StringType()),
    T.StructField("rule", T.StringType()),
    T.StructField("rule_theme", T.StringType()),
]


def read_table(spark: SparkSession, paths: list[str]) -> DataFrame:
    """The rows of the Parquet or CSV files at `paths` (by extension; CSV with a header)."""
    if all(p.lower().endswith((".csv", ".tsv")) for p in paths):
        sep = "\t" if paths[0].lower().endswith(".tsv") else ","
        return spark.read.csv(paths, header=True, sep=sep, multiLine=True, escape='"')
    return spark.read.parquet(*paths)


def code_table(rows: DataFrame, codebook_path: str, text_column: str) -> DataFrame:
    """One row per mention, with the row's other columns, then the mention columns."""
    if text_column not in rows.columns:
        raise qualkit.UsageError(
            f"the table has no column '{text_column}' (its columns: {', '.join(rows.columns)}); "
            "name the column of texts with --text-column"
        )
    kept = [f for f in rows.schema.fields if f.name != text_column]
    schema = T.StructType(kept + MENTION_FIELDS)

    def code(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        codebook = qualkit.Codebook.cached(codebook_path)
        for batch in batches:
            yield codebook.code_batch(batch, text_column=text_column)

    return rows.mapInArrow(code, schema)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", nargs="+", metavar="TABLE", help="Parquet or CSV files or folders")
    parser.add_argument("--codebook", required=True, help="the codebook (any format qualkit reads)")
    parser.add_argument("--out", required=True, help="the folder of the Parquet mentions table")
    parser.add_argument("--text-column", default="text", help="the column of texts (default: text)")
    parser.add_argument("--master", help="the Spark master (default: spark-submit's)")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    try:
        qualkit.Codebook.load(args.codebook)
    except qualkit.Error as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if os.path.exists(args.out) and not args.force:
        print(f"error: {args.out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    builder = SparkSession.builder.appName("qualkit code table")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        rows = read_table(spark, args.tables)
        mentions = code_table(rows, os.path.abspath(args.codebook), args.text_column)
        mentions.write.mode("overwrite").partitionBy("theme").parquet(args.out)
    except qualkit.Error as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
