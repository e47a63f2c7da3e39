#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for a time budget each, on the stable toolchain.
#
#   fuzz/run.sh [--seconds N] [--timeout S] [--seed N] [TARGET...]
#
# --seconds N   time budget per target (default 60)
# --timeout S   an input running longer than this is a finding and stops the run (default 10)
# --seed N      the random stream (default 1; change it to explore further)
# TARGET        text vtt srt sbv csv tsv docx odt toml json yaml codebook-csv dic qdc (default: all)
#
# Findings are written to fuzz/out/<target>/ (crash-*, slow-*, memory-*), and the exit code is
# 1 when there were any. See fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qualkit-target}"
# A backstop under the driver's own memory watchdog (--max-rss-mb, 3 GB): 8 GB of address space.
ulimit -v $((8 * 1024 * 1024)) 2>/dev/null || true
cargo build --release --example fuzz --quiet
exec "$CARGO_TARGET_DIR/release/examples/fuzz" "$@"
