//! The `qualkit` binary: everything lives in the library; this only hands over the exit code.

/// mimalloc: coding allocates many small, short-lived strings and vectors per turn, and
/// mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e`, mimalloc v3 as vendored
/// by libmimalloc-sys 0.1.49; the enum keeps deprecated entries so positions do not move).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // A run reads, codes and drops one batch of transcripts after another. By default
    // mimalloc returns freed memory to the system after 10 ms, and the next batch faults it
    // back in page by page, each page zeroed by the kernel: a fifth of the run's time.
    // Keeping it costs nothing, as the next batch needs as much.
    // MIMALLOC_PURGE_DELAY (in milliseconds), when set, still decides.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option; mimalloc reads options atomically.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    std::process::exit(qualkit::cli::main());
}
