//! Inline SVG charts for the HTML report: line charts, bar charts and a
//! heatmap, drawn as plain SVG elements (no script, no external resource).

use std::fmt::Write;

/// Escape text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Colours of the series, distinguishable in print and for most colour vision.
pub const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

/// One line of a line chart.
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per x position (`None`: gap).
    pub values: Vec<Option<f64>>,
    /// Stroke colour.
    pub color: String,
    /// Stroke width.
    pub width: f64,
    /// Dashed line.
    pub dashed: bool,
    /// Shown in the legend.
    pub legend: bool,
    /// A shaded band (lower and upper ends, one pair per x position) drawn
    /// under the line, titled with the given text (for example "90 %
    /// interval").
    pub band: Option<(Vec<f64>, Vec<f64>, String)>,
}

/// How the y axis is labelled.
#[derive(Clone, Copy)]
pub enum YFormat {
    /// Fractions shown as percentages.
    Percent,
    /// Plain numbers with thousands separators.
    Number,
}

fn fmt_y(v: f64, f: YFormat) -> String {
    match f {
        YFormat::Percent => format!("{:.0}%", v * 100.0),
        YFormat::Number => {
            if v.abs() >= 1e6 {
                format!("{:.1}M", v / 1e6)
            } else if v.abs() >= 1e4 {
                format!("{:.0}k", v / 1e3)
            } else {
                crate::format::thousands(v)
            }
        }
    }
}

/// A "nice" tick step for a range (1, 2 or 5 × 10^k) giving about `n` ticks.
pub fn nice_step(range: f64, n: f64) -> f64 {
    if !(range > 0.0 && range.is_finite()) {
        return 1.0;
    }
    let raw = range / n;
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let m = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Frame of a chart: size and margins.
struct Frame {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn plot_w(&self) -> f64 {
        self.w - self.left - self.right
    }
    fn plot_h(&self) -> f64 {
        self.h - self.top - self.bottom
    }
}

fn open_svg(out: &mut String, f: &Frame, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        w = f.w,
        h = f.h,
        t = esc(title)
    );
}

/// Draw y gridlines and labels for [lo, hi], about 5 of them; returns the y of a value.
fn y_axis(
    out: &mut String,
    f: &Frame,
    lo: f64,
    hi: f64,
    fmt: YFormat,
    label: &str,
) -> impl Fn(f64) -> f64 + use<> {
    y_axis_ticks(out, f, (lo, hi, 5.0), fmt, label)
}

/// [`y_axis`] with about `ticks` gridlines over `(lo, hi, ticks)`.
fn y_axis_ticks(
    out: &mut String,
    f: &Frame,
    (lo, hi, ticks): (f64, f64, f64),
    fmt: YFormat,
    label: &str,
) -> impl Fn(f64) -> f64 + use<> {
    let step = nice_step(hi - lo, ticks);
    let (top, bottom, ph) = (f.top, f.top + f.plot_h(), f.plot_h());
    let y = move |v: f64| bottom - (v - lo) / (hi - lo) * ph;
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 {
        let yy = y(t);
        let _ = write!(
            out,
            r##"<line x1="{x1}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{tx}" y="{ty:.1}" text-anchor="end" class="tick">{l}</text>"##,
            x1 = f.left,
            x2 = f.left + f.plot_w(),
            tx = f.left - 6.0,
            ty = yy + 4.0,
            l = esc(&fmt_y(t, fmt))
        );
        t += step;
    }
    let _ = write!(
        out,
        r#"<text x="14" y="{cy:.1}" transform="rotate(-90 14 {cy:.1})" text-anchor="middle" class="axis">{l}</text>"#,
        cy = top + ph / 2.0,
        l = esc(label)
    );
    y
}

/// x labels: at most about `max` of them, evenly thinned.
fn x_labels(
    out: &mut String,
    f: &Frame,
    labels: &[String],
    x: &dyn Fn(usize) -> f64,
    max: usize,
    title: &str,
) {
    let n = labels.len();
    // Room for a label: its width in characters at ~7 px each plus a gap.
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )] // ok: small positive
    let fit = (f.plot_w() / (longest as f64 * 7.0 + 16.0))
        .floor()
        .max(1.0) as usize;
    let every = n.div_ceil(max.min(fit).max(1)).max(1);
    let base = f.top + f.plot_h();
    for (i, l) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n && n <= max {
            let _ = write!(
                out,
                r#"<text x="{xx:.1}" y="{yy:.1}" text-anchor="middle" class="tick">{l}</text>"#,
                xx = x(i),
                yy = base + 16.0,
                l = esc(l)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="{cx:.1}" y="{yy:.1}" text-anchor="middle" class="axis">{t}</text>"#,
        cx = f.left + f.plot_w() / 2.0,
        yy = f.h - 6.0,
        t = esc(title)
    );
}

