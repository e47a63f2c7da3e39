//! The matcher: `Coder::code` on each turn of 1 MB of generated transcript text, with the
//! bundled codebook and with a generated codebook of 500 themes × 20 terms and 40 patterns
//! (the scale test). Run with `cargo bench --bench code`; see BENCHMARKS.md.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qualkit::code::{Coder, Engine};
use qualkit::codebook::Codebook;
use qualkit_bench::codebook::{generate, CodebookOptions};
use qualkit_bench::corpus::{sample_turns, Vocabulary, BUNDLED_CODEBOOK};

fn code(c: &mut Criterion) {
    let turns = sample_turns(&Vocabulary::bundled(), 7, 1_000_000);
    let bytes: usize = turns.iter().map(String::len).sum();
    let bundled = Codebook::from_toml_str(Path::new("metaconnects.toml"), BUNDLED_CODEBOOK)
        .expect("the bundled codebook is valid");
    let options = CodebookOptions { themes: 500, terms: 20, patterns: 40, seed: 7 };
    let text = generate(&options).expect("a generated codebook");
    let generated = Codebook::from_toml_str(Path::new("generated.toml"), &text)
        .expect("the generated codebook is valid");
    let mut group = c.benchmark_group("code");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, codebook) in [("bundled", &bundled), ("generated_500x20", &generated)] {
        let engine = Engine::new(codebook);
        group.bench_function(name, |b| {
            let mut coder = Coder::new(&engine);
            b.iter(|| {
                let mut mentions = 0;
                for turn in &turns {
                    mentions += coder.code(std::hint::black_box(turn)).1.len();
                }
                mentions
            })
        });
    }
    group.finish();
}

criterion_group!(benches, code);
criterion_main!(benches);
