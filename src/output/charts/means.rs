//! Mean score with its confidence interval at referral, end of support and follow-up, for the
//! whole sample and one line per group: the "did it last?" picture.

use super::{
    draw_note, house_style, label, page_with_title, size, tick, Chart, Estimate, INK, PALETTE,
    TITLE_SPACE, WIDTH,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One line: a mean (with CI) per timepoint; `None` where suppressed or missing.
#[derive(Debug, Clone, PartialEq)]
pub struct MeansSeries {
    /// Legend label.
    pub label: String,
    /// (mean, ci_low, ci_high) at pre, post, follow-up.
    pub points: [Option<Estimate>; 3],
}

/// The chart.
#[derive(Debug, Clone, PartialEq)]
pub struct MeansChart {
    /// File name without extension (`means`, `model_means`).
    pub stem: String,
    /// Title.
    pub title: String,
    /// y-axis description.
    pub y_desc: String,
    /// y range (the scale's range of totals).
    pub y_range: (f64, f64),
    /// Whole sample first, then groups.
    pub series: Vec<MeansSeries>,
    /// Note under the chart.
    pub note: String,
}

const TIMEPOINTS: [&str; 3] = ["Referral (pre)", "End of support (post)", "Follow-up"];
/// Legend entries per row under the plot (long group names need the width).
const LEGEND_COLUMNS: usize = 2;

impl Chart for MeansChart {
    fn file_stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        (
            WIDTH,
            760 + 44 * self.series.len().div_ceil(LEGEND_COLUMNS) as u32 + 50,
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let (_, height) = self.size();
        let (body, footer) = root.split_vertically(height - 50);
        let (plot, legend) = body.split_vertically(760);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .margin_top(TITLE_SPACE)
            .x_label_area_size(64)
            .y_label_area_size(96)
            .build_cartesian_2d(-0.35f64..2.35f64, self.y_range.0..self.y_range.1)?;
        house_style(&mut chart.configure_mesh())
            .x_labels(3)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-9 && (0.0..=2.0).contains(&i) {
                    TIMEPOINTS[i as usize].to_string()
                } else {
                    String::new()
                }
            })
            .disable_x_mesh()
            .y_label_formatter(&tick)
            .y_desc(&self.y_desc)
            .draw()?;
        let count = self.series.len().max(1) as f64;
        for (k, series) in self.series.iter().enumerate() {
            let colour = if k == 0 {
                INK
            } else {
                PALETTE[(k - 1) % PALETTE.len()]
            };
            let width = if k == 0 { 4 } else { 2 };
            // Dodge series sideways so intervals do not hide each other.
            let dodge = (k as f64 - (count - 1.0) / 2.0) * 0.035;
            let points: Vec<(f64, f64, Option<f64>, Option<f64>)> = series
                .points
                .iter()
                .enumerate()
                .filter_map(|(t, p)| {
                    let fit = |v: f64| v.clamp(self.y_range.0, self.y_range.1);
                    p.map(|(m, lo, hi)| (t as f64 + dodge, fit(m), lo.map(fit), hi.map(fit)))
                })
                .collect();
            chart.draw_series(LineSeries::new(
                points.iter().map(|p| (p.0, p.1)),
                colour.stroke_width(width),
            ))?;
            for &(x, m, lo, hi) in &points {
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    chart.draw_series(std::iter::once(ErrorBar::new_vertical(
                        x,
                        lo,
                        m,
                        hi,
                        colour.stroke_width(2),
                        10,
                    )))?;
                }
                chart.draw_series(std::iter::once(Circle::new(
                    (x, m),
                    if k == 0 { 7 } else { 5 },
                    colour.filled(),
                )))?;
            }
            let (row, column) = ((k / LEGEND_COLUMNS) as i32, (k % LEGEND_COLUMNS) as i32);
            let (x, y) = (110 + 540 * column, 22 + 44 * row);
            legend.draw(&PathElement::new(
                vec![(x, y), (x + 44, y)],
                colour.stroke_width(width),
            ))?;
            label(
                &legend,
                &series.label,
                (x + 56, y),
                size::LABEL,
                (HPos::Left, VPos::Center),
                &INK,
            )?;
        }
        draw_note(&footer, &self.note, size::NOTE)?;
        Ok(())
    }
}