fn legend(out: &mut String, f: &Frame, items: &[(&str, &str, bool)]) {
    let mut x = f.left;
    for (name, color, dashed) in items {
        let dash = if *dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" x2="{x2:.1}" y1="14" y2="14" stroke="{color}" stroke-width="3"{dash}/><text x="{tx:.1}" y="18" class="legend">{n}</text>"#,
            x2 = x + 22.0,
            tx = x + 27.0,
            n = esc(name)
        );
        #[allow(clippy::cast_precision_loss)] // ok: short legend names
        let width = name.chars().count() as f64 * 7.0;
        x += 40.0 + width;
    }
}

/// A closed path along `upper` and back along `lower`, filled lightly in
/// `color`; points where either end is not finite are left out.
fn band(
    out: &mut String,
    lower: &[f64],
    upper: &[f64],
    x: &impl Fn(usize) -> f64,
    y: &impl Fn(f64) -> f64,
    color: &str,
    title: &str,
) {
    let points: Vec<(usize, f64, f64)> = lower
        .iter()
        .zip(upper)
        .enumerate()
        .filter(|(_, (l, u))| l.is_finite() && u.is_finite())
        .map(|(i, (&l, &u))| (i, l, u))
        .collect();
    if points.len() < 2 {
        return;
    }
    let mut d = String::new();
    for (k, &(i, _, u)) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{:.1},{:.1} ",
            if k == 0 { "M" } else { "L" },
            x(i),
            y(u)
        );
    }
    for &(i, l, _) in points.iter().rev() {
        let _ = write!(d, "L{:.1},{:.1} ", x(i), y(l));
    }
    let _ = write!(
        out,
        r#"<path d="{d}Z" fill="{color}" fill-opacity="0.2" stroke="none"><title>{t}</title></path>"#,
        t = esc(title)
    );
}

/// A line chart. `vline`: an x index to mark with a dashed vertical line and a label.
#[allow(clippy::too_many_arguments)] // a chart's parts
pub fn line_chart(
    title: &str,
    labels: &[String],
    series: &[Series],
    fmt: YFormat,
    y_label: &str,
    x_title: &str,
    vline: Option<(f64, &str)>,
    y_max: Option<f64>,
) -> String {
    let f = Frame {
        w: 760.0,
        h: 300.0,
        left: 70.0,
        right: 20.0,
        top: 30.0,
        bottom: 44.0,
    };
    let mut out = String::new();
    open_svg(&mut out, &f, title);
    let hi = y_max.unwrap_or_else(|| {
        series
            .iter()
            .flat_map(|s| {
                s.values
                    .iter()
                    .flatten()
                    .chain(s.band.iter().flat_map(|b| b.1.iter()))
            })
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, &b| a.max(b))
    });
    let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
    let y = y_axis(&mut out, &f, 0.0, hi, fmt, y_label);
    let n = labels.len().max(2);
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let x = |i: usize| f.left + i as f64 / (n - 1) as f64 * f.plot_w();
    x_labels(&mut out, &f, labels, &x, 12, x_title);
    if let Some((at, text)) = vline {
        #[allow(clippy::cast_precision_loss)] // ok: chart positions
        let xx = f.left + at / (n - 1) as f64 * f.plot_w();
        let _ = write!(
            out,
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{t}" y2="{b}" stroke="#555" stroke-dasharray="4 4"/><text x="{tx:.1}" y="{ty}" class="tick">{l}</text>"##,
            t = f.top,
            b = f.top + f.plot_h(),
            tx = xx + 4.0,
            ty = f.top + 12.0,
            l = esc(text)
        );
    }
    for s in series {
        if let Some((lower, upper, title)) = &s.band {
            band(&mut out, lower, upper, &x, &y, &s.color, title);
        }
    }
    for s in series {
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => {
                    let _ = write!(
                        d,
                        "{}{:.1},{:.1} ",
                        if pen { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen = true;
                }
                _ => pen = false,
            }
        }
        let dash = if s.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="{w}"{dash}><title>{t}</title></path>"#,
            c = s.color,
            w = s.width,
            t = esc(&s.name)
        );
    }
    let items: Vec<(&str, &str, bool)> = series
        .iter()
        .filter(|s| s.legend)
        .map(|s| (s.name.as_str(), s.color.as_str(), s.dashed))
        .collect();
    legend(&mut out, &f, &items);
    out.push_str("</svg>");
    out
}

