//! Seeded simulator of a SYNTHETIC social-prescribing export (no real person is in it).
//!
//! cargo run --release --example simulate -- [--people N] [--seed S] [--layout wide|long]
//!     [--items] [--clean] [--dates] [--out FILE]
//!
//! People are referred in 37 UK locations under five trigger groups, answer the UCLA-3 at
//! referral, most again at the end of about 12 weeks of support, and about a third at a
//! three-month follow-up, where part of the gain has faded. Unless --clean, a few dirty rows
//! are mixed in the way real exports have them: missing codes, an out-of-range score, text in
//! a score column, a repeated id, a blank trigger group and a row with a missing field.
//! With --dates each assessment has a date (wide: pre_date, post_date, followup_date; long:
//! assessment_date), ISO: referrals over two years from April 2022, the end of support about
//! 12 weeks later, the follow-up about three months after that. Dates come from their own
//! random stream, so the scores are those of the same seed without --dates.
//! The same seed always gives the same bytes (ChaCha8, independent of platform).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{BufWriter, Write};

const LOCATIONS: [&str; 37] = [
    "Aberdeen",
    "Belfast",
    "Birmingham",
    "Bradford",
    "Brighton & Hove",
    "Bristol",
    "Cardiff",
    "Carlisle",
    "Cornwall",
    "Coventry",
    "Derry~Londonderry",
    "Dundee",
    "Edinburgh",
    "Exeter",
    "Glasgow",
    "Gwynedd",
    "Hull",
    "Inverness",
    "Leeds",
    "Leicester",
    "Lincoln",
    "Liverpool",
    "London - Camden",
    "London - Croydon",
    "Manchester",
    "Newcastle upon Tyne",
    "Newry, Mourne & Down",
    "Norwich",
    "Nottingham",
    "Oxford",
    "Plymouth",
    "Sheffield",
    "Southampton",
    "Stoke-on-Trent",
    "Swansea",
    "Wrexham",
    "York",
];

/// (name, share of referrals, mean pre -> post change on UCLA-3)
const TRIGGERS: [(&str, f64, f64); 5] = [
    ("Bereavement", 0.24, -1.4),
    ("Retirement / no children at home", 0.27, -1.0),
    ("Young parent (18-24)", 0.09, -0.9),
    ("Divorce / separation", 0.15, -1.1),
    ("Mobility / health", 0.25, -0.8),
];

struct Options {
    people: usize,
    seed: u64,
    long: bool,
    items: bool,
    clean: bool,
    dates: bool,
    out: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        people: 3000,
        seed: 20_161_031,
        long: false,
        items: false,
        clean: false,
        dates: false,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--people" => {
                o.people = value("--people")?
                    .parse()
                    .map_err(|e| format!("--people: {e}"))?
            }
            "--seed" => {
                o.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--layout" => o.long = value("--layout")? == "long",
            "--items" => o.items = true,
            "--clean" => o.clean = true,
            "--dates" => o.dates = true,
            "--out" => o.out = Some(value("--out")?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller; enough for simulated scores.
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn ucla3(x: f64) -> u8 {
    x.round().clamp(3.0, 9.0) as u8
}

/// Three item responses (1-3) summing to `total` (3-9).
fn items_for(total: u8, rng: &mut ChaCha8Rng) -> [u8; 3] {
    let mut items = [1u8; 3];
    let mut left = total - 3;
    while left > 0 {
        let k = rng.gen_range(0..3);
        if items[k] < 3 {
            items[k] += 1;
            left -= 1;
        }
    }
    items
}

struct Person {
    id: String,
    location: &'static str,
    trigger: &'static str,
    scores: [Option<u8>; 3],
    /// Each assessment's date as ISO text (empty without a score there, or without --dates).
    dates: [String; 3],
}

fn simulate(o: &Options, rng: &mut ChaCha8Rng) -> Vec<Person> {
    // Locations differ in size: weights 1..=4.
    let weights: Vec<f64> = (0..LOCATIONS.len())
        .map(|i| 1.0 + (i * 7 % 4) as f64)
        .collect();
    let total_weight: f64 = weights.iter().sum();
    (0..o.people)
        .map(|i| {
            let mut pick = rng.gen::<f64>() * total_weight;
            let mut location = LOCATIONS[LOCATIONS.len() - 1];
            for (l, w) in LOCATIONS.iter().zip(&weights) {
                if pick < *w {
                    location = l;
                    break;
                }
                pick -= w;
            }
            let mut pick = rng.gen::<f64>();
            let mut trigger = TRIGGERS[TRIGGERS.len() - 1];
            for t in TRIGGERS {
                if pick < t.1 {
                    trigger = t;
                    break;
                }
                pick -= t.1;
            }
            let pre_latent = 7.0 + 1.3 * normal(rng);
            let pre = ucla3(pre_latent);
            let completed = rng.gen::<f64>() < 0.82;
            let post_latent = pre_latent + trigger.2 + 1.1 * normal(rng);
            let post = completed.then(|| ucla3(post_latent));
            let followed = completed && rng.gen::<f64>() < 0.35;
            // Part of the gain fades after support ends.
            let followup = followed.then(|| ucla3(post_latent + 0.45 + 1.0 * normal(rng)));
            Person {
                id: format!("SU{:06}", 100_000 + i),
                location,
                trigger: trigger.0,
                scores: [Some(pre), post, followup],
                dates: Default::default(),
            }
        })
        .collect()
}

/// Dates for every assessment a person has, from a random stream of their own.
fn add_dates(people: &mut [Person], seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0da7_e5da_7e5d_a7e5);
    // 2022-04-01 as days since 1970-01-01.
    const START: i64 = 19_083;
    for p in people {
        let referral = START + rng.gen_range(0..731);
        let end = referral + (84.0 + 14.0 * normal(&mut rng)).round().max(28.0) as i64;
        let followup = end + (91.0 + 20.0 * normal(&mut rng)).round().max(30.0) as i64;
        for (t, day) in [referral, end, followup].into_iter().enumerate() {
            if p.scores[t].is_some() {
                p.dates[t] = iso_date(day);
            }
        }
    }
}

/// `days` since 1970-01-01 as `yyyy-mm-dd` (Howard Hinnant's civil-from-days).
fn iso_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("simulate: {e}");
            std::process::exit(2);
        }
    };
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    let mut people = simulate(&o, &mut rng);
    if o.dates {
        add_dates(&mut people, o.seed);
    }
    let sink: Box<dyn Write> = match &o.out {
        Some(path) => Box::new(std::fs::File::create(path).unwrap_or_else(|e| {
            eprintln!("simulate: {path}: {e}");
            std::process::exit(1);
        })),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::new(sink);
    if let Err(e) = write(&mut w, &o, &people, &mut rng) {
        eprintln!("simulate: {e}");
        std::process::exit(1);
    }
}

