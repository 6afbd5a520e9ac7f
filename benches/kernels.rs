//! Benchmarks of the statistical kernels that dominate `analyse` on large inputs:
//! `cargo bench --bench kernels`. Whole-process timings against pandas + SciPy are in
//! scripts/bench.sh.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use loneliness_eval::analyses::comparisons::compare_groups;
use loneliness_eval::analyses::AnalysisOptions;
use loneliness_eval::read::GroupColumn;
use loneliness_eval::scale::{Score, Scored};
use loneliness_eval::stats::effect::ncp_interval;
use loneliness_eval::stats::padjust::PAdjust;
use loneliness_eval::stats::paired::{compare_counted, compare_paired, Better};
use loneliness_eval::stats::tally::tally_pairs;
use loneliness_eval::stats::wilcoxon::signed_rank;
use loneliness_eval::summarise::pair_groups;

/// Deterministic pseudo-random UCLA-3-like scores (xorshift), no RNG dependency.
fn scores(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            3.0 + (state % 7) as f64
        })
        .collect()
}

fn wilcoxon(c: &mut Criterion) {
    // 10^6 integer changes: heavy ties, the normal approximation with tie correction.
    let a = scores(1_000_000, 1);
    let b = scores(1_000_000, 2);
    let changes: Vec<f64> = b.iter().zip(&a).map(|(b, a)| b - a).collect();
    c.bench_function("wilcoxon signed rank, 1e6 tied changes", |bench| {
        bench.iter(|| signed_rank(black_box(&changes)))
    });
    c.bench_function(
        "paired comparison from slices (all statistics), 1e6 pairs",
        |bench| {
            bench.iter(|| {
                compare_paired(
                    black_box(&a),
                    black_box(&b),
                    Better::Lower,
                    0.95,
                    Default::default(),
                )
            })
        },
    );
    // What analyse runs: the pairs tallied (49 distinct here), then compared from counts.
    c.bench_function("tally + comparison from counts, 1e6 pairs", |bench| {
        bench.iter(|| {
            compare_counted(
                &tally_pairs(black_box(&a), black_box(&b)),
                Better::Lower,
                0.95,
                Default::default(),
            )
        })
    });
}

fn noncentral_t(c: &mut Criterion) {
    c.bench_function("dz CI, t = 3.2, df = 120 (AS 243)", |bench| {
        bench.iter(|| ncp_interval(black_box(3.2), black_box(120.0), 0.95))
    });
    c.bench_function("dz CI, t = -40, df = 1e6 (quadrature)", |bench| {
        bench.iter(|| ncp_interval(black_box(-40.0), black_box(1e6), 0.95))
    });
}

fn aggregation(c: &mut Criterion) {
    // 10^6 people in 5 trigger groups and 37 locations, three timepoints with gaps.
    let people = 1_000_000;
    let pre = scores(people, 3);
    let post = scores(people, 4);
    let fu = scores(people, 5);
    let scored = Scored {
        scores: [
            pre.iter().map(|&v| Score::Valid(v)).collect(),
            post.iter()
                .enumerate()
                .map(|(i, &v)| {
                    if i % 5 == 0 {
                        Score::Missing
                    } else {
                        Score::Valid(v)
                    }
                })
                .collect(),
            fu.iter()
                .enumerate()
                .map(|(i, &v)| {
                    if i % 3 == 0 {
                        Score::Valid(v)
                    } else {
                        Score::Missing
                    }
                })
                .collect(),
        ],
        problems: Vec::new(),
        item_sums: Default::default(),
    };
    let column = |name: &str, levels: usize| GroupColumn {
        name: name.into(),
        levels: (0..levels).map(|l| format!("group {l:02}")).collect(),
        codes: (0..people).map(|p| ((p * 7919) % levels) as u32).collect(),
    };
    let groups = vec![column("trigger_group", 5), column("location", 37)];
    let options = AnalysisOptions {
        conf_level: 0.95,
        min_cell: 10,
        p_adjust: PAdjust::Holm,
        better: Better::Lower,
        secondary: false,
        wilcoxon: Default::default(),
        ordinal: false,
    };
    c.bench_function("pair + compare, 1e6 people, 2 grouping columns", |bench| {
        bench.iter(|| {
            compare_groups(
                &pair_groups(black_box(&groups), black_box(&scored)),
                &options,
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = wilcoxon, noncentral_t, aggregation
}
criterion_main!(benches);
