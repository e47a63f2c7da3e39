#!/usr/bin/env bash
# bench/run.sh: the end-to-end benchmark of `qualkit analyze` (issue 6, "Fast at any size").
#
# Usage:  bench/run.sh [--mb N[,N...]] [--seed S] [--no-double] [--no-generated]
#                      [--no-threads-check] [--no-peer]
#
#   --mb 1000           corpus sizes in MB of 10^6 bytes (default: 1000). `--mb 100` is a
#                       quick run; `--mb 200,1000` runs both.
#   --seed 7            the generators' seed (default: 7).
#   --no-double         skip the memory check at twice the largest size (2000 MB for 1000).
#   --no-generated      skip the runs with the generated 500-theme codebook.
#   --no-threads-check  skip the --threads 1 run and the byte-for-byte comparison.
#   --no-peer           skip the side-by-side run against the pure-Python peer.
#
# What it does, from the repository root:
#   1. builds the release binaries, `qualkit` and the generators' `qualkit-bench`
#      (`cargo build --release --workspace`; CARGO_TARGET_DIR is honoured);
#   2. generates each corpus once into $BENCH_CACHE (default target/bench-corpus), as
#      <N>mb-seed<S>/, and the codebook `qualkit-bench codebook --themes 500 --terms 20
#      --patterns 40` as codebook-500x20-seed<S>.toml; both are kept and reused by later runs
#      (delete the folder to regenerate);
#   3. for each size, runs under `/usr/bin/time -v`
#        qualkit analyze CORPUS -c codebooks/metaconnects.toml -o REPORTS --quiet
#      with the default thread count, then with the generated codebook; for the smallest size
#      also with --threads 1, and compares the two report folders byte for byte (`diff -r`);
#      then at twice the largest size with the bundled codebook (peak memory should grow
#      by no more than 10 %);
#      each size is also run with `--tables summary` (the bundled codebook and the generated
#      one), the run issue 18 sets a target for;
#   4. generates a 50 MB corpus of `.txt` transcripts (50mb-txt-seed<S>/) and times, side by
#      side, the pure-Python single-word counter `bench/peer/count.py` (the peer) and qualkit
#      on it with the bundled codebook, every table and `--tables summary`;
#   5. prints a Markdown table: corpus MB (on disk), codebook, tables, threads, seconds, MB/s,
#      peak RSS (MiB), and the exit code when it is not 0; then issue 18's targets, each with
#      its measured figure and met / not met.
#
# Run it on an idle machine with a warm page cache (each corpus is read once before it is
# timed). It needs GNU time: `apt-get install time` if /usr/bin/time is missing. Report
# folders go to a temporary folder that is removed at the end. Record the figures in
# BENCHMARKS.md with the machine, the date and the commit.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000"
seed=7
double=1
generated=1
threads_check=1
peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) sizes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-double) double=0; shift ;;
    --no-generated) generated=0; shift ;;
    --no-threads-check) threads_check=0; shift ;;
    --no-peer) peer=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time (GNU time) is missing; install it with: apt-get install time" >&2
  exit 2
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
target="${CARGO_TARGET_DIR:-target}"
cache="${BENCH_CACHE:-target/bench-corpus}"
bin="$target/release/qualkit"
gen="$target/release/qualkit-bench"
work="$(mktemp -d "${TMPDIR:-/tmp}/qualkit-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== building the release binary" >&2
cargo build --release --workspace --quiet

mkdir -p "$cache"
corpus_for() { # SIZE_MB -> the corpus folder, generated once
  local dir="$cache/${1}mb-seed$seed"
  if [ ! -d "$dir" ]; then
    echo "== generating $dir" >&2
    "$gen" generate --mb "$1" --seed "$seed" --out "$dir.partial" --force >&2
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}
codebook="$cache/codebook-500x20-seed$seed.toml"
if [ "$generated" = 1 ] && [ ! -f "$codebook" ]; then
  "$gen" codebook --themes 500 --terms 20 --patterns 40 --seed "$seed" --out "$codebook"
fi

