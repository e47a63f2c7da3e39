//! A progress bar on stderr for long runs: files (or sessions) and MB coded, and throughput. Shown only
//! when stderr is a terminal, the run is not `--quiet`, and it has lasted a second; nothing
//! of it ever reaches stdout.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A bar over the bytes of text to code; hidden until the run has lasted a second.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    done: AtomicUsize,
    items: usize,
    what: &'static str,
}

impl Progress {
    /// A bar for `total` bytes in `items` files or sessions (`what`), or none when `quiet` or
    /// stderr is not a terminal.
    pub fn new(total: u64, items: usize, what: &'static str, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template(
                    "coding {bar:30} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}) {msg}",
                )
                .expect("a valid progress template"),
            );
            bar.set_message(format!("0/{items} {what}"));
            bar
        });
        Progress { bar, started: Instant::now(), done: AtomicUsize::new(0), items, what }
    }

    /// Records one more file or session done, of `bytes` bytes (from any thread).
    pub fn done(&self, bytes: u64) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() >= DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(bytes);
            bar.set_message(format!("{done}/{} {}", self.items, self.what));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
