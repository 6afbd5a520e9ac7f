//! Distribution of individual change from referral to the end of support, with zero marked and
//! the shares improved / unchanged / worse.

use super::{
    clamp_axis, draw_note, house_style, page_with_title, size, tick, Chart, IMPROVED, INK, NEUTRAL,
    TITLE_SPACE, WIDTH, WORSE,
};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeHistogram {
    /// Title.
    pub title: String,
    /// x-axis description.
    pub x_desc: String,
    /// (low, high, count): the changes `low..=high` when `discrete`, else bin edges.
    pub bins: Vec<(f64, f64, u64)>,
    /// Whether changes are whole numbers (bars then span ±0.4 around them).
    pub discrete: bool,
    /// Whether a negative change is an improvement.
    pub lower_is_better: bool,
    /// "Improved 66.6% · Unchanged 20.1% · Worse 13.3%".
    pub shares: String,
}

impl Chart for ChangeHistogram {
    fn file_stem(&self) -> String {
        "change_histogram".into()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 800)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let (body, footer) = root.split_vertically(750);
        let half = |_: &(f64, f64, u64)| if self.discrete { 0.4 } else { 0.0 };
        let x0 = self
            .bins
            .iter()
            .map(|b| b.0 - half(b))
            .fold(-1.0f64, f64::min)
            - 0.3;
        let x0 = clamp_axis(x0);
        let x1 = self
            .bins
            .iter()
            .map(|b| b.1 + half(b))
            .fold(1.0f64, f64::max)
            + 0.3;
        let x1 = clamp_axis(x1);
        let top = self.bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64 * 1.1;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .margin_top(TITLE_SPACE)
            .x_label_area_size(76)
            .y_label_area_size(110)
            .build_cartesian_2d(x0..x1, 0f64..top)?;
        house_style(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_desc(&self.x_desc)
            .y_desc("People")
            .x_labels(12)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()?;
        for b in &self.bins {
            let mid = (b.0 + b.1) / 2.0;
            let colour = if mid == 0.0 {
                NEUTRAL
            } else if (mid < 0.0) == self.lower_is_better {
                IMPROVED
            } else {
                WORSE
            };
            let (lo, hi) = ((b.0 - half(b)).clamp(x0, x1), (b.1 + half(b)).clamp(x0, x1));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(lo, 0.0), (hi, b.2 as f64)],
                colour.filled(),
            )))?;
        }
        chart.draw_series(LineSeries::new(
            vec![(0.0, 0.0), (0.0, top)],
            INK.stroke_width(2),
        ))?;
        draw_note(&footer, &self.shares, size::LABEL)?;
        Ok(())
    }
}
