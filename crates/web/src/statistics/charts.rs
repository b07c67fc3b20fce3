//! Server-rendered, accessible SVG charts for the statistics pages.
//!
//! The charts are plain SVG strings so that they work with JavaScript turned off and print well:
//! series differ by dash pattern and marker shape, not only by colour, and screen readers get a
//! `role="img"` with a `<title>` and a `<desc>` written by the page in the reader's language.
//! Only `std` is used so that the module can be tested on its own with `rustc --test`.
//! The output is deterministic (same input, same bytes) so pages can be cached and compared.

use std::fmt::{self, Write};

/// Width of every chart in viewBox units; the SVG itself scales to its container.
const WIDTH: f64 = 720.0;
/// Height of the line chart and the funnel plot; the bar chart grows with its bars.
const HEIGHT: f64 = 360.0;
const FONT_SIZE: u32 = 13;
/// Dark grey text: contrast about 16:1 on white.
const TEXT: &str = "#222";
const GRID: &str = "#d9d9d9";
/// Okabe–Ito, safe for the common colour-vision deficiencies.
const PALETTE: [&str; 7] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
/// Dash patterns, so series stay apart on a black-and-white print ("" = solid).
const DASHES: [&str; 6] = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 3 2 3 2 3"];
const SHAPES: [Shape; 6] =
    [Shape::Circle, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::TriangleDown, Shape::Plus];
/// More x labels than this overlap at the chart's width.
const MAX_X_LABELS: usize = 12;
/// Above this many points markers would merge into a thick line.
const MAX_MARKED_POINTS: usize = 36;
/// Longer bar labels are cut visually; the full text stays in the bar's `<title>`.
const MAX_LABEL_CHARS: usize = 28;
/// Shown in the middle of a chart without data, and for a missing value.
const EMPTY: &str = "—";
/// Narrow no-break space: groups thousands without letting the number wrap.
const NNBSP: char = '\u{202F}';

/// One line of a time series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per x label; `NaN` means no value (the line breaks there).
    pub values: Vec<f64>,
}

/// One bar, optionally with a confidence interval (low, high) drawn as a whisker.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// A count, or a share in 0..=1 when the chart is a percent chart.
    pub value: f64,
    /// Same unit as `value`.
    pub interval: Option<(f64, f64)>,
}

/// One unit (officer, section, division) on a funnel plot.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPoint {
    pub label: String,
    /// Number of decisions.
    pub n: u32,
    /// Share in 0..=1.
    pub rate: f64,
}

/// The control limits at a given volume n (rates in 0..=1): 95 % and 99.8 %.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    pub n: u32,
    pub low95: f64,
    pub high95: f64,
    pub low998: f64,
    pub high998: f64,
}

/// Texts the page supplies, already in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub title: String,
    pub description: String,
    pub x_axis: String,
    pub y_axis: String,
}

/// Where a funnel point lies relative to the control limits at its volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    Inside,
    Beyond95,
    Beyond998,
}

/// Marker shapes, so series and states are told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Plus,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Triangle => "triangle",
            Shape::Diamond => "diamond",
            Shape::TriangleDown => "triangle-down",
            Shape::Plus => "plus",
        }
    }
}

/// Colour, dash pattern and marker of the i-th series: the first six differ in all three.
fn series_style(i: usize) -> (&'static str, &'static str, Shape) {
    (PALETTE[i % PALETTE.len()], DASHES[i % DASHES.len()], SHAPES[i % SHAPES.len()])
}

/// A number with at most one decimal, never `NaN`, `inf` or `-0`, so the SVG stays valid and stable.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = if self.0.is_finite() { (self.0 * 10.0).round() / 10.0 } else { 0.0 };
        if r == 0.0 {
            f.write_str("0")
        } else if r.fract() == 0.0 {
            write!(f, "{r:.0}")
        } else {
            write!(f, "{r:.1}")
        }
    }
}

/// Caller text escaped for XML text and attribute values; control characters XML forbids are dropped.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                '\t' | '\n' | '\r' => f.write_char(' ')?,
                c if u32::from(c) < 0x20 => {}
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A share in 0..=1 as "62.5 %"; "—" when there is no value.
fn percent(rate: f64) -> String {
    if rate.is_finite() {
        // Adding 0.0 turns -0.0 into 0.0.
        format!("{:.1} %", (rate * 1000.0).round() / 10.0 + 0.0)
    } else {
        EMPTY.to_string()
    }
}

/// An integer with thousands grouped by a narrow no-break space: "12 345".
fn grouped(v: f64) -> String {
    if !v.is_finite() {
        return EMPTY.to_string();
    }
    let r = v.round();
    let digits = format!("{:.0}", r.abs());
    let mut out = String::with_capacity(digits.len() + 8);
    if r < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(NNBSP);
        }
        out.push(c);
    }
    out
}

/// Axis ticks from 0 to a nice maximum ≥ `max`: 4–6 ticks at 1, 2, 2.5 or 5 × 10^k.
///
/// Steps below 1 skip 2.5 (and `integer` axes skip it below 25) so that every tick prints
/// exactly with at most one decimal. A zero, negative or non-finite maximum gets a 0–1 axis.
fn nice_ticks(max: f64, integer: bool) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let min_step = if integer { 1.0 } else { 0.1 };
    let raw = (max / 5.0).max(min_step);
    let exponent = raw.log10().floor() as i32;
    let mut step = 10f64.powi(exponent + 1);
    'search: for k in exponent - 1..=exponent + 1 {
        let scale = 10f64.powi(k);
        for mantissa in [1.0, 2.0, 2.5, 5.0] {
            let candidate = mantissa * scale;
            let exact = if integer { candidate >= 10.0 } else { candidate >= 1.0 };
            if mantissa == 2.5 && !exact {
                continue;
            }
            if candidate >= min_step - 1e-12 && candidate >= raw * (1.0 - 1e-9) {
                step = candidate;
                break 'search;
            }
        }
    }
    let intervals = ((max / step) - 1e-9).ceil().max(3.0) as usize;
    (0..=intervals).map(|i| i as f64 * step).collect()
}