/// A bar chart of one series.
pub fn bar_chart(
    title: &str,
    labels: &[String],
    values: &[f64],
    fmt: YFormat,
    y_label: &str,
    x_title: &str,
    color: &str,
) -> String {
    let f = Frame {
        w: 760.0,
        h: 280.0,
        left: 70.0,
        right: 20.0,
        top: 20.0,
        bottom: 44.0,
    };
    let mut out = String::new();
    open_svg(&mut out, &f, title);
    let hi = values.iter().fold(0.0f64, |a, &b| a.max(b));
    let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
    let y = y_axis(&mut out, &f, 0.0, hi, fmt, y_label);
    let n = values.len().max(1);
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let bw = f.plot_w() / n as f64;
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let x = |i: usize| f.left + (i as f64 + 0.5) * bw;
    for (i, v) in values.iter().enumerate() {
        let top = y(*v);
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="{color}"><title>{l}: {v}</title></rect>"#,
            x = x(i) - bw * 0.45,
            w = bw * 0.9,
            h = (f.top + f.plot_h() - top).max(0.0),
            l = esc(labels.get(i).map_or("", String::as_str)),
            v = esc(&fmt_y(*v, fmt))
        );
    }
    x_labels(&mut out, &f, labels, &x, 10, x_title);
    out.push_str("</svg>");
    out
}

/// One layer of a stacked bar chart.
pub struct Stack<'a> {
    /// Legend name.
    pub name: &'a str,
    /// Fill colour.
    pub color: &'a str,
    /// One value per bar; positive values stack up from zero, negative ones
    /// down from zero.
    pub values: Vec<f64>,
}

/// A stacked bar chart with a zero line: per bar, the positive layers are
/// stacked above zero in the order given and the negative ones below it (as
/// growth-accounting charts draw losses).
pub fn stacked_bar_chart(
    title: &str,
    labels: &[String],
    stacks: &[Stack<'_>],
    y_label: &str,
    x_title: &str,
) -> String {
    let f = Frame {
        w: 760.0,
        h: 300.0,
        left: 70.0,
        right: 20.0,
        top: 30.0,
        bottom: 44.0,
    };
    let mut out = String::new();
    open_svg(&mut out, &f, title);
    let n = labels.len();
    let total = |sign: f64| {
        (0..n)
            .map(|i| {
                stacks
                    .iter()
                    .filter_map(|s| s.values.get(i))
                    .filter(|v| v.signum() == sign)
                    .sum::<f64>()
            })
            .fold(0.0f64, |a, b| if sign > 0.0 { a.max(b) } else { a.min(b) })
    };
    let (hi, lo) = (total(1.0), total(-1.0));
    let pad = (hi - lo).max(1.0) * 0.05;
    let (hi, lo) = (hi + pad, if lo < 0.0 { lo - pad } else { 0.0 });
    let y = y_axis_ticks(&mut out, &f, (lo, hi, 8.0), YFormat::Number, y_label);
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let bw = f.plot_w() / n.max(1) as f64;
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let x = |i: usize| f.left + (i as f64 + 0.5) * bw;
    for i in 0..n {
        let (mut up, mut down) = (0.0f64, 0.0f64);
        for s in stacks {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            if v == 0.0 || !v.is_finite() {
                continue;
            }
            let (from, to) = if v > 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down - v, down)
            };
            let (y0, y1) = (y(from), y(to));
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{l}: {name} {v}</title></rect>"#,
                x = x(i) - bw * 0.4,
                top = y0.min(y1),
                w = bw * 0.8,
                h = (y0 - y1).abs(),
                c = s.color,
                l = esc(labels.get(i).map_or("", String::as_str)),
                name = esc(s.name),
                v = esc(&fmt_y(v, YFormat::Number))
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{x1}" x2="{x2}" y1="{y0:.1}" y2="{y0:.1}" stroke="#222" stroke-width="1.2"/>"##,
        x1 = f.left,
        x2 = f.left + f.plot_w(),
        y0 = y(0.0)
    );
    x_labels(&mut out, &f, labels, &x, 12, x_title);
    let items: Vec<(&str, &str, bool)> = stacks.iter().map(|s| (s.name, s.color, false)).collect();
    legend(&mut out, &f, &items);
    out.push_str("</svg>");
    out
}