fn write(
    w: &mut impl Write,
    o: &Options,
    people: &[Person],
    rng: &mut ChaCha8Rng,
) -> std::io::Result<()> {
    let tps = ["pre", "post", "followup"];
    let score_text = |s: Option<u8>| s.map(|v| v.to_string()).unwrap_or_default();
    let mut lines: Vec<String> = Vec::new();
    if o.long {
        let value_header = if o.items { "q1,q2,q3" } else { "score" };
        let date_header = if o.dates { ",assessment_date" } else { "" };
        writeln!(
            w,
            "id,location,trigger_group,timepoint,{value_header}{date_header}"
        )?;
        for p in people {
            for ((tp, s), date) in tps.iter().zip(p.scores).zip(&p.dates) {
                let Some(s) = s else { continue };
                let value = if o.items {
                    items_for(s, rng).map(|v| v.to_string()).join(",")
                } else {
                    s.to_string()
                };
                let date = if o.dates {
                    format!(",{date}")
                } else {
                    String::new()
                };
                lines.push(format!(
                    "{},{},{},{tp},{value}{date}",
                    p.id,
                    quote(p.location),
                    quote(p.trigger)
                ));
            }
        }
    } else {
        let header: Vec<String> = if o.items {
            tps.iter()
                .flat_map(|tp| (1..=3).map(move |k| format!("{tp}_q{k}")))
                .collect()
        } else {
            tps.iter().map(|tp| format!("{tp}_score")).collect()
        };
        let date_header = if o.dates {
            ",pre_date,post_date,followup_date"
        } else {
            ""
        };
        writeln!(
            w,
            "id,location,trigger_group,{}{date_header}",
            header.join(",")
        )?;
        for p in people {
            let values: Vec<String> = if o.items {
                p.scores
                    .iter()
                    .map(|s| match s {
                        Some(s) => items_for(*s, rng).map(|v| v.to_string()).join(","),
                        None => ",,".to_string(),
                    })
                    .collect()
            } else {
                p.scores.iter().map(|s| score_text(*s)).collect()
            };
            lines.push(format!(
                "{},{},{},{}",
                p.id,
                quote(p.location),
                quote(p.trigger),
                values.join(",")
            ));
        }
    }
    if !o.clean && !o.long && !o.items && people.len() >= 20 {
        // Dirty rows of the kinds real exports contain, each counted in the flow by analyse.
        lines[3] = lines[3].replacen(",,", ",NA,", 1);
        let p = &people[5];
        lines[5] = format!(
            "{},{},{},-99,{},",
            p.id,
            quote(p.location),
            quote(p.trigger),
            score_text(p.scores[1])
        );
        let p = &people[8];
        lines[8] = format!(
            "{},{},{},12,{},",
            p.id,
            quote(p.location),
            quote(p.trigger),
            score_text(p.scores[1])
        );
        let p = &people[11];
        lines[11] = format!(
            "{},{},{},seven,5,",
            p.id,
            quote(p.location),
            quote(p.trigger)
        );
        let p = &people[14];
        lines[14] = format!(
            "{},{},,{},{},",
            p.id,
            quote(p.location),
            score_text(p.scores[0]),
            score_text(p.scores[1])
        );
        let p = &people[17];
        lines[17] = format!(
            "{},{},{},{}",
            p.id,
            quote(p.location),
            quote(p.trigger),
            score_text(p.scores[0])
        );
        lines.push(lines[2].clone());
    }
    if o.dates && !o.long {
        // Each person's dates after their scores (the repeated row repeats person 2's).
        let people_lines = people.len();
        for (i, line) in lines.iter_mut().enumerate() {
            let p = &people[if i < people_lines { i } else { 2 }];
            line.push(',');
            line.push_str(&p.dates.join(","));
        }
    }
    if !o.clean && !o.long && !o.items && people.len() >= 20 {
        lines.push(String::new());
    }
    for line in lines {
        writeln!(w, "{line}")?;
    }
    w.flush()
}