/// Average glyph width at `FONT_SIZE`, to estimate how much room a label takes.
const CHAR_WIDTH: f64 = 7.5;

/// Show every k-th x label: at most `MAX_X_LABELS`, and fewer when the longest label
/// (`max_chars`) would not fit side by side in `width` without overlapping.
fn label_step(n: usize, max_chars: usize, width: f64) -> usize {
    let fit = (width / (max_chars as f64 * CHAR_WIDTH + 12.0)).floor();
    let max_labels = if fit.is_finite() { (fit as usize).clamp(2, MAX_X_LABELS) } else { MAX_X_LABELS };
    n.div_ceil(max_labels).max(1)
}

/// Cuts a long label visually; the caller keeps the full text in a `<title>`.
fn truncate(label: &str) -> String {
    if label.chars().count() > MAX_LABEL_CHARS {
        let mut short: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        short.push('…');
        short
    } else {
        label.to_string()
    }
}

/// The plotting area in viewBox units.
#[derive(Debug, Clone, Copy)]
struct Plot {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Plot {
    /// Vertical position of `v` on a 0..=max axis, clamped so stray data stays inside the frame.
    fn y(&self, v: f64, max: f64) -> f64 {
        self.bottom - share(v, max) * (self.bottom - self.top)
    }

    /// Horizontal position of `v` on a 0..=max axis, clamped likewise.
    fn x(&self, v: f64, max: f64) -> f64 {
        self.left + share(v, max) * (self.right - self.left)
    }

    fn centre(&self) -> (f64, f64) {
        ((self.left + self.right) / 2.0, (self.top + self.bottom) / 2.0)
    }
}

/// `v / max` clamped to 0..=1; 0 for anything not finite, so no division can leak `NaN`.
fn share(v: f64, max: f64) -> f64 {
    let t = if max > 0.0 { v / max } else { 0.0 };
    if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn last_tick(ticks: &[f64]) -> f64 {
    ticks.last().copied().filter(|t| *t > 0.0).unwrap_or(1.0)
}

/// Opens the `<svg>` with its accessible name and description as the first children.
fn open_svg(out: &mut String, id: &str, labels: &Labels, height: f64) {
    let id = Esc(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}-chart\" class=\"chart\" viewBox=\"0 0 {} {}\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"system-ui, sans-serif\" font-size=\"{FONT_SIZE}\" fill=\"{TEXT}\">",
        N(WIDTH),
        N(height)
    );
    let _ = write!(
        out,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        Esc(&labels.title),
        Esc(&labels.description)
    );
    let _ = write!(out, "<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>", N(WIDTH), N(height));
}

/// The y axis title sits horizontally above the axis: nothing is rotated, so it reads easily.
fn axis_titles(out: &mut String, labels: &Labels, plot: &Plot, height: f64) {
    let _ = write!(out, "<text class=\"y-title\" x=\"8\" y=\"18\" font-weight=\"600\">{}</text>", Esc(&labels.y_axis));
    let _ = write!(
        out,
        "<text class=\"x-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        N((plot.left + plot.right) / 2.0),
        N(height - 10.0),
        Esc(&labels.x_axis)
    );
}

/// Horizontal grid lines with tick labels on the left, and the two axis lines.
fn y_axis(out: &mut String, plot: &Plot, ticks: &[f64], label: &dyn Fn(f64) -> String) {
    let max = last_tick(ticks);
    out.push_str("<g class=\"y-axis\">");
    for &t in ticks {
        let y = plot.y(t, max);
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            N(plot.left),
            N(plot.right),
            N(plot.left - 8.0),
            N(y + 4.0),
            Esc(&label(t)),
            y = N(y)
        );
    }
    axis_lines(out, plot);
    out.push_str("</g>");
}

/// Vertical grid lines with tick labels below the plot, and the two axis lines.
fn x_axis(out: &mut String, plot: &Plot, ticks: &[f64], label: &dyn Fn(f64) -> String) {
    let max = last_tick(ticks);
    out.push_str("<g class=\"x-axis\">");
    for &t in ticks {
        let x = plot.x(t, max);
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{GRID}\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            N(plot.top),
            N(plot.bottom),
            N(plot.bottom + 18.0),
            Esc(&label(t)),
            x = N(x)
        );
    }
    axis_lines(out, plot);
    out.push_str("</g>");
}

fn axis_lines(out: &mut String, plot: &Plot) {
    let _ = write!(
        out,
        "<path d=\"M{} {}V{}H{}\" fill=\"none\" stroke=\"{TEXT}\"/>",
        N(plot.left),
        N(plot.top),
        N(plot.bottom),
        N(plot.right)
    );
}

/// A centred dash, so an empty chart says "no data" instead of looking broken.
fn empty_mark(out: &mut String, plot: &Plot) {
    let (x, y) = plot.centre();
    let _ = write!(
        out,
        "<text class=\"empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"24\">{EMPTY}</text>",
        N(x),
        N(y + 8.0)
    );
}

