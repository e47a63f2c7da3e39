//! A progress bar on stderr for long runs: sessions and MB coded, and throughput. Shown only
//! when stderr is a terminal, the run is not `--quiet`, and it has lasted a second; nothing
//! of it ever reaches stdout.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A bar over the bytes of text to code; hidden until [`DELAY`] has passed.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// A bar for `total` bytes in `sessions` sessions, or none when `quiet` or stderr is not
    /// a terminal.
    pub fn new(total: u64, sessions: usize, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template(
                    "coding {bar:30} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}) {msg}",
                )
                .expect("a valid progress template"),
            );
            bar.set_message(format!("0/{sessions} sessions"));
            bar
        });
        Progress { bar, started: Instant::now() }
    }

    /// Records one more coded session of `bytes` bytes.
    pub fn session_done(&self, bytes: u64, done: usize, sessions: usize) {
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() >= DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(bytes);
            bar.set_message(format!("{done}/{sessions} sessions"));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
