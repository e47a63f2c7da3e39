//! The whole pipeline through the library, as `qualkit analyze` runs it: read a 5 MB
//! generated corpus in every format, code it with the bundled codebook, aggregate, and write
//! every report into a temporary folder. Run with `cargo bench --bench pipeline`; see
//! BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qualkit::cli::analyze::{execute, Config};
use qualkit::cli::input::Input;
use qualkit::code::CodingOptions;
use qualkit::report::ReportOptions;
use qualkit::summary::units::Unit;
use qualkit_bench::corpus::{generate, CorpusOptions, Vocabulary, BUNDLED_CODEBOOK};
use qualkit_bench::FileFormat;

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let corpus = dir.path().join("corpus");
    let options = CorpusOptions { bytes: 5_000_000, seed: 7, formats: FileFormat::ALL.to_vec() };
    let summary = generate(&corpus, &options, &Vocabulary::bundled()).expect("a corpus");
    let codebook = dir.path().join("metaconnects.toml");
    std::fs::write(&codebook, BUNDLED_CODEBOOK).expect("the codebook is written");
    let config = Config {
        paths: vec![corpus],
        codebook,
        coding: CodingOptions::default(),
        unit: Unit::Turn,
        compare: None,
        report: ReportOptions { force: true, ..ReportOptions::new(dir.path().join("reports")) },
        quiet: true,
        input: Input::default(),
        recorded: Default::default(),
        command_line: Vec::new(),
    };
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(summary.bytes));
    group.sample_size(10);
    group.bench_function("analyze_5mb_bundled", |b| {
        b.iter(|| execute(&config).expect("the pipeline runs").summary.mention_count())
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