/// One marker; `filled` false draws it hollow (white inside), which also reads in black and white.
fn marker(out: &mut String, shape: Shape, (x, y): (f64, f64), r: f64, colour: &str, filled: bool) {
    let fill = if filled { colour } else { "#fff" };
    let _ = write!(out, "<");
    match shape {
        Shape::Circle => {
            let _ = write!(out, "circle cx=\"{}\" cy=\"{}\" r=\"{}\"", N(x), N(y), N(r));
        }
        Shape::Square => {
            let s = r * 0.9;
            let _ = write!(
                out,
                "rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                N(x - s),
                N(y - s),
                N(2.0 * s),
                N(2.0 * s)
            );
        }
        _ => {
            let points: Vec<(f64, f64)> = match shape {
                Shape::Triangle => vec![(0.0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
                Shape::TriangleDown => vec![(0.0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
                Shape::Diamond => vec![(0.0, -1.3), (1.3, 0.0), (0.0, 1.3), (-1.3, 0.0)],
                _ => {
                    let (a, b) = (0.4, 1.2);
                    vec![
                        (-a, -b),
                        (a, -b),
                        (a, -a),
                        (b, -a),
                        (b, a),
                        (a, a),
                        (a, b),
                        (-a, b),
                        (-a, a),
                        (-b, a),
                        (-b, -a),
                        (-a, -a),
                    ]
                }
            };
            out.push_str("polygon points=\"");
            for (i, (dx, dy)) in points.iter().enumerate() {
                let sep = if i == 0 { "" } else { " " };
                let _ = write!(out, "{sep}{},{}", N(x + dx * r), N(y + dy * r));
            }
            out.push('"');
        }
    }
    let _ = write!(
        out,
        " class=\"marker marker-{}\" fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>",
        shape.name()
    );
}

/// Splits points at the gaps (`None`), so lines break where a value is missing.
fn segments(points: &[Option<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    points.split(Option::is_none).filter(|s| !s.is_empty()).map(|s| s.iter().flatten().copied().collect()).collect()
}

fn polyline(out: &mut String, points: &[(f64, f64)], attributes: &str) {
    out.push_str("<polyline points=\"");
    for (i, (x, y)) in points.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{},{}", N(*x), N(*y));
    }
    let _ = write!(out, "\" fill=\"none\" {attributes}/>");
}

fn dash_attribute(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

fn value_at(series: &Series, i: usize) -> Option<f64> {
    series.values.get(i).copied().filter(|v| v.is_finite())
}

/// A line chart of time series: one polyline per series, broken at missing values, with a legend
/// when there is more than one series. Values are expected to be ≥ 0; the y axis starts at 0.
pub fn line_chart(id: &str, labels: &Labels, x_labels: &[String], series: &[Series]) -> String {
    let n = x_labels.len();
    let data_max = series.iter().flat_map(|s| (0..n).filter_map(|i| value_at(s, i))).fold(f64::NEG_INFINITY, f64::max);
    let has_data = data_max.is_finite();
    let ticks = nice_ticks(data_max, false);
    let max = last_tick(&ticks);

    // Legend items flow left to right and wrap; the plot starts below them.
    let show_legend = has_data && series.len() > 1;
    let mut legend = Vec::new();
    let (mut lx, mut row) = (72.0, 0usize);
    if show_legend {
        for s in series {
            let w = 44.0 + 7.5 * s.name.chars().count() as f64;
            if lx + w > WIDTH - 16.0 && lx > 72.0 {
                lx = 72.0;
                row += 1;
            }
            legend.push((lx, row));
            lx += w + 16.0;
        }
    }
    let rows = if show_legend { row + 1 } else { 0 };
    let plot = Plot { left: 72.0, top: 36.0 + 20.0 * rows as f64, right: WIDTH - 24.0, bottom: HEIGHT - 56.0 };

    let mut out = String::with_capacity(4096);
    open_svg(&mut out, id, labels, HEIGHT);
    axis_titles(&mut out, labels, &plot, HEIGHT);
    y_axis(&mut out, &plot, &ticks, &|t| {
        if ticks.get(1).is_some_and(|s| s.fract() != 0.0) {
            format!("{t:.1}")
        } else {
            grouped(t)
        }
    });

    // Points sit 8 units inside the frame so end markers do not touch the axis.
    let x_of = |i: usize| {
        if n <= 1 {
            plot.centre().0
        } else {
            plot.left + 8.0 + (plot.right - plot.left - 16.0) * i as f64 / (n - 1) as f64
        }
    };
    let longest = x_labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let step = label_step(n, longest, plot.right - plot.left - 16.0);
    out.push_str("<g class=\"x-labels\">");
    for (i, label) in x_labels.iter().enumerate().step_by(step) {
        let x = N(x_of(i));
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\"/>\
             <text class=\"x-label\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            N(plot.bottom),
            N(plot.bottom + 5.0),
            N(plot.bottom + 20.0),
            Esc(label)
        );
    }
    out.push_str("</g>");

    if !has_data {
        empty_mark(&mut out, &plot);
        out.push_str("</svg>");
        return out;
    }

    let with_markers = n <= MAX_MARKED_POINTS;
    for (si, s) in series.iter().enumerate() {
        let (colour, dash, shape) = series_style(si);
        let points: Vec<Option<(f64, f64)>> =
            (0..n).map(|i| value_at(s, i).map(|v| (x_of(i), plot.y(v, max)))).collect();
        let _ = write!(out, "<g class=\"series series-{si}\"><title>{}</title>", Esc(&s.name));
        let stroke =
            format!("stroke=\"{colour}\" stroke-width=\"2\" stroke-linejoin=\"round\"{}", dash_attribute(dash));
        for segment in segments(&points) {
            if segment.len() > 1 {
                polyline(&mut out, &segment, &stroke);
            }
            // A lone point has no line, so it always gets a marker or it would vanish.
            if with_markers || segment.len() == 1 {
                for p in segment {
                    marker(&mut out, shape, p, 4.0, colour, true);
                }
            }
        }
        out.push_str("</g>");
    }

    if show_legend {
        out.push_str("<g class=\"legend\">");
        for (si, (s, (x, row))) in series.iter().zip(legend).enumerate() {
            let (colour, dash, shape) = series_style(si);
            let y = 34.0 + 20.0 * row as f64;
            let _ = write!(
                out,
                "<g class=\"legend-item\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" \
                 stroke-width=\"2\"{}/>",
                N(x),
                N(y - 4.0),
                N(x + 28.0),
                N(y - 4.0),
                dash_attribute(dash)
            );
            marker(&mut out, shape, (x + 14.0, y - 4.0), 4.0, colour, true);
            let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text></g>", N(x + 36.0), N(y), Esc(&s.name));
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

const BAR_ROW: f64 = 28.0;
const BAR_THICKNESS: f64 = 16.0;

/// Horizontal bars with the label on the left, the value at the bar's end and the interval as a
/// whisker. `percent` charts take shares in 0..=1 and show a 0–100 % axis; otherwise values are
/// counts printed as grouped integers. `labels.x_axis` names the value axis (bottom) and
/// `labels.y_axis` heads the bar labels (top left).
pub fn bar_chart(id: &str, labels: &Labels, bars: &[Bar], percent_chart: bool) -> String {
    let rows = bars.len().max(3);
    let plot = Plot { left: 220.0, top: 32.0, right: WIDTH - 96.0, bottom: 32.0 + BAR_ROW * rows as f64 };
    let height = plot.bottom + 48.0;
    let ticks: Vec<f64> = if percent_chart {
        (0..=5).map(|i| f64::from(i) * 0.2).collect()
    } else {
        let data_max = bars
            .iter()
            .flat_map(|b| [Some(b.value), b.interval.map(|(l, h)| l.max(h))])
            .flatten()
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        nice_ticks(data_max, false)
    };
    let max = last_tick(&ticks);
    let step_is_whole = ticks.get(1).is_some_and(|s| s.fract() == 0.0);
    let format_value = |v: f64| if percent_chart { percent(v) } else { grouped(v) };

    let mut out = String::with_capacity(4096);
    open_svg(&mut out, id, labels, height);
    axis_titles(&mut out, labels, &plot, height);
    x_axis(&mut out, &plot, &ticks, &|t| {
        if percent_chart {
            format!("{} %", N(t * 100.0))
        } else if step_is_whole {
            grouped(t)
        } else {
            format!("{t:.1}")
        }
    });
    if bars.is_empty() {
        empty_mark(&mut out, &plot);
        out.push_str("</svg>");
        return out;
    }

    let (colour, _, _) = series_style(0);
    for (i, bar) in bars.iter().enumerate() {
        let cy = plot.top + BAR_ROW * (i as f64 + 0.5);
        let value_text = format_value(bar.value);
        let _ = write!(
            out,
            "<g class=\"bar\"><title>{}: {}</title><text class=\"bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            Esc(&bar.label),
            Esc(&value_text),
            N(plot.left - 8.0),
            N(cy + 4.0),
            Esc(&truncate(&bar.label))
        );
        let mut end = plot.left;
        if bar.value.is_finite() {
            end = plot.x(bar.value, max);
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                N(plot.left),
                N(cy - BAR_THICKNESS / 2.0),
                N(end - plot.left),
                N(BAR_THICKNESS)
            );
        }
        if let Some((a, b)) = bar.interval.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            let (low, high) = (plot.x(a.min(b), max), plot.x(a.max(b), max));
            let _ = write!(
                out,
                "<path class=\"whisker\" d=\"M{low} {}V{}M{low} {cy}H{high}M{high} {}V{}\" fill=\"none\" \
                 stroke=\"{TEXT}\" stroke-width=\"1.5\"/>",
                N(cy - 6.0),
                N(cy + 6.0),
                N(cy - 6.0),
                N(cy + 6.0),
                low = N(low),
                high = N(high),
                cy = N(cy)
            );
            end = end.max(high);
        }
        let _ = write!(
            out,
            "<text class=\"bar-value\" x=\"{}\" y=\"{}\">{}</text></g>",
            N(end + 6.0),
            N(cy + 4.0),
            Esc(&value_text)
        );
    }
    out.push_str("</svg>");
    out
}

/// The four limits interpolated linearly at `n` between the two nearest limit points (by n),
/// clamped to the first and last; `None` without limits.
fn limits_at(limits: &[Limit], n: u32) -> Option<[f64; 4]> {
    let mut sorted: Vec<&Limit> = limits.iter().collect();
    sorted.sort_by_key(|l| l.n);
    let values = |l: &Limit| [l.low95, l.high95, l.low998, l.high998];
    let (first, last) = (sorted.first()?, sorted.last()?);
    if n <= first.n {
        return Some(values(first));
    }
    if n >= last.n {
        return Some(values(last));
    }
    // first.n < n < last.n, so 1 <= i < len and sorted[i - 1].n <= n < sorted[i].n.
    let i = sorted.partition_point(|l| l.n <= n);
    let (a, b) = (sorted[i - 1], sorted[i]);
    let t = f64::from(n - a.n) / f64::from(b.n - a.n);
    let (va, vb) = (values(a), values(b));
    Some(std::array::from_fn(|k| va[k] + t * (vb[k] - va[k])))
}

/// Classifies a unit against the control limits at its own volume (interpolated between limit
/// points). Without limits, or without a rate, a point counts as inside: nothing to flag.
pub fn outside(limits: &[Limit], p: &FunnelPoint) -> Outside {
    let Some([low95, high95, low998, high998]) = limits_at(limits, p.n) else {
        return Outside::Inside;
    };
    let r = p.rate;
    if r < low998 || r > high998 {
        Outside::Beyond998
    } else if r < low95 || r > high95 {
        Outside::Beyond95
    } else {
        Outside::Inside
    }
}

/// A funnel plot: each unit's rate against its number of decisions, with the overall rate and
/// the 95 % (dashed) and 99.8 % (dotted) control limits. Units beyond 99.8 % are filled diamonds,
/// beyond 95 % filled squares, inside hollow circles, so the state is visible without colour.
pub fn funnel_plot(id: &str, labels: &Labels, overall: f64, limits: &[Limit], points: &[FunnelPoint]) -> String {
    let plot = Plot { left: 72.0, top: 36.0, right: WIDTH - 24.0, bottom: HEIGHT - 56.0 };
    let n_max = points.iter().map(|p| p.n).chain(limits.iter().map(|l| l.n)).max().unwrap_or(0);
    let x_ticks = nice_ticks(f64::from(n_max).max(3.0), true);
    let x_max = last_tick(&x_ticks);
    let y_ticks: Vec<f64> = (0..=5).map(|i| f64::from(i) * 0.2).collect();

    let mut out = String::with_capacity(4096);
    open_svg(&mut out, id, labels, HEIGHT);
    axis_titles(&mut out, labels, &plot, HEIGHT);
    x_axis(&mut out, &plot, &x_ticks, &grouped);
    y_axis(&mut out, &plot, &y_ticks, &|t| format!("{} %", N(t * 100.0)));

    let mut sorted: Vec<&Limit> = limits.iter().collect();
    sorted.sort_by_key(|l| l.n);
    // (class, dash, index into [low95, high95, low998, high998]): 95 % dashed, 99.8 % dotted.
    let curves = [("limit-95", "6 4", 0), ("limit-95", "6 4", 1), ("limit-998", "2 3", 2), ("limit-998", "2 3", 3)];
    out.push_str("<g class=\"limits\">");
    for (class, dash, k) in curves {
        let line: Vec<Option<(f64, f64)>> = sorted
            .iter()
            .map(|l| {
                Some([l.low95, l.high95, l.low998, l.high998][k])
                    .filter(|v| v.is_finite())
                    .map(|v| (plot.x(f64::from(l.n), x_max), plot.y(v, 1.0)))
            })
            .collect();
        for segment in segments(&line) {
            let attributes =
                format!("class=\"{class}\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"");
            polyline(&mut out, &segment, &attributes);
        }
    }
    out.push_str("</g>");

    if overall.is_finite() {
        let y = plot.y(overall, 1.0);
        let _ = write!(
            out,
            "<g class=\"overall\"><line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{TEXT}\" stroke-width=\"1.5\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></g>",
            N(plot.left),
            N(plot.right),
            N(plot.right - 4.0),
            N(y - 6.0),
            Esc(&percent(overall)),
            y = N(y)
        );
    }

    if points.is_empty() {
        empty_mark(&mut out, &plot);
    }
    out.push_str("<g class=\"points\">");
    for p in points.iter().filter(|p| p.rate.is_finite()) {
        let (shape, colour, filled, class) = match outside(limits, p) {
            Outside::Inside => (Shape::Circle, PALETTE[0], false, "inside"),
            Outside::Beyond95 => (Shape::Square, PALETTE[1], true, "beyond-95"),
            Outside::Beyond998 => (Shape::Diamond, PALETTE[6], true, "beyond-998"),
        };
        // Language-neutral, so the page's own language is not mixed with English words.
        let _ = write!(
            out,
            "<g class=\"point {class}\"><title>{}: {} (n = {})</title>",
            Esc(&p.label),
            Esc(&percent(p.rate)),
            grouped(f64::from(p.n))
        );
        marker(&mut out, shape, (plot.x(f64::from(p.n), x_max), plot.y(p.rate, 1.0)), 4.5, colour, filled);
        out.push_str("</g>");
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(title: &str) -> Labels {
        Labels {
            title: title.to_string(),
            description: "Description".to_string(),
            x_axis: "Month".to_string(),
            y_axis: "Applications".to_string(),
        }
    }

    fn months(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{}-{:02}", 2015 + i / 12, i % 12 + 1)).collect()
    }

    fn series(name: &str, values: &[f64]) -> Series {
        Series { name: name.to_string(), values: values.to_vec() }
    }

    fn bar(label: &str, value: f64, interval: Option<(f64, f64)>) -> Bar {
        Bar { label: label.to_string(), value, interval }
    }

    fn point(label: &str, n: u32, rate: f64) -> FunnelPoint {
        FunnelPoint { label: label.to_string(), n, rate }
    }

    fn limit(n: u32, low95: f64, high95: f64, low998: f64, high998: f64) -> Limit {
        Limit { n, low95, high95, low998, high998 }
    }

    fn sample_limits() -> Vec<Limit> {
        // Deliberately not sorted by n.
        vec![limit(30, 0.3, 0.5, 0.25, 0.55), limit(10, 0.2, 0.6, 0.1, 0.7)]
    }

    /// A small XML checker: one root, balanced and properly nested tags, quoted and unique
    /// attributes, and only the five predefined entities.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg "), "must start with the root element");
        assert!(svg.ends_with("</svg>"), "must end with the root element");
        for (i, _) in svg.match_indices('&') {
            let rest = &svg[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e)),
                "bare & at {i}: {}",
                &rest[..rest.len().min(20)]
            );
        }
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            if stack.is_empty() {
                assert!(rest[..start].trim().is_empty(), "text outside the root");
            }
            let after = &rest[start + 1..];
            let end = after.find('>').expect("unterminated tag");
            let tag = &after[..end];
            assert!(!tag.contains('<'), "'<' inside tag <{tag}>");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.strip_suffix('/').unwrap_or(tag);
                let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
                let name = &body[..name_end];
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                    "bad name {name:?}"
                );
                let mut attributes = &body[name_end..];
                let mut seen: Vec<&str> = Vec::new();
                loop {
                    let a = attributes.trim_start();
                    if a.is_empty() {
                        break;
                    }
                    let eq = a.find('=').expect("attribute without value");
                    let key = &a[..eq];
                    assert!(
                        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                        "bad attribute name {key:?} in <{tag}>"
                    );
                    assert!(!seen.contains(&key), "duplicate attribute {key} in <{tag}>");
                    seen.push(key);
                    let value = a[eq + 1..].strip_prefix('"').expect("unquoted attribute value");
                    let close = value.find('"').expect("unterminated attribute value");
                    attributes = &value[close + 1..];
                    assert!(
                        attributes.is_empty() || attributes.starts_with(char::is_whitespace),
                        "no space after {key}"
                    );
                }
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &after[end + 1..];
        }
        assert!(rest.is_empty(), "text after the root");
        assert!(stack.is_empty(), "unclosed tags: {stack:?}");
        assert_eq!(roots, 1, "exactly one root element");
    }

    fn assert_finite(svg: &str) {
        let lower = svg.to_lowercase();
        assert!(!lower.contains("nan"), "NaN in output: {svg}");
        assert!(!lower.contains("inf"), "inf in output: {svg}");
    }

    fn check(svg: &str) {
        assert_well_formed(svg);
        assert_finite(svg);
    }

    #[test]
    fn checker_rejects_broken_markup() {
        for broken in ["<svg a=\"1\"><g></svg>", "<svg a=1></svg>", "<svg>&</svg>", "<svg a=\"1\" a=\"2\"></svg>"] {
            assert!(std::panic::catch_unwind(|| assert_well_formed(broken)).is_err(), "{broken} accepted");
        }
    }

    #[test]
    fn accessible_name_and_description_come_first() {
        let svg = line_chart(
            "applications",
            &labels("Applications per month"),
            &months(3),
            &[series("All", &[1.0, 2.0, 3.0])],
        );
        check(&svg);
        let open_end = svg.find('>').expect("root tag");
        let root = &svg[..open_end];
        for needle in [
            "id=\"applications-chart\"",
            "role=\"img\"",
            "aria-labelledby=\"applications-title applications-desc\"",
            "width=\"100%\"",
            "viewBox=\"0 0 720 360\"",
            "preserveAspectRatio=\"xMinYMin meet\"",
            "font-family=\"system-ui, sans-serif\"",
        ] {
            assert!(root.contains(needle), "root lacks {needle}");
        }
        assert!(!root.contains(" height="), "no fixed height on the root");
        assert!(svg[open_end + 1..].starts_with(
            "<title id=\"applications-title\">Applications per month</title><desc id=\"applications-desc\">Description</desc>"
        ));
    }

    #[test]
    fn caller_text_is_escaped_everywhere() {
        let evil = "<script>alert('x & \"y\"')</script>";
        let l = Labels {
            title: evil.to_string(),
            description: evil.to_string(),
            x_axis: evil.to_string(),
            y_axis: evil.to_string(),
        };
        let charts = [
            line_chart(
                evil,
                &l,
                &[evil.to_string(), "b".to_string()],
                &[series(evil, &[1.0, 2.0]), series("b", &[2.0, 1.0])],
            ),
            bar_chart(evil, &l, &[bar(evil, 3.0, Some((1.0, 4.0)))], false),
            funnel_plot(evil, &l, 0.4, &sample_limits(), &[point(evil, 20, 0.4)]),
        ];
        for svg in &charts {
            check(svg);
            assert!(!svg.contains("<script"), "unescaped script");
            assert!(svg.contains("&lt;script&gt;alert(&apos;x &amp; &quot;y&quot;&apos;)&lt;/script&gt;"));
        }
    }

    #[test]
    fn no_nan_or_inf_for_degenerate_input() {
        let l = labels("Degenerate");
        let nan = f64::NAN;
        let lines = [
            line_chart("a", &l, &[], &[]),
            line_chart("a", &l, &months(5), &[]),
            line_chart("a", &l, &months(5), &[series("zero", &[0.0; 5])]),
            line_chart("a", &l, &months(1), &[series("one", &[7.0])]),
            line_chart("a", &l, &months(4), &[series("gaps", &[nan, 3.0, nan, f64::INFINITY])]),
            line_chart("a", &l, &months(3), &[series("all missing", &[nan; 3])]),
            line_chart("a", &l, &months(3), &[series("short", &[1.0])]),
        ];
        for svg in &lines {
            check(svg);
        }
        assert!(lines[0].contains(">—</text>"), "empty chart shows a dash");
        assert!(lines[5].contains(">—</text>"), "all-NaN chart shows a dash");
        assert!(!lines[2].contains(">—</text>"), "all-zero data is data");

        let bars = [
            bar_chart("b", &l, &[], false),
            bar_chart("b", &l, &[], true),
            bar_chart("b", &l, &[bar("zero", 0.0, None)], false),
            bar_chart("b", &l, &[bar("missing", nan, Some((nan, 1.0)))], true),
            bar_chart("b", &l, &[bar("endless", f64::INFINITY, Some((0.0, f64::INFINITY)))], false),
        ];
        for svg in &bars {
            check(svg);
        }
        assert!(bars[0].contains(">—</text>"));

        let funnels = [
            funnel_plot("f", &l, nan, &[], &[]),
            funnel_plot("f", &l, 0.0, &[], &[point("zero", 0, 0.0)]),
            funnel_plot("f", &l, 0.5, &[limit(0, nan, nan, nan, nan)], &[point("missing", 3, nan)]),
            funnel_plot("f", &l, 0.5, &sample_limits(), &[point("one", 20, 0.5)]),
        ];
        for svg in &funnels {
            check(svg);
        }
        assert!(funnels[0].contains(">—</text>"));
    }

    #[test]
    fn nice_ticks_are_nice() {
        assert_eq!(nice_ticks(37.0, false), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(nice_ticks(11.0, false), vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        assert_eq!(nice_ticks(100.0, false), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, false), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(nice_ticks(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(nice_ticks(11.0, true), vec![0.0, 5.0, 10.0, 15.0]);
        for max in [0.0, -5.0, f64::NAN, f64::INFINITY, 0.01, 0.3, 1.0, 7.0, 9.99, 10.0, 12_345.0, 1e9] {
            for integer in [false, true] {
                let ticks = nice_ticks(max, integer);
                assert!((4..=6).contains(&ticks.len()), "{max}: {ticks:?}");
                assert_eq!(ticks[0], 0.0);
                let top = ticks[ticks.len() - 1];
                assert!(top.is_finite() && top > 0.0, "{max}: {ticks:?}");
                assert!(!max.is_finite() || top >= max, "{max}: {ticks:?}");
                // Every tick prints exactly with one decimal.
                assert!(ticks.iter().all(|t| ((t * 10.0).round() - t * 10.0).abs() < 1e-6), "{max}: {ticks:?}");
            }
        }
    }

    #[test]
    fn many_x_labels_are_thinned() {
        // Short labels: the cap of 12 applies; "2015-01" is wider, so only 9 fit in 604 units.
        assert_eq!(label_step(120, 1, 604.0), 10);
        assert_eq!(label_step(12, 1, 604.0), 1);
        assert_eq!(label_step(0, 0, 604.0), 1);
        assert_eq!(label_step(120, 7, 604.0), 14);
        for n in [1, 12, 13, 24, 120, 121, 500] {
            let values: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let svg = line_chart("t", &labels("Thinned"), &months(n), &[series("All", &values)]);
            check(&svg);
            let shown = svg.matches("class=\"x-label\"").count();
            assert!(shown <= MAX_X_LABELS && shown >= n.min(MAX_X_LABELS) / 2, "{n}: {shown}");
        }
        let svg = line_chart("t", &labels("Thinned"), &months(120), &[series("All", &[1.0; 120])]);
        assert!(svg.contains(">2015-01</text>") && svg.contains(">2016-03</text>") && !svg.contains(">2015-02</text>"));
        let short: Vec<String> = (0..120).map(|i| (i % 10).to_string()).collect();
        let svg = line_chart("t", &labels("Short"), &short, &[series("All", &[1.0; 120])]);
        assert_eq!(svg.matches("class=\"x-label\"").count(), 12);
    }

    #[test]
    fn series_differ_without_colour() {
        for i in 0..SHAPES.len() {
            for j in 0..i {
                let (a, b) = (series_style(i), series_style(j));
                assert!(a.0 != b.0 && a.1 != b.1 && a.2 != b.2, "series {i} and {j}");
            }
        }
        let x = months(10);
        let all: Vec<Series> = (0..3).map(|i| series(&format!("S{i}"), &[i as f64 + 1.0; 10])).collect();
        let svg = line_chart("m", &labels("Markers"), &x, &all);
        check(&svg);
        // Ten points per series plus one in the legend.
        assert_eq!(svg.matches("marker-circle").count(), 11);
        assert_eq!(svg.matches("marker-square").count(), 11);
        assert_eq!(svg.matches("marker-triangle\"").count(), 11);
        assert_eq!(svg.matches("class=\"legend-item\"").count(), 3);
        assert!(svg.contains("stroke-dasharray=\"8 4\"") && svg.contains("stroke-dasharray=\"2 3\""));

        // One series: no legend. Many points: no markers on the line.
        let svg = line_chart("m", &labels("Long"), &months(40), &[series("All", &[1.0; 40])]);
        assert!(!svg.contains("legend") && !svg.contains("marker-"));
    }

    #[test]
    fn lines_break_at_missing_values() {
        let nan = f64::NAN;
        let svg = line_chart("g", &labels("Gaps"), &months(6), &[series("All", &[1.0, 2.0, nan, 3.0, 4.0, 5.0])]);
        check(&svg);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("marker-circle").count(), 5);
        // A lone value among gaps keeps a marker even when markers are off.
        let mut values = vec![nan; 50];
        values[20] = 3.0;
        let svg = line_chart("g", &labels("Lone"), &months(50), &[series("All", &values)]);
        assert_eq!(svg.matches("<polyline").count(), 0);
        assert_eq!(svg.matches("marker-circle").count(), 1);
    }

    #[test]
    fn bars_show_values_labels_and_whiskers() {
        let long = "A very long section name that goes on and on";
        let svg = bar_chart(
            "grants",
            &labels("Grant rate"),
            &[bar(long, 0.625, Some((0.55, 0.7))), bar("Short", 0.1, None)],
            true,
        );
        check(&svg);
        assert!(svg.contains(">62.5 %</text>") && svg.contains(">10.0 %</text>"));
        assert!(svg.contains(">100 %</text>") && svg.contains(">0 %</text>"), "percent axis 0–100 %");
        assert!(svg.contains(&format!("<title>{long}: 62.5 %</title>")), "full label kept");
        assert!(svg.contains(">A very long section name th…</text>"), "label cut visually");
        assert_eq!(svg.matches("class=\"whisker\"").count(), 1);

        let svg = bar_chart("counts", &labels("Counts"), &[bar("Oslo", 12_345.0, None)], false);
        check(&svg);
        assert!(svg.contains(">12\u{202F}345</text>"));
        assert_eq!(grouped(1_234_567.4), "1\u{202F}234\u{202F}567");
        assert_eq!(grouped(-999.0), "-999");
        assert_eq!(percent(-0.0), "0.0 %");

        let height = |svg: &str| {
            let needle = "viewBox=\"0 0 720 ";
            svg[svg.find(needle).expect("viewBox") + needle.len()..].split('"').next().map(str::to_string)
        };
        let few = bar_chart("h", &labels("H"), &[bar("a", 1.0, None)], false);
        let many: Vec<Bar> = (0..20).map(|i| bar(&format!("b{i}"), f64::from(i), None)).collect();
        let many = bar_chart("h", &labels("H"), &many, false);
        let (few, many) = (height(&few), height(&many));
        assert!(few.and_then(|h| h.parse::<f64>().ok()) < many.and_then(|h| h.parse::<f64>().ok()));
    }

    #[test]
    fn outside_interpolates_and_clamps() {
        let limits = sample_limits();
        // At n = 20, halfway: low95 .25, high95 .55, low998 .175, high998 .625.
        assert_eq!(outside(&limits, &point("a", 20, 0.40)), Outside::Inside);
        assert_eq!(outside(&limits, &point("b", 20, 0.58)), Outside::Beyond95);
        assert_eq!(outside(&limits, &point("c", 20, 0.20)), Outside::Beyond95);
        assert_eq!(outside(&limits, &point("d", 20, 0.15)), Outside::Beyond998);
        assert_eq!(outside(&limits, &point("e", 20, 0.65)), Outside::Beyond998);
        // Clamped below the first limit point (n = 10) and above the last (n = 30).
        assert_eq!(outside(&limits, &point("f", 5, 0.65)), Outside::Beyond95);
        assert_eq!(outside(&limits, &point("g", 100, 0.56)), Outside::Beyond998);
        assert_eq!(outside(&limits, &point("h", 30, 0.52)), Outside::Beyond95);
        assert_eq!(outside(&[], &point("i", 20, 0.99)), Outside::Inside);
    }

    #[test]
    fn funnel_markers_show_state_by_shape() {
        let points = [point("In", 20, 0.4), point("Out95", 20, 0.58), point("Out998", 20, 0.15)];
        let svg = funnel_plot("funnel", &labels("Grant rate by officer"), 0.4, &sample_limits(), &points);
        check(&svg);
        assert!(svg.contains("<g class=\"point inside\"><title>In: 40.0 % (n = 20)</title><circle "));
        assert!(svg.contains("fill=\"#fff\""), "inside is hollow");
        assert!(svg.contains("<g class=\"point beyond-95\"><title>Out95: 58.0 % (n = 20)</title><rect "));
        assert!(svg.contains("<g class=\"point beyond-998\"><title>Out998: 15.0 % (n = 20)</title><polygon "));
        assert_eq!(svg.matches("class=\"limit-95\"").count(), 2);
        assert_eq!(svg.matches("class=\"limit-998\"").count(), 2);
        assert!(svg.contains("stroke-dasharray=\"6 4\"") && svg.contains("stroke-dasharray=\"2 3\""));
        assert!(svg.contains(">40.0 %</text>"), "overall rate labelled");
        assert!(!svg.contains(">—</text>"));
    }

    #[test]
    fn output_is_deterministic_and_compact() {
        let make = || {
            let x = months(24);
            let values: Vec<f64> = (0..24).map(|i| f64::from(i) / 3.0).collect();
            line_chart("d", &labels("D"), &x, &[series("a", &values), series("b", &values)])
                + &funnel_plot("e", &labels("E"), 0.4, &sample_limits(), &[point("x", 12, 1.0 / 3.0)])
        };
        let (a, b) = (make(), make());
        assert_eq!(a, b);
        // No number carries more than one decimal.
        let bytes = a.as_bytes();
        for (i, _) in a.match_indices('.') {
            let decimals = bytes[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            assert!(decimals <= 1, "too many decimals near {}", &a[i.saturating_sub(10)..(i + 10).min(a.len())]);
        }
    }
}
