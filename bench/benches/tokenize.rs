//! The tokenizer on 1 MB of generated transcript text (turn by turn, as the coder sees it).
//! Run with `cargo bench --bench tokenize`; see BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qualkit::tokenize::tokenize_into;
use qualkit_bench::corpus::{sample_turns, Vocabulary};

fn tokenize(c: &mut Criterion) {
    let turns = sample_turns(&Vocabulary::bundled(), 7, 1_000_000);
    let bytes: usize = turns.iter().map(String::len).sum();
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("1mb_turns", |b| {
        let mut ranges = Vec::new();
        b.iter(|| {
            let mut tokens = 0;
            for turn in &turns {
                ranges.clear();
                tokenize_into(std::hint::black_box(turn), &mut ranges);
                tokens += ranges.len();
            }
            tokens
        })
    });
    group.finish();
}

criterion_group!(benches, tokenize);
criterion_main!(benches);
