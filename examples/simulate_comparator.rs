//! Seeded simulator of a SYNTHETIC matched-comparison study (no real person is in it): a
//! scheme export and a comparator export whose true effect is known.
//!
//! cargo run --release --example simulate_comparator -- [--scheme N] [--comparator N]
//!     [--seed S] [--effect E] [--out DIR]
//!
//! Everyone has an age band, a gender, a trigger group and a latent loneliness; the UCLA-3 at
//! pre and post are that latent level plus noise, rounded and clamped to 3..9. Referral to the
//! scheme is more likely for lonelier people (by their pre score) and in some groups, so the
//! scheme's users differ from the comparator and their scores fall back toward the mean by
//! themselves: a naive pre/post change overstates the effect, matching on the pre score and
//! the groups does not. The scheme lowers the latent post score by --effect (default 1.2).
//! Each scheme user's post score is drawn with and without the scheme from the same noise, so
//! the true effect on the observed scale (the mean difference over scheme users, after
//! rounding and clamping) is known exactly; it is printed, and written to DIR/truth.txt.
//! Writes DIR/scheme.csv and DIR/comparator.csv (default DIR: data/comparator).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const AGE_BANDS: [&str; 4] = ["18-34", "35-54", "55-74", "75+"];
const GENDERS: [&str; 2] = ["female", "male"];
const TRIGGERS: [&str; 5] = [
    "Bereavement",
    "Divorce / separation",
    "Mobility / health",
    "Retirement / no children at home",
    "Young parent (18-24)",
];

/// The simulated study.
pub struct Study {
    /// scheme.csv text.
    pub scheme: String,
    /// comparator.csv text.
    pub comparator: String,
    /// The true effect on the observed post score (and so on change), over scheme users.
    pub true_effect: f64,
    /// The naive difference in mean change (scheme minus comparator, unmatched).
    pub naive: f64,
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn ucla3(x: f64) -> f64 {
    x.round().clamp(3.0, 9.0)
}

/// Simulates people until `scheme` were referred and `comparator` were not.
pub fn simulate(seed: u64, scheme: usize, comparator: usize, effect: f64) -> Study {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let header = "id,location,trigger_group,age_band,gender,pre_score,post_score\n";
    let (mut scheme_csv, mut comparator_csv) = (header.to_string(), header.to_string());
    let (mut n_scheme, mut n_comparator) = (0, 0);
    let (mut truth, mut change_scheme, mut change_comparator) = (0.0, 0.0, 0.0);
    let mut id = 0;
    while n_scheme < scheme || n_comparator < comparator {
        id += 1;
        let age = rng.gen_range(0..AGE_BANDS.len());
        let gender = rng.gen_range(0..GENDERS.len());
        let trigger = rng.gen_range(0..TRIGGERS.len());
        let latent = 6.0 + 0.3 * age as f64 + 0.2 * trigger as f64 + 1.2 * normal(&mut rng);
        let pre = ucla3(latent + 0.9 * normal(&mut rng));
        // Referral depends on the pre score and the groups only (what matching can see).
        let logit = -3.2 + 0.45 * (pre - 6.0) + 0.3 * trigger as f64 - 0.2 * age as f64
            + 0.3 * gender as f64;
        let referred = rng.gen::<f64>() < 1.0 / (1.0 + (-logit).exp());
        let noise = 0.9 * normal(&mut rng);
        let post_without = ucla3(latent + noise);
        let post_with = ucla3(latent - effect + noise);
        let full = if referred {
            n_scheme >= scheme
        } else {
            n_comparator >= comparator
        };
        if full {
            continue;
        }
        let post = if referred { post_with } else { post_without };
        let row = format!(
            "{}{:06},Area {},{},{},{},{},{}\n",
            if referred { "S" } else { "C" },
            id,
            1 + id % 7,
            TRIGGERS[trigger],
            AGE_BANDS[age],
            GENDERS[gender],
            pre,
            post
        );
        if referred {
            n_scheme += 1;
            truth += post_with - post_without;
            change_scheme += post - pre;
            scheme_csv.push_str(&row);
        } else {
            n_comparator += 1;
            change_comparator += post - pre;
            comparator_csv.push_str(&row);
        }
    }
    Study {
        scheme: scheme_csv,
        comparator: comparator_csv,
        true_effect: truth / scheme as f64,
        naive: change_scheme / scheme as f64 - change_comparator / comparator as f64,
    }
}

#[allow(dead_code)] // the tests include this file for `simulate`
fn main() {
    let mut args = std::env::args().skip(1);
    let (mut scheme, mut comparator, mut seed, mut effect) = (600, 2400, 20_240_601u64, 1.2);
    let mut out = std::path::PathBuf::from("data/comparator");
    while let Some(a) = args.next() {
        let value = args.next().unwrap_or_else(|| {
            eprintln!("simulate_comparator: {a} needs a value");
            std::process::exit(2)
        });
        let bad = |e: &dyn std::fmt::Display| -> ! {
            eprintln!("simulate_comparator: {a} {value}: {e}");
            std::process::exit(2)
        };
        match a.as_str() {
            "--scheme" => scheme = value.parse().unwrap_or_else(|e| bad(&e)),
            "--comparator" => comparator = value.parse().unwrap_or_else(|e| bad(&e)),
            "--seed" => seed = value.parse().unwrap_or_else(|e| bad(&e)),
            "--effect" => effect = value.parse().unwrap_or_else(|e| bad(&e)),
            "--out" => out = value.into(),
            other => {
                eprintln!("simulate_comparator: unknown argument {other}");
                std::process::exit(2)
            }
        }
    }
    let study = simulate(seed, scheme, comparator, effect);
    let write = |name: &str, text: &str| {
        if let Err(e) =
            std::fs::create_dir_all(&out).and_then(|()| std::fs::write(out.join(name), text))
        {
            eprintln!("simulate_comparator: {}: {e}", out.join(name).display());
            std::process::exit(1)
        }
    };
    write("scheme.csv", &study.scheme);
    write("comparator.csv", &study.comparator);
    let truth = format!(
        "true effect of the scheme on change (observed UCLA-3 scale, mean over scheme users): {:.4}\nnaive difference in mean change (unmatched): {:.4}\n",
        study.true_effect, study.naive
    );
    write("truth.txt", &truth);
    print!("{truth}");
}
