//! Love plot: each covariate level's absolute standardised mean difference between the
//! scheme's users and the comparator, before matching (hollow) and after (filled), with the
//! usual 0.1 threshold marked. Rows in balance.csv order.

use super::{
    clamp_axis, draw_note, house_style, label, page_with_title, size, tick, Chart, IMPROVED, INK,
    NEUTRAL, TITLE_SPACE, WIDTH, WORSE,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One covariate level.
#[derive(Debug, Clone, PartialEq)]
pub struct LoveRow {
    /// "age_band: 75+" or "pre_score".
    pub label: String,
    /// |SMD| before matching.
    pub before: Option<f64>,
    /// |SMD| after matching.
    pub after: Option<f64>,
}

/// The chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LovePlot {
    /// Title.
    pub title: String,
    /// Rows, top to bottom.
    pub rows: Vec<LoveRow>,
    /// Note under the chart.
    pub note: String,
}

const ROW_HEIGHT: u32 = 34;
const LABEL_AREA: u32 = 560;
const THRESHOLD: f64 = 0.1;

impl Chart for LovePlot {
    fn file_stem(&self) -> String {
        "love_plot".into()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 290 + ROW_HEIGHT * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let (_, height) = self.size();
        let (body, footer) = root.split_vertically(height - 110);
        let largest = self
            .rows
            .iter()
            .flat_map(|r| [r.before, r.after])
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.25f64, f64::max);
        let x_max = clamp_axis(largest * 1.1);
        let rows = self.rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .margin_right(40)
            .margin_top(TITLE_SPACE)
            .x_label_area_size(70)
            .y_label_area_size(LABEL_AREA)
            .build_cartesian_2d(0f64..x_max, 0f64..rows)?;
        house_style(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("Absolute standardised mean difference (scheme vs comparator)")
            .x_labels(8)
            .x_label_formatter(&tick)
            .draw()?;
        chart.draw_series(LineSeries::new(
            vec![(THRESHOLD, 0.0), (THRESHOLD, rows)],
            WORSE.stroke_width(2),
        ))?;
        for (i, row) in self.rows.iter().enumerate() {
            let y = rows - i as f64 - 0.5;
            let (x, py) = chart.backend_coord(&(0.0, y));
            label(
                root,
                &row.label,
                (x - 12, py),
                size::LABEL,
                (HPos::Right, VPos::Center),
                &INK,
            )?;
            if let (Some(b), Some(a)) = (row.before, row.after) {
                chart.draw_series(LineSeries::new(
                    vec![(b.min(x_max), y), (a.min(x_max), y)],
                    NEUTRAL.stroke_width(2),
                ))?;
            }
            if let Some(b) = row.before {
                chart.draw_series(std::iter::once(Circle::new(
                    (b.min(x_max), y),
                    8,
                    NEUTRAL.stroke_width(3),
                )))?;
            }
            if let Some(a) = row.after {
                chart.draw_series(std::iter::once(Circle::new(
                    (a.min(x_max), y),
                    8,
                    IMPROVED.filled(),
                )))?;
            }
        }
        let (legend, note) = footer.split_vertically(50);
        legend.draw(&Circle::new((40, 26), 8, NEUTRAL.stroke_width(3)))?;
        label(
            &legend,
            "Before matching",
            (58, 26),
            size::LABEL,
            (HPos::Left, VPos::Center),
            &INK,
        )?;
        legend.draw(&Circle::new((340, 26), 8, IMPROVED.filled()))?;
        label(
            &legend,
            "After matching",
            (358, 26),
            size::LABEL,
            (HPos::Left, VPos::Center),
            &INK,
        )?;
        legend.draw(&PathElement::new(
            vec![(620, 14), (620, 38)],
            WORSE.stroke_width(2),
        ))?;
        label(
            &legend,
            "0.1: balance threshold",
            (636, 26),
            size::LABEL,
            (HPos::Left, VPos::Center),
            &INK,
        )?;
        draw_note(&note, &self.note, size::NOTE)?;
        Ok(())
    }
}
