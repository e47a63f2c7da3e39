"""The Spark examples on `local[2]`: their counts equal `qualkit analyze`'s on the same files.

They need pyspark and a Java runtime. Without them the tests skip on a developer's machine
and fail in CI (QUALKIT_REQUIRE_TOOLS=1), where `.ci/run` installs both."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import qualkit
from conftest import BUNDLED_CODEBOOK, ROOT, read_csv, run_cli

EXAMPLES = ROOT / "examples"
COUNT_COLUMNS = ["theme", "mentions", "segments", "speakers", "sessions"]


def need_spark() -> None:
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (pip install pyspark)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing.append("a Java runtime (apt-get install openjdk-17-jre-headless)")
    if missing:
        message = "the Spark tests need " + " and ".join(missing)
        if os.environ.get("QUALKIT_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--master", "local[2]", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, bench_bin: Path) -> Path:
    """A small generated corpus of every format, 1 MB."""
    out = tmp_path_factory.mktemp("spark") / "corpus"
    done = subprocess.run(
        [str(bench_bin), "generate", "--mb", "1", "--seed", "11", "--out", str(out), "-q"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("per_file", [False, True], ids=["driver", "per-file"])
def test_spark_theme_counts_equal_analyze(corpus: Path, qualkit_bin: Path, tmp_path: Path, per_file: bool) -> None:
    need_spark()
    report = tmp_path / "report"
    cli = run_cli(qualkit_bin, "analyze", str(corpus), "-c", str(BUNDLED_CODEBOOK), "-o", str(report), "--quiet", "--tables", "summary")
    assert cli.returncode == 0, cli.stderr
    out = tmp_path / "counts.csv"
    args = ["--codebook", str(BUNDLED_CODEBOOK), "--out", str(out), str(corpus)]
    done = run_example("spark_theme_counts.py", *(["--per-file"] if per_file else []), *args)
    assert done.returncode == 0, done.stderr[-3000:]
    expected = [{k: r[k] for k in COUNT_COLUMNS} for r in read_csv(report / "theme_frequencies.csv")]
    assert read_csv(out) == expected
    assert sum(int(r["mentions"]) for r in expected) > 1000


def test_spark_codes_a_table_of_texts_into_parquet_by_theme(tmp_path: Path) -> None:
    need_spark()
    answers = [
        ("r1", "I trust the organizers; they kept their word."),
        ("r2", "Funding ran out, and the grant was late."),
        ("r3", "Nothing to add."),
        ("r4", "Trust takes time, and \"patience\", she said.\nOn two lines."),
    ]
    table = tmp_path / "answers.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "answer"])
        writer.writerows(answers)
    out = tmp_path / "mentions"
    args = ["--codebook", str(BUNDLED_CODEBOOK), "--out", str(out), "--text-column", "answer", str(table)]
    done = run_example("spark_code_table.py", *args)
    assert done.returncode == 0, done.stderr[-3000:]
    written = pq.read_table(out).to_pylist()
    ours = sorted((r["id"], str(r["theme"]), r["start"], r["end"], r["text"]) for r in written)
    codebook = qualkit.Codebook.load(BUNDLED_CODEBOOK)
    direct = codebook.code([a for _, a in answers]).to_pylist()
    theirs = sorted((answers[m["row"]][0], m["theme"], m["start"], m["end"], m["text"]) for m in direct)
    assert ours == theirs
    assert {"trust", "patience", "financial_resources"} <= {t for _, t, *_ in ours}
    partitions = sorted(p.name for p in out.iterdir() if p.name.startswith("theme="))
    assert partitions == sorted({f"theme={t}" for _, t, *_ in ours})


def test_spark_examples_refuse_a_bad_codebook(tmp_path: Path) -> None:
    need_spark()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[theme]]\nid = "Bad Id"\n', encoding="utf-8")
    done = run_example("spark_theme_counts.py", "--codebook", str(bad), "--out", str(tmp_path / "o.csv"), str(tmp_path))
    assert done.returncode == 2
    assert "bad.toml:2" in done.stderr and done.stderr.startswith("error: ")
