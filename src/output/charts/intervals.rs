//! Dot-and-whisker charts with one row per group: the forest plot of mean change and the
//! percent improved with Wilson intervals. Rows are sorted by estimate, suppressed groups are
//! listed at the bottom as such (never silently dropped), and n stands beside each row.

use super::{
    clamp_axis, draw_note, house_style, label, page_with_title, size, tick, Chart, Estimate,
    IMPROVED, INK, NEUTRAL, TITLE_SPACE, WIDTH,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One group.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Group name.
    pub label: String,
    /// People (`None` when suppressed).
    pub n: Option<u64>,
    /// (estimate, low, high); `None` when suppressed or not available.
    pub estimate: Option<Estimate>,
    /// Whether the group is withheld for disclosure control.
    pub suppressed: bool,
}

/// A dot-and-whisker chart.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalChart {
    /// File name without extension.
    pub stem: String,
    /// Title.
    pub title: String,
    /// x-axis description.
    pub x_desc: String,
    /// Rows in any order (sorted when drawn).
    pub rows: Vec<IntervalRow>,
    /// Whole-sample estimate, drawn as a dashed reference line.
    pub overall: Option<f64>,
    /// Fixed x range (e.g. 0-100 for percentages); else from the data, including 0.
    pub x_range: Option<(f64, f64)>,
    /// Sort estimates from high to low (else low to high), so the better end is on top.
    pub higher_first: bool,
    /// Text for suppressed rows ("suppressed (n < 10)").
    pub suppressed_text: String,
    /// Note under the chart.
    pub note: String,
}

const ROW_HEIGHT: u32 = 38;
const LABEL_WIDTH: u32 = 400;
const N_WIDTH: u32 = 130;

impl IntervalChart {
    /// Rows as drawn: estimates in order (see `higher_first`), then rows without one, then
    /// suppressed rows.
    pub fn sorted_rows(&self) -> Vec<&IntervalRow> {
        let mut rows: Vec<&IntervalRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            let key = |r: &IntervalRow| match (r.suppressed, r.estimate) {
                (false, Some((e, _, _))) => (0, e),
                (false, None) => (1, 0.0),
                (true, _) => (2, 0.0),
            };
            let (ka, kb) = (key(a), key(b));
            let by_estimate = if self.higher_first {
                kb.1.total_cmp(&ka.1)
            } else {
                ka.1.total_cmp(&kb.1)
            };
            ka.0.cmp(&kb.0)
                .then(by_estimate)
                .then(a.label.cmp(&b.label))
        });
        rows
    }

    fn x_bounds(&self) -> (f64, f64) {
        if let Some(r) = self.x_range {
            return r;
        }
        let mut lo: f64 = 0.0;
        let mut hi: f64 = 0.0;
        for (e, l, h) in self.rows.iter().filter_map(|r| r.estimate) {
            lo = lo.min(l.unwrap_or(e)).min(e);
            hi = hi.max(h.unwrap_or(e)).max(e);
        }
        if let Some(o) = self.overall {
            lo = lo.min(o);
            hi = hi.max(o);
        }
        let pad = ((hi / 2.0 - lo / 2.0) * 0.12).max(0.05);
        let (lo, hi) = (clamp_axis(lo - pad), clamp_axis(hi + pad));
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        }
    }
}

impl Chart for IntervalChart {
    fn file_stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 210 + ROW_HEIGHT * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let rows = self.sorted_rows();
        let n_rows = rows.len().max(1) as f64;
        let (x0, x1) = self.x_bounds();
        let (_, height) = self.size();
        let (body, footer) = root.split_vertically(height - 40);
        let mut chart = ChartBuilder::on(&body)
            .margin_top(TITLE_SPACE)
            .margin_left(LABEL_WIDTH)
            .margin_right(N_WIDTH)
            .x_label_area_size(76)
            .build_cartesian_2d(x0..x1, (-0.6f64)..(n_rows - 0.4))?;
        house_style(&mut chart.configure_mesh())
            .disable_y_mesh()
            .disable_y_axis()
            .y_labels(0)
            .x_labels(8)
            .x_label_formatter(&tick)
            .x_desc(&self.x_desc)
            .draw()?;
        let y_of = |i: usize| n_rows - 1.0 - i as f64;
        // Zero and the whole-sample estimate as references.
        if x0 < 0.0 && x1 > 0.0 {
            chart.draw_series(LineSeries::new(
                vec![(0.0, -0.6), (0.0, n_rows - 0.4)],
                NEUTRAL.stroke_width(2),
            ))?;
        }
        if let Some(o) = self.overall.map(|o| o.clamp(x0, x1)) {
            chart.draw_series(DashedLineSeries::new(
                vec![(o, -0.6), (o, n_rows - 0.4)],
                10,
                6,
                INK.stroke_width(2),
            ))?;
        }
        for (i, row) in rows.iter().enumerate() {
            let y = y_of(i);
            let (_, py) = chart.backend_coord(&(x0, y));
            let (left, _) = chart.backend_coord(&(x0, y));
            let (right, _) = chart.backend_coord(&(x1, y));
            label(
                root,
                &row.label,
                (left - 12, py),
                size::LABEL,
                (HPos::Right, VPos::Center),
                &INK,
            )?;
            let n_text = row.n.map(|n| format!("n = {n}")).unwrap_or_default();
            label(
                root,
                &n_text,
                (right + 12, py),
                size::LABEL,
                (HPos::Left, VPos::Center),
                &INK,
            )?;
            match (row.suppressed, row.estimate) {
                (true, _) => {
                    label(
                        root,
                        &self.suppressed_text,
                        (left + 12, py),
                        size::LABEL,
                        (HPos::Left, VPos::Center),
                        &NEUTRAL,
                    )?;
                }
                (false, None) => {
                    label(
                        root,
                        "not available",
                        (left + 12, py),
                        size::LABEL,
                        (HPos::Left, VPos::Center),
                        &NEUTRAL,
                    )?;
                }
                (false, Some((e, lo, hi))) => {
                    // Marks beyond a clamped axis are drawn at its edge.
                    let fit = |v: f64| v.clamp(x0, x1);
                    let (e, lo, hi) = (fit(e), lo.map(fit), hi.map(fit));
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        chart.draw_series(std::iter::once(ErrorBar::new_horizontal(
                            y,
                            lo,
                            e,
                            hi,
                            IMPROVED.stroke_width(3),
                            12,
                        )))?;
                    }
                    chart.draw_series(std::iter::once(Circle::new(
                        (e, y),
                        7,
                        IMPROVED.filled(),
                    )))?;
                }
            }
        }
        draw_note(&footer, &self.note, size::NOTE)?;
        Ok(())
    }
}
