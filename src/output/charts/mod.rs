//! Charts for reports, drawn with plotters from a results folder. Each chart is data plus a
//! `draw` over any plotters backend, rendered to SVG (text as text) and PNG (text rasterised
//! with the Liberation Sans font shipped in assets/fonts, so no system font is needed and the
//! same results give the same bytes).

mod histogram;
mod intervals;
mod love;
mod means;
mod slopes;
mod stacked;

pub use histogram::ChangeHistogram;
pub use intervals::{IntervalChart, IntervalRow};
pub use love::{LovePlot, LoveRow};
pub use means::{MeansChart, MeansSeries};
pub use slopes::SlopeChart;
pub use stacked::{StackedChart, StackedRow};

use plotters::coord::Shift;
use plotters::prelude::*;
use std::sync::Once;

/// An estimate with its confidence interval, when there is one.
pub type Estimate = (f64, Option<f64>, Option<f64>);

/// Font family name every chart uses; registered once with the shipped font.
pub const FONT: &str = "sans-serif";

/// Okabe-Ito palette: distinguishable with the common colour-vision deficiencies and in grey.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];
/// Colour for improvement (blue) in every chart.
pub const IMPROVED: RGBColor = RGBColor(0, 114, 178);
/// Colour for worsening (vermillion).
pub const WORSE: RGBColor = RGBColor(213, 94, 0);
/// Colour for no change and reference lines.
pub const NEUTRAL: RGBColor = RGBColor(150, 150, 150);
/// Text and overall series.
pub const INK: RGBColor = RGBColor(30, 30, 30);

/// Font sizes on the 1200-pixel-wide canvas (plotters draws glyphs at 1/1.24 of these), chosen
/// so labels stay legible when a chart is printed at half size.
pub mod size {
    /// Chart title.
    pub const TITLE: u32 = 36;
    /// Axis descriptions.
    pub const AXIS: u32 = 28;
    /// Tick labels, row labels, legend.
    pub const LABEL: u32 = 26;
    /// Notes under the plot.
    pub const NOTE: u32 = 24;
}

/// Canvas width of every chart.
pub const WIDTH: u32 = 1200;

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let regular: &'static [u8] =
            include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
        let bold: &'static [u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
        // The fonts are compiled in and tested; failure here would be a build defect.
        if plotters::style::register_font(FONT, FontStyle::Normal, regular).is_err()
            || plotters::style::register_font(FONT, FontStyle::Bold, bold).is_err()
        {
            panic!("the bundled Liberation Sans fonts are valid TrueType files");
        }
    });
}

/// A chart: its file name, canvas size and how to draw it on any backend.
pub trait Chart {
    /// File name without extension (`means`, `forest_location`).
    fn file_stem(&self) -> String;
    /// Canvas size in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the chart.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Renders a chart as SVG text.
pub fn render_svg(chart: &impl Chart) -> Result<String, String> {
    register_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart
            .draw(&root)
            .map_err(|e| format!("{}.svg: {e}", chart.file_stem()))?;
        root.present()
            .map_err(|e| format!("{}.svg: {e}", chart.file_stem()))?;
    }
    Ok(svg)
}

/// Renders a chart as PNG bytes.
pub fn render_png(chart: &impl Chart) -> Result<Vec<u8>, String> {
    register_fonts();
    let (w, h) = chart.size();
    let bytes = (w as usize)
        .checked_mul(h as usize)
        .and_then(|p| p.checked_mul(3))
        .ok_or_else(|| format!("{}.png: {w}x{h} is too large", chart.file_stem()))?;
    let mut rgb = vec![255u8; bytes];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart
            .draw(&root)
            .map_err(|e| format!("{}.png: {e}", chart.file_stem()))?;
        root.present()
            .map_err(|e| format!("{}.png: {e}", chart.file_stem()))?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// Colour of grid lines.
const GRID: RGBColor = RGBColor(225, 225, 225);

/// The house style of every chart's axes: label and description fonts and a faint grid.
pub(crate) fn house_style<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    mesh.label_style((FONT, size::LABEL))
        .axis_desc_style((FONT, size::AXIS))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
}

/// Height reserved at the top of every chart for its title.
pub const TITLE_SPACE: u32 = 70;

/// Starts every chart: a white page with `text` as its title, centred on the whole canvas
/// (not over the plot area, which is offset by the row labels), so long titles stay on the
/// canvas in any viewer's font.
pub(crate) fn page_with_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let (width, _) = area.dim_in_pixel();
    let style = TextStyle::from((FONT, size::TITLE).into_font().style(FontStyle::Bold))
        .color(&INK)
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ));
    area.draw(&Text::new(text.to_string(), (width as i32 / 2, 18), style))
}

/// Draws the note under a chart, in the footer area every chart keeps below its plot.
pub(crate) fn draw_note<DB: DrawingBackend>(
    footer: &DrawingArea<DB, Shift>,
    text: &str,
    size: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    label(
        footer,
        text,
        (24, 20),
        size,
        (
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ),
        &INK,
    )
}

/// Draws `text` at a pixel position with an anchor.
pub(crate) fn label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    size: u32,
    anchor: (
        plotters::style::text_anchor::HPos,
        plotters::style::text_anchor::VPos,
    ),
    colour: &RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = TextStyle::from((FONT, size).into_font())
        .color(colour)
        .pos(plotters::style::text_anchor::Pos::new(anchor.0, anchor.1));
    area.draw(&Text::new(text.to_string(), at, style))
}

/// Tick label: whole numbers without decimals ("20", "-1"), others with up to two.
pub fn tick(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v.round() + 0.0)
    } else {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Axis description for scores: "UCLA-3 total (3-9), higher = lonelier".
pub fn score_axis(short: &str, range: Option<(f64, f64)>, note: &str) -> String {
    match range {
        Some((lo, hi)) => format!("{short} total ({lo}-{hi}), {note}"),
        None => format!("{short} score, {note}"),
    }
}

/// Rounds a value range outwards to a padded axis range when the scale has none.
/// The result stays within ±[`AXIS_LIMIT`] (plotters cannot lay out ticks on larger axes),
/// even for values near f64::MAX.
pub fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return (0.0, 1.0);
    }
    let pad = ((hi / 2.0 - lo / 2.0) * 0.16).max(0.5);
    (clamp_axis(lo - pad), clamp_axis(hi + pad))
}

/// Largest magnitude an axis may reach; marks beyond it are clipped at the edge. Loneliness
/// scores never come near it; it only keeps absurd raw totals from breaking the layout.
pub const AXIS_LIMIT: f64 = 1e12;

/// Clamps an axis end to ±[`AXIS_LIMIT`].
pub fn clamp_axis(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(-AXIS_LIMIT, AXIS_LIMIT)
    }
}