/// Cell colour of a retention fraction on a white-to-blue scale, with the
/// text colour that stays readable on it.
fn heat(v: f64, max: f64) -> (String, &'static str) {
    let t = if max > 0.0 {
        (v / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let lerp = |a: f64, b: f64| a + (b - a) * t.sqrt();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: in 0..=255
    let c = |a: f64, b: f64| lerp(a, b).round() as u8;
    let color = format!(
        "#{:02x}{:02x}{:02x}",
        c(247.0, 8.0),
        c(251.0, 69.0),
        c(255.0, 148.0)
    );
    (color, if t.sqrt() > 0.55 { "#fff" } else { "#111" })
}

/// The cohort retention heatmap: one row per cohort, one column per period
/// since acquisition; the colour scale runs to the largest value after
/// period 0 (period 0 is 100 % by definition and drawn grey).
pub fn heatmap(
    title: &str,
    rows: &[String],
    sizes: &[u64],
    values: &[Vec<f64>],
    partial: &[Vec<bool>],
    period: &str,
) -> String {
    let cols = values.iter().map(Vec::len).max().unwrap_or(0);
    let cell_w = (640.0 / cols.max(1) as f64).clamp(14.0, 44.0);
    let cell_h = if rows.len() > 40 { 12.0 } else { 18.0 };
    let left = 140.0;
    let top = 40.0;
    #[allow(clippy::cast_precision_loss)] // ok: chart positions
    let f = Frame {
        w: left + cell_w * cols as f64 + 20.0,
        h: top + cell_h * rows.len() as f64 + 30.0,
        left,
        right: 20.0,
        top,
        bottom: 30.0,
    };
    let mut out = String::new();
    open_svg(&mut out, &f, title);
    let max = values
        .iter()
        .flat_map(|r| r.iter().skip(1))
        .fold(0.0f64, |a, &b| a.max(b));
    let show_text = cell_w >= 28.0 && cell_h >= 14.0;
    let every = (cols / 16).max(1);
    for k in (0..cols).step_by(every) {
        #[allow(clippy::cast_precision_loss)] // ok: chart positions
        let x = left + (k as f64 + 0.5) * cell_w;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y}" text-anchor="middle" class="tick">+{k}</text>"#,
            y = top - 8.0
        );
    }
    let _ = write!(
        out,
        r#"<text x="{left}" y="14" class="axis">{p}s since acquisition →</text><text x="4" y="{y}" class="axis">cohort (size)</text>"#,
        p = esc(period),
        y = top - 8.0
    );
    let label_every = if rows.len() > 40 { 2 } else { 1 };
    for (i, (row, name)) in values.iter().zip(rows).enumerate() {
        #[allow(clippy::cast_precision_loss)] // ok: chart positions
        let y = top + i as f64 * cell_h;
        if i % label_every == 0 {
            let _ = write!(
                out,
                r#"<text x="{x}" y="{ty:.1}" text-anchor="end" class="tick">{n} ({s})</text>"#,
                x = left - 6.0,
                ty = y + cell_h * 0.75,
                n = esc(name),
                s = crate::format::count(sizes.get(i).copied().unwrap_or(0))
            );
        }
        for (k, v) in row.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)] // ok: chart positions
            let x = left + k as f64 * cell_w;
            let part = partial
                .get(i)
                .and_then(|p| p.get(k))
                .copied()
                .unwrap_or(false);
            let (fill, ink) = if k == 0 {
                ("#d9d9d9".to_string(), "#111")
            } else {
                heat(*v, max)
            };
            let _ = write!(
                out,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}" stroke="#fff"{op}><title>{n}, +{k}: {p:.1}%{pt}</title></rect>"##,
                w = cell_w,
                h = cell_h,
                op = if part { r#" fill-opacity="0.5""# } else { "" },
                n = esc(name),
                p = v * 100.0,
                pt = if part { " (period not complete)" } else { "" }
            );
            if show_text {
                let _ = write!(
                    out,
                    r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" class="cell" fill="{ink}">{p:.0}</text>"#,
                    tx = x + cell_w / 2.0,
                    ty = y + cell_h * 0.72,
                    p = v * 100.0
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_escapes() {
        // Range 0..0.3 in about 5 ticks: raw 0.06 → 0.1 (next of 1, 2, 5 × 10^k above 0.06 is 0.1).
        assert!((nice_step(0.3, 5.0) - 0.1).abs() < 1e-12);
        assert!((nice_step(1234.0, 5.0) - 500.0).abs() < 1e-9);
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn stacked_bars_put_negative_layers_below_the_zero_line() {
        let labels = vec!["a".to_string()];
        let stacks = [
            Stack {
                name: "up",
                color: "#000",
                values: vec![3.0],
            },
            Stack {
                name: "down",
                color: "#111",
                values: vec![-2.0],
            },
        ];
        let svg = stacked_bar_chart("t", &labels, &stacks, "y", "x");
        // Axis from -2 - 0.25 to 3 + 0.25 (5 % of the range 5 each side) over
        // the plot's y from 256 (bottom) to 30 (top), 226 px for 5.5:
        // y(0) = 256 - 2.25 / 5.5 * 226 = 163.5; y(3) = 256 - 5.25 / 5.5 * 226
        // = 40.3; y(-2) = 256 - 0.25 / 5.5 * 226 = 245.7.
        assert!(
            svg.contains(r##"y1="163.5" y2="163.5" stroke="#222""##),
            "{svg}"
        );
        assert!(svg.contains(r##"y="40.3" width="536.0" height="123.3" fill="#000""##));
        assert!(svg.contains(r##"y="163.5" width="536.0" height="82.2" fill="#111""##));
        assert!(svg.contains("<title>a: down -2</title>"));
    }
}
