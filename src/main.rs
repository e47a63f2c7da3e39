//! The `qualkit` binary: everything lives in the library; this only hands over the exit code.

/// mimalloc: coding allocates many small, short-lived strings and vectors per turn, and
/// mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(qualkit::cli::main());
}