rows=()
# The figures of the last run, for the targets: MB/s, seconds, peak RSS in MiB, report.html's bytes.
last_mbs=0
last_seconds=0
last_rss=0
last_html=0
run() { # CORPUS CODEBOOK_NAME CODEBOOK THREADS REPORTS [TABLES]
  local corpus="$1" name="$2" cb="$3" threads="$4" reports="$5" tables="${6:-all}"
  local log="$work/time.log"
  local args=(analyze "$corpus" -c "$cb" -o "$reports" --quiet --force --tables "$tables")
  [ "$threads" = default ] || args+=(--threads "$threads")
  # Warm the page cache: the figures are for a corpus already in memory.
  cat "$corpus"/* >/dev/null
  echo "== qualkit ${args[*]}" >&2
  local code=0
  /usr/bin/time -v "$bin" "${args[@]}" 2>"$log" >/dev/null || code=$?
  local elapsed rss_kb mb seconds
  elapsed="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
  rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
  seconds="$(echo "$elapsed" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
  mb="$(du -sbL "$corpus" | awk '{ printf "%.1f", $1 / 1e6 }')"
  local shown_threads="$threads"
  [ "$threads" = default ] && shown_threads="default ($(nproc))"
  rows+=("$(awk -v mb="$mb" -v name="$name" -v tb="$tables" -v t="$shown_threads" -v s="$seconds" -v kb="$rss_kb" -v code="$code" \
    'BEGIN { printf "| %s | %s | %s | %s | %.1f | %.1f | %.0f |%s", mb, name, tb, t, s, mb / s, kb / 1024, (code == 0 ? "" : " exit " code " |") }')")
  last_mbs="$(awk -v mb="$mb" -v s="$seconds" 'BEGIN { printf "%.1f", mb / s }')"
  last_seconds="$seconds"
  last_rss="$(awk -v kb="$rss_kb" 'BEGIN { printf "%.0f", kb / 1024 }')"
  last_html="$(stat -c %s "$reports/report.html" 2>/dev/null || echo 0)"
  if [ "$code" != 0 ]; then
    echo "warning: qualkit exited with $code; its messages:" >&2
    grep -v '^\s' "$log" | head -20 >&2 || true
  fi
}

IFS=',' read -r -a size_list <<<"$sizes"
largest=0
first=1
identical="not checked"
# Issue 18's figures, from the largest size.
all_mbs=0 summary_mbs=0 all_rss=0 generated_summary_mbs=0 html_max=0 double_rss=""
html_note() { if [ "$last_html" -gt "$html_max" ]; then html_max="$last_html"; fi; }
for size in "${size_list[@]}"; do
  corpus="$(corpus_for "$size")"
  run "$corpus" bundled codebooks/metaconnects.toml default "$work/bundled-default"
  all_mbs="$last_mbs" all_rss="$last_rss"
  html_note
  run "$corpus" bundled codebooks/metaconnects.toml default "$work/bundled-summary" summary
  summary_mbs="$last_mbs"
  rm -rf "$work/bundled-summary"
  if [ "$first" = 1 ] && [ "$threads_check" = 1 ]; then
    run "$corpus" bundled codebooks/metaconnects.toml 1 "$work/bundled-1"
    # manifest.json names its own report folder (and the command line's --threads): compare
    # it without those lines.
    for d in bundled-default bundled-1; do
      grep -v -e "$work/$d" -e '"--threads"' "$work/$d/manifest.json" >"$work/$d.manifest" || true
    done
    if diff -r -x manifest.json "$work/bundled-default" "$work/bundled-1" >"$work/diff.txt" \
      && diff "$work/bundled-default.manifest" "$work/bundled-1.manifest" >>"$work/diff.txt"; then
      identical="identical (${size} MB, diff -r of every report file; manifest.json but for its folder)"
    else
      identical="DIFFERENT (${size} MB): $(head -c 300 "$work/diff.txt")"
    fi
    rm -rf "$work/bundled-1"
  fi
  rm -rf "$work/bundled-default"
  if [ "$generated" = 1 ]; then
    run "$corpus" "generated 500×20" "$codebook" default "$work/generated"
    html_note
    rm -rf "$work/generated"
    run "$corpus" "generated 500×20" "$codebook" default "$work/generated" summary
    generated_summary_mbs="$last_mbs"
    rm -rf "$work/generated"
  fi
  first=0
  if awk -v a="$size" -v b="$largest" 'BEGIN { exit !(a > b) }'; then largest="$size"; fi
done
if [ "$double" = 1 ]; then
  twice="$(awk -v s="$largest" 'BEGIN { print s * 2 }')"
  corpus="$(corpus_for "$twice")"
  run "$corpus" bundled codebooks/metaconnects.toml default "$work/double"
  double_rss="$last_rss"
  rm -rf "$work/double"
fi
peer_seconds="" peer_all="" peer_summary=""
if [ "$peer" = 1 ]; then
  corpus="$cache/50mb-txt-seed$seed"
  if [ ! -d "$corpus" ]; then
    echo "== generating $corpus" >&2
    "$gen" generate --mb 50 --seed "$seed" --formats txt --out "$corpus.partial" --force >&2
    mv "$corpus.partial" "$corpus"
  fi
  cat "$corpus"/* >/dev/null
  echo "== python3 bench/peer/count.py $corpus codebooks/metaconnects.toml" >&2
  /usr/bin/time -f "%e" -o "$work/peer.time" python3 bench/peer/count.py "$corpus" \
    codebooks/metaconnects.toml >"$work/peer.tsv" 2>"$work/peer.err"
  peer_seconds="$(cat "$work/peer.time")"
  run "$corpus" bundled codebooks/metaconnects.toml default "$work/peer-all"
  peer_all="$last_seconds"
  run "$corpus" bundled codebooks/metaconnects.toml default "$work/peer-summary" summary
  peer_summary="$last_seconds"
  rm -rf "$work/peer-all" "$work/peer-summary"
fi

echo
echo "qualkit $("$bin" --version | awk '{ print $2 }') at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM; load average at the start: $load_before"
echo
echo "| corpus MB | codebook | tables | threads | seconds | MB/s | peak RSS MiB |"
echo "|---:|---|---|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "reports with --threads 1 and the default thread count: $identical"

# Issue 18's targets, at the largest size.
met() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "not met"; fi; }
echo
echo "Targets (issue 18), ${largest} MB:"
echo
echo "| target | measured | |"
echo "|---|---:|---|"
echo "| ≥ 200 MB/s end to end with every table (bundled) | $all_mbs MB/s | $(met "$all_mbs >= 200") |"
echo "| ≥ 400 MB/s with --tables summary (bundled) | $summary_mbs MB/s | $(met "$summary_mbs >= 400") |"
echo "| peak RSS ≤ 300 MB | $all_rss MiB | $(met "$all_rss * 1.048576 <= 300") |"
if [ -n "$double_rss" ]; then
  echo "| at twice the size, ≤ 10 % more memory | $double_rss MiB ($(awk -v a="$double_rss" -v b="$all_rss" 'BEGIN { printf "%+.0f %%", (a / b - 1) * 100 }')) | $(met "$double_rss <= $all_rss * 1.1") |"
fi
if [ "$generated" = 1 ]; then
  echo "| 500-theme codebook ≥ 0.8 × the bundled speed with --tables summary | $generated_summary_mbs MB/s ($(awk -v a="$generated_summary_mbs" -v b="$summary_mbs" 'BEGIN { printf "%.2f ×", a / b }')) | $(met "$generated_summary_mbs >= 0.8 * $summary_mbs") |"
fi
echo "| report.html < 5 MB whatever the codebook | $(awk -v b="$html_max" 'BEGIN { printf "%.1f MB", b / 1e6 }') | $(met "$html_max < 5000000") |"
if [ -n "$peer_seconds" ]; then
  for pair in "every table:$peer_all" "--tables summary:$peer_summary"; do
    label="${pair%%:*}" secs="${pair#*:}"
    ratio="$(awk -v p="$peer_seconds" -v q="$secs" 'BEGIN { printf "%.1f", p / q }')"
    echo "| ≥ 30 × the pure-Python peer on 50 MB ($label) | peer ${peer_seconds} s, qualkit ${secs} s: ${ratio} × | $(met "$ratio >= 30") |"
  done
fi
