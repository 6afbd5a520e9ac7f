//! Paired slope chart: each person's referral and end-of-support scores joined by a line, with
//! the mean on top. Lines are drawn per distinct (earlier, later) pair with width and opacity
//! by the number of people, which is the exact 2-D density: a million people draw as fast as
//! a hundred, and no person-level data is needed.

use super::{
    draw_note, house_style, label, page_with_title, size, tick, Chart, IMPROVED, INK, NEUTRAL,
    TITLE_SPACE, WIDTH, WORSE,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopeChart {
    /// Title.
    pub title: String,
    /// y-axis description.
    pub y_desc: String,
    /// y range.
    pub y_range: (f64, f64),
    /// (earlier, later, count).
    pub transitions: Vec<(f64, f64, u64)>,
    /// Mean (earlier, later).
    pub means: Option<(f64, f64)>,
    /// Whether a fall is an improvement.
    pub lower_is_better: bool,
    /// Note under the chart.
    pub note: String,
}

impl Chart for SlopeChart {
    fn file_stem(&self) -> String {
        "slopes".into()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 820)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let (body, footer) = root.split_vertically(780);
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .margin_top(TITLE_SPACE)
            .margin_left(60)
            .margin_right(60)
            .x_label_area_size(64)
            .y_label_area_size(96)
            .build_cartesian_2d(-0.08f64..1.08f64, self.y_range.0..self.y_range.1)?;
        house_style(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_labels(2)
            .x_label_formatter(&|x| match x.round() as i32 {
                0 if x.abs() < 1e-9 => "Referral (pre)".into(),
                1 if (x - 1.0).abs() < 1e-9 => "End of support (post)".into(),
                _ => String::new(),
            })
            .y_label_formatter(&tick)
            .y_desc(&self.y_desc)
            .draw()?;
        let most = self
            .transitions
            .iter()
            .map(|t| t.2)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let fit = |v: f64| v.clamp(self.y_range.0, self.y_range.1);
        for &(a, b, count) in &self.transitions {
            let (a, b) = (fit(a), fit(b));
            let share = count as f64 / most;
            let colour = if a == b {
                NEUTRAL
            } else if (b < a) == self.lower_is_better {
                IMPROVED
            } else {
                WORSE
            };
            let style = colour
                .mix(0.15 + 0.6 * share)
                .stroke_width(1 + (share * 9.0).round() as u32);
            chart.draw_series(LineSeries::new(vec![(0.0, a), (1.0, b)], style))?;
        }
        if let Some((a, b)) = self.means.map(|(a, b)| (fit(a), fit(b))) {
            chart.draw_series(LineSeries::new(
                vec![(0.0, a), (1.0, b)],
                INK.stroke_width(6),
            ))?;
            chart.draw_series([(0.0, a), (1.0, b)].map(|p| Circle::new(p, 9, INK.filled())))?;
            let (lx, ly) = chart.backend_coord(&(0.0, a));
            label(
                root,
                &format!("mean {a:.2}"),
                (lx + 16, ly - 14),
                size::LABEL,
                (HPos::Left, VPos::Bottom),
                &INK,
            )?;
            let (rx, ry) = chart.backend_coord(&(1.0, b));
            label(
                root,
                &format!("mean {b:.2}"),
                (rx - 16, ry - 14),
                size::LABEL,
                (HPos::Right, VPos::Bottom),
                &INK,
            )?;
        }
        draw_note(&footer, &self.note, size::NOTE)?;
        Ok(())
    }
}
