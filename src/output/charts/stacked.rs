//! Shares of people per group as 100% stacked horizontal bars: reliably better, no reliable
//! change, reliably worse (reliable_change.csv). Whole sample first, then groups.

use super::{
    draw_note, house_style, label, page_with_title, size, Chart, IMPROVED, INK, NEUTRAL,
    TITLE_SPACE, WIDTH, WORSE,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One bar: a label with its n, and the three shares in percent, or none when withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedRow {
    /// Group name.
    pub label: String,
    /// People in the bar.
    pub n: Option<u64>,
    /// (better, no change, worse) in percent; `None` when suppressed.
    pub shares: Option<[f64; 3]>,
}

/// The chart.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedChart {
    /// File name without extension.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Names of the three parts, in order (better, no change, worse).
    pub parts: [String; 3],
    /// Bars, top to bottom.
    pub rows: Vec<StackedRow>,
    /// Text for a withheld bar.
    pub suppressed_text: String,
    /// Note under the chart.
    pub note: String,
}

const ROW_HEIGHT: u32 = 48;
const LABEL_AREA: u32 = 540;

impl Chart for StackedChart {
    fn file_stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, 300 + ROW_HEIGHT * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        page_with_title(root, &self.title)?;
        let (_, height) = self.size();
        let (body, footer) = root.split_vertically(height - 110);
        let rows = self.rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .margin_right(40)
            .margin_top(TITLE_SPACE)
            .x_label_area_size(70)
            .y_label_area_size(LABEL_AREA)
            .build_cartesian_2d(0f64..100f64, 0f64..rows)?;
        house_style(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("Percent of people")
            .x_labels(11)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        let colours = [IMPROVED, NEUTRAL, WORSE];
        for (i, row) in self.rows.iter().enumerate() {
            // Row i from the top.
            let y_top = rows - i as f64 - 0.15;
            let y_bottom = rows - i as f64 - 0.85;
            let text = match row.n {
                Some(n) => format!("{} (n = {n})", row.label),
                None => row.label.clone(),
            };
            let (x, y) = chart.backend_coord(&(0.0, rows - i as f64 - 0.5));
            label(
                root,
                &text,
                (x - 12, y),
                size::LABEL,
                (HPos::Right, VPos::Center),
                &INK,
            )?;
            let Some(shares) = row.shares else {
                let (x, y) = chart.backend_coord(&(1.0, rows - i as f64 - 0.5));
                label(
                    root,
                    &self.suppressed_text,
                    (x, y),
                    size::LABEL,
                    (HPos::Left, VPos::Center),
                    &NEUTRAL,
                )?;
                continue;
            };
            let mut start = 0.0;
            for (share, colour) in shares.iter().zip(colours) {
                let end = (start + share).min(100.0);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(start, y_bottom), (end, y_top)],
                    colour.filled(),
                )))?;
                start = end;
            }
        }
        // Legend in the footer, then the note.
        let (legend, note) = footer.split_vertically(50);
        let mut x = 24;
        for (part, colour) in self.parts.iter().zip(colours) {
            legend.draw(&Rectangle::new([(x, 14), (x + 28, 38)], colour.filled()))?;
            label(
                &legend,
                part,
                (x + 38, 26),
                size::LABEL,
                (HPos::Left, VPos::Center),
                &INK,
            )?;
            x += 380;
        }
        draw_note(&note, &self.note, size::NOTE)?;
        Ok(())
    }
}
