//! Reading speed: reads every transcript under a folder as `analyze` and `transcripts
//! inspect` do (discovery, decoding, the readers, the questions) and nothing else, best of
//! N passes. `bench/read.sh` runs it on the benchmark corpus; see BENCHMARKS.md.
//!
//! ```sh
//! cargo run --release --example read -- target/bench-corpus/100mb-seed7 5
//! ```

use std::path::PathBuf;
use std::time::Instant;

use qualkit::ingest::{self, ReadOptions};

/// The binary's allocator (src/main.rs), so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(folder) = args.next().map(PathBuf::from) else {
        eprintln!("usage: read FOLDER [PASSES]");
        std::process::exit(2);
    };
    let passes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    // As the binary does (src/main.rs): keep freed memory rather than return it to the
    // system after 10 ms (mimalloc's `mi_option_purge_delay`, option 15).
    // SAFETY: sets a plain integer option; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(15, -1) };
    let mut best = f64::INFINITY;
    let mut read = (0, 0, 0);
    for _ in 0..passes {
        let start = Instant::now();
        let batch =
            ingest::load(std::slice::from_ref(&folder), &[], &ReadOptions::default(), None, false)
                .unwrap_or_else(|e| panic!("{e}"));
        best = best.min(start.elapsed().as_secs_f64());
        let turns = batch.sessions.iter().map(|s| s.turns.len()).sum::<usize>();
        let bytes = batch.sessions.iter().map(|s| s.text_bytes()).sum::<u64>();
        read = (batch.sessions.len(), turns, bytes);
    }
    let (sessions, turns, bytes) = read;
    println!(
        "{sessions} sessions, {turns} turns, {bytes} bytes of turn text; best of {passes}: \
         {best:.3} s ({:.1} MB/s of turn text)",
        bytes as f64 / 1e6 / best
    );
}
