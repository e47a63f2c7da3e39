"""Shared fixtures of the Python package's tests: the repository, the command-line binary
built from it, and a report folder of `qualkit analyze` on the bundled example."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_TRANSCRIPTS = ROOT / "transcripts" / "metaconnects"
BUNDLED_CODEBOOK = ROOT / "codebooks" / "metaconnects.toml"


def built(name: str) -> Path:
    """A release binary of the workspace: $QUALKIT_BIN_DIR/NAME, else the Cargo target
    folder's. A missing binary fails the test (build it with `cargo build --release
    --workspace`): the tests compare the package with the command line and never skip."""
    folders = [os.environ.get("QUALKIT_BIN_DIR"), os.environ.get("CARGO_TARGET_DIR"), "target"]
    for folder in filter(None, folders):
        base = Path(folder)
        for path in (base / name, base / "release" / name, ROOT / base / "release" / name):
            if path.is_file():
                return path
    found = shutil.which(name)
    if found:
        return Path(found)
    pytest.fail(f"the {name} binary was not found: run `cargo build --release --workspace`")


@pytest.fixture(scope="session")
def qualkit_bin() -> Path:
    return built("qualkit")


@pytest.fixture(scope="session")
def bench_bin() -> Path:
    return built("qualkit-bench")


def run_cli(binary: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=ROOT)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`qualkit analyze` on the bundled example, run through the package from the repository
    folder with the options the command line's bundled run takes (`cargo run -- analyze`)."""
    import qualkit

    out = tmp_path_factory.mktemp("report") / "metaconnects"
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        code = qualkit.analyze(
            ["transcripts/metaconnects"],
            "codebooks/metaconnects.toml",
            out,
            guide="codebooks/metaconnects-guide.txt",
            compare_by="group",
            summary_by="question",
            quiet=True,
        )
    finally:
        os.chdir(here)
    assert code == 0
    return out
