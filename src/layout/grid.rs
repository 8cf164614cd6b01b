//! The table's cells from its ruling lines.
//!
//! Ruling lines are long straight runs of ink: horizontal ones are found row by row,
//! vertical ones column by column inside each band between two horizontal lines. A band's
//! vertical lines cut it into cells; a cell whose top line is missing over its width
//! continues the cell above (merged rows, like the photo cell). Works on any rendering of the
//! form: nothing depends on where the lines are, only on there being lines.

use image::GrayImage;

#[derive(Debug, Clone)]
pub struct GridParams {
    /// A horizontal ruling line is at least this long (mm): longer than any stroke of text.
    pub min_hline_mm: f32,
    /// A vertical line must cover this share of its band's height.
    pub min_vline_cover: f32,
    /// Gaps of up to this many pixels inside a line (broken by scanning or noise) are bridged.
    pub max_gap_px: u32,
    /// Bands thinner than this (mm) are the two edges of one thick line.
    pub min_band_mm: f32,
    /// A "line" with ink just above it (within `text_above_mm`) over more than this share of
    /// its length is the bottom strokes of a row of print (盟市、自治区产业工会意见 in a sans
    /// font, bridged over the gaps between characters), not a rule: a cell's text keeps
    /// clear of its rules, and a signature or seal crosses one over a small share. None
    /// keeps every line (the underlines of blanks have their digits right above them).
    pub max_text_above: Option<f32>,
    pub text_above_mm: f32,
}

impl Default for GridParams {
    fn default() -> Self {
        GridParams { min_hline_mm: 25.0, min_vline_cover: 0.7, max_gap_px: 3, min_band_mm: 3.0, max_text_above: Some(0.35), text_above_mm: 1.0 }
    }
}

/// A horizontal ruling line: its rows and, per column, whether it is drawn there.
#[derive(Debug, Clone)]
pub struct HLine {
    pub y0: u32,
    pub y1: u32,
    pub x0: u32,
    pub x1: u32,
    drawn: Vec<bool>,
}

impl HLine {
    /// Share of `[xa, xb)` over which this line is drawn.
    pub fn coverage(&self, xa: u32, xb: u32) -> f32 {
        let (xa, xb) = (xa as usize, (xb as usize).min(self.drawn.len()));
        if xb <= xa {
            return 0.0;
        }
        self.drawn[xa..xb].iter().filter(|d| **d).count() as f32 / (xb - xa) as f32
    }
}

/// A cell: its inner box (inside the ruling lines) in page pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    /// The first band (row of the drawn grid, 0-based) the cell is in, and how many bands
    /// it spans.
    pub band: usize,
    pub bands: usize,
}

impl Cell {
    pub fn width(&self) -> u32 {
        self.x1.saturating_sub(self.x0)
    }
    pub fn height(&self) -> u32 {
        self.y1.saturating_sub(self.y0)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub hlines: Vec<HLine>,
    /// Vertical ruling segments found in the bands: `[x0, y0, x1, y1]`, end exclusive.
    pub vlines: Vec<[u32; 4]>,
    pub cells: Vec<Cell>,
}

impl Grid {
    /// Whether some cell sits left of `c` in its top band.
    pub fn has_left(&self, c: &Cell) -> bool {
        self.cells.iter().any(|o| o.band <= c.band && o.band + o.bands > c.band && o.x1 <= c.x0)
    }

    /// Width of the whole table, from its leftmost to its rightmost cell.
    pub fn width(&self) -> u32 {
        let x0 = self.cells.iter().map(|c| c.x0).min().unwrap_or(0);
        let x1 = self.cells.iter().map(|c| c.x1).max().unwrap_or(0);
        x1.saturating_sub(x0)
    }

    /// The cell directly below `c`: in the band after its last, covering its left edge.
    pub fn below(&self, c: &Cell) -> Option<&Cell> {
        let slack = (c.width() / 10).max(3);
        self.cells.iter().find(|o| o.band == c.band + c.bands && o.x0 <= c.x0 + slack && o.x1 > c.x0 + slack)
    }

    /// The space right of `c` up to the table's right edge, when no cell was closed there: a
    /// faint or broken rule on the table's edge (a pale scan) leaves a label without its value
    /// cell. None when no cell reaches further right than `c`.
    pub fn open_right_of(&self, c: &Cell) -> Option<Cell> {
        let x1 = self.cells.iter().map(|o| o.x1).max()?;
        (x1 > c.x1 + c.width() / 2).then(|| Cell { x0: c.x1, x1, ..c.clone() })
    }

    /// The cell directly right of `c` that shares its top band.
    pub fn right_of(&self, c: &Cell) -> Option<&Cell> {
        self.cells
            .iter()
            .filter(|o| o.band <= c.band && o.band + o.bands > c.band && o.x0 >= c.x1)
            .min_by_key(|o| o.x0)
    }
}

fn mm(dpi: f32, mm: f32) -> u32 {
    (mm / 25.4 * dpi).round() as u32
}

/// A run of ink being followed along a row or column: gaps of up to `max_gap` pixels inside
/// it are bridged. Fed one position at a time, so that a mask's columns can be followed
/// together while it is read row by row.
#[derive(Clone, Copy, Default)]
struct Run {
    start: Option<u32>,
    last_ink: u32,
}

impl Run {
    /// Takes position `i` (inked or not); returns the run it ends, when a gap too wide ends one.
    fn step(&mut self, i: u32, on: bool, max_gap: u32) -> Option<(u32, u32)> {
        if !on {
            return None;
        }
        let ended = match self.start {
            Some(s) if i - self.last_ink > max_gap + 1 => {
                self.start = Some(i);
                Some((s, self.last_ink + 1))
            }
            Some(_) => None,
            None => {
                self.start = Some(i);
                None
            }
        };
        self.last_ink = i;
        ended
    }

    /// The run still open at the end, if any.
    fn finish(&self) -> Option<(u32, u32)> {
        self.start.map(|s| (s, self.last_ink + 1))
    }
}

/// Runs of ink along one row or column, with short gaps bridged: (start, end) exclusive.
fn runs(ink: impl Iterator<Item = bool>, max_gap: u32) -> Vec<(u32, u32)> {
    let mut run = Run::default();
    let mut out: Vec<(u32, u32)> = ink.zip(0u32..).filter_map(|(on, i)| run.step(i, on, max_gap)).collect();
    out.extend(run.finish());
    out
}

/// One column of a band, for finding vertical rules in it.
#[derive(Clone, Copy, Default)]
struct Column {
    /// The longest run of ink down the column taken with its two neighbours, gaps bridged as
    /// in `runs`: a rule left a fraction of a degree off vertical by the deskew (its estimate
    /// is good to about 0.2°) drifts a pixel or two over a tall band, sharing its ink between
    /// neighbouring columns.
    longest_near: u32,
    /// Inked pixels in the column itself: a column is part of the rule when it holds a share
    /// of it (the rule's edges stay put).
    own: u32,
    run: Run,
}

/// The columns `xs` over the rows `ys`, streamed row by row (a column at a time strode
/// across the whole mask for every pixel).
fn column_runs(ink: &GrayImage, xs: std::ops::Range<u32>, ys: std::ops::Range<u32>, max_gap: u32) -> Vec<Column> {
    let w = ink.width() as usize;
    let raw = ink.as_raw();
    let mut cols = vec![Column::default(); xs.len()];
    let longer = |c: &mut Column, r: Option<(u32, u32)>| {
        if let Some((a, b)) = r {
            c.longest_near = c.longest_near.max(b - a);
        }
    };
    for y in ys {
        let row = &raw[y as usize * w..(y as usize + 1) * w];
        for (x, c) in xs.clone().zip(cols.iter_mut()) {
            let x = x as usize;
            let own = row[x] > 127;
            let near = own || (x > 0 && row[x - 1] > 127) || (x + 1 < w && row[x + 1] > 127);
            c.own += u32::from(own);
            let ended = c.run.step(y, near, max_gap);
            longer(c, ended);
        }
    }
    for c in &mut cols {
        let open = c.run.finish();
        longer(c, open);
    }
    cols
}

/// Follows a horizontal line (rows `y0..y1`) past both ends of where it was found. A thin rule
/// left a fraction of a degree skewed steps down a row every few hundred pixels, so each row
/// holds only a stretch of it; the stretch at each end can be shorter than a line's least
/// length and was lost (a 1 px rule at 300 dpi, turned 0.19°, lost its first 75 px: the
/// table's left edge, and with it a column of labels). From each end the ink is followed a
/// column at a time within a row of where it was last seen, gaps bridged as in `runs`, and
/// never further than two rows from the line, so it cannot wander off along other ink.
fn trace_ends(drawn: &mut [bool], y0: u32, y1: u32, max_gap: u32, at: impl Fn(u32, u32) -> bool) {
    let w = drawn.len() as u32;
    let (Some(first), Some(last)) = (drawn.iter().position(|d| *d), drawn.iter().rposition(|d| *d)) else { return };
    let (lo, hi) = (y0.saturating_sub(2), y1 + 1);
    // Where the line is at column `x`, near the row it was last seen at: the middle of its ink
    // there.
    let row_at = |x: u32, near: u32| -> Option<u32> {
        // At most three rows: no allocation for each column followed.
        let (mut rows, mut n) = ([0u32; 3], 0);
        for y in (near.saturating_sub(1).max(lo)..=(near + 1).min(hi)).filter(|&y| at(x, y)) {
            rows[n] = y;
            n += 1;
        }
        (n > 0).then(|| rows[n / 2])
    };
    let start_row = |x: u32| (y0..y1).find(|&y| at(x, y)).unwrap_or((y0 + y1) / 2);
    for step in [-1i64, 1] {
        let end = if step < 0 { first } else { last } as u32;
        let mut yc = start_row(end);
        let (mut x, mut gap, mut last_ink) = (i64::from(end), 0u32, end);
        loop {
            x += step;
            if x < 0 || x >= i64::from(w) {
                break;
            }
            match row_at(x as u32, yc) {
                Some(y) => {
                    yc = y;
                    let (a, b) = if step < 0 { (x as u32, last_ink) } else { (last_ink, x as u32) };
                    drawn[a as usize..=b as usize].iter_mut().for_each(|d| *d = true);
                    last_ink = x as u32;
                    gap = 0;
                }
                None => {
                    gap += 1;
                    if gap > max_gap {
                        break;
                    }
                }
            }
        }
    }
}

/// The horizontal ruling lines in an ink mask (ink = 255), top down; lines closer than a
/// band (`min_band_mm`) are one thick or doubled line.
pub fn hlines(ink: &GrayImage, dpi: f32, params: &GridParams) -> Vec<HLine> {
    let (w, h) = ink.dimensions();
    let min_len = mm(dpi, params.min_hline_mm);
    // Over the raw rows: the mask is read whole once or twice a page, and through
    // `get_pixel`'s bounds checks this was a few per cent of a scan's time.
    let raw = ink.as_raw();
    let at = |x: u32, y: u32| raw[(y * w + x) as usize] > 127;

    // Rows carrying a long horizontal run, grouped into lines.
    let mut row_runs: Vec<Vec<(u32, u32)>> = Vec::with_capacity(h as usize);
    for row in raw.chunks_exact(w.max(1) as usize) {
        let r: Vec<(u32, u32)> = runs(row.iter().map(|&v| v > 127), params.max_gap_px).into_iter().filter(|(a, b)| b - a >= min_len).collect();
        row_runs.push(r);
    }
    let mut hlines: Vec<HLine> = Vec::new();
    let mut y = 0;
    while y < h {
        if row_runs[y as usize].is_empty() {
            y += 1;
            continue;
        }
        let y0 = y;
        let mut drawn = vec![false; w as usize];
        while y < h && !row_runs[y as usize].is_empty() {
            for &(a, b) in &row_runs[y as usize] {
                drawn[a as usize..b as usize].iter_mut().for_each(|d| *d = true);
            }
            y += 1;
        }
        trace_ends(&mut drawn, y0, y, params.max_gap_px, at);
        let x0 = drawn.iter().position(|d| *d).unwrap_or(0) as u32;
        let x1 = drawn.iter().rposition(|d| *d).map_or(0, |p| p + 1) as u32;
        if let Some(share) = params.max_text_above {
            let reach = mm(dpi, params.text_above_mm).max(2);
            let above = y0.saturating_sub(reach + 1)..y0.saturating_sub(1);
            let cols = (x0..x1).filter(|&x| drawn[x as usize]);
            let (mut n, mut inked) = (0u32, 0u32);
            for x in cols {
                n += 1;
                inked += u32::from(above.clone().any(|yy| at(x, yy)));
            }
            if n > 0 && inked as f32 > share * n as f32 {
                continue;
            }
        }
        hlines.push(HLine { y0, y1: y, x0, x1, drawn });
    }
    let min_band = mm(dpi, params.min_band_mm);
    // Two lines closer than a band are one thick (or doubled) line.
    let mut merged: Vec<HLine> = Vec::new();
    for l in hlines {
        match merged.last_mut() {
            Some(prev) if l.y0 < prev.y1 + min_band => {
                prev.y1 = l.y1;
                prev.x0 = prev.x0.min(l.x0);
                prev.x1 = prev.x1.max(l.x1);
                for (d, o) in prev.drawn.iter_mut().zip(&l.drawn) {
                    *d |= *o;
                }
            }
            _ => merged.push(l),
        }
    }
    merged
}

/// Finds the grid of ruling lines in an ink mask (ink = 255).
pub fn detect(ink: &GrayImage, dpi: f32, params: &GridParams) -> Grid {
    let w = ink.width();
    let hlines = hlines(ink, dpi, params);
    let min_band = mm(dpi, params.min_band_mm);
    // Bands between consecutive lines; vertical lines inside each band cut it into cells.
    let mut cells: Vec<Cell> = Vec::new();
    let mut vlines: Vec<[u32; 4]> = Vec::new();
    for (band, pair) in hlines.windows(2).enumerate() {
        let (top, bottom) = (&pair[0], &pair[1]);
        let (ya, yb) = (top.y1, bottom.y0);
        if yb <= ya + min_band {
            continue;
        }
        let need = ((yb - ya) as f32 * params.min_vline_cover) as u32;
        let xa = top.x0.min(bottom.x0).saturating_sub(2);
        let xb = top.x1.max(bottom.x1).saturating_add(2).min(w);
        let mut vx: Vec<(u32, u32)> = Vec::new();
        let columns = column_runs(ink, xa..xb, ya..yb, params.max_gap_px);
        for (x, col) in (xa..xb).zip(&columns) {
            if col.longest_near >= need && col.own >= need / 4 {
                match vx.last_mut() {
                    Some(last) if last.1 + 1 >= x => last.1 = x + 1,
                    _ => vx.push((x, x + 1)),
                }
            }
        }
        // The table's frame: where a band's top and bottom rules both end, its side is drawn,
        // even when a pale scan lost that stretch of it (the rules ending there say so). Without
        // this a faint frame loses a whole column of labels.
        if top.x0.abs_diff(bottom.x0) <= min_band && vx.first().is_none_or(|v| v.0 > top.x0.max(bottom.x0) + min_band) {
            let edge = top.x0.min(bottom.x0);
            vx.insert(0, (edge, edge + 1));
        }
        if top.x1.abs_diff(bottom.x1) <= min_band && vx.last().is_none_or(|v| v.1 + min_band < top.x1.min(bottom.x1)) {
            let edge = top.x1.max(bottom.x1);
            vx.push((edge.saturating_sub(1), edge));
        }
        vlines.extend(vx.iter().map(|&(a, b)| [a, ya, b, yb]));
        for pair in vx.windows(2) {
            let (left, right) = (pair[0], pair[1]);
            if right.0 <= left.1 + min_band {
                continue;
            }
            let (cx0, cx1) = (left.1, right.0);
            // A cell without a drawn top line continues the cell above it.
            let mid_cover = top.coverage(cx0 + (cx1 - cx0) / 4, cx1 - (cx1 - cx0) / 4);
            if mid_cover < 0.5 {
                if let Some(above) = cells.iter_mut().rev().find(|c| c.band + c.bands == band && c.x0.abs_diff(cx0) <= min_band && c.x1.abs_diff(cx1) <= min_band) {
                    above.y1 = yb;
                    above.bands += 1;
                    continue;
                }
            }
            cells.push(Cell { x0: cx0, y0: ya, x1: cx1, y1: yb, band, bands: 1 });
        }
    }
    Grid { hlines, vlines, cells }
}

/// The page with its ruling lines painted over in white (two pixels wider each side: the
/// grey edge of a scanned line and what is left of a slight skew), so that OCR of a cell
/// sees no line fragments.
/// `hlines` and `vlines` as a grid holds them; the rules of several detections (the table's,
/// the underlines') are erased in one copy.
pub fn erase_lines<'a>(gray: &GrayImage, hlines: impl IntoIterator<Item = &'a HLine>, vlines: &[[u32; 4]]) -> GrayImage {
    let mut out = gray.clone();
    let (w, h) = (out.width() as usize, out.height());
    let raw: &mut [u8] = &mut out;
    for l in hlines {
        // A line's columns grown by one each side, once for all its rows.
        let wide: Vec<bool> = (0..w).map(|x| l.drawn[x.saturating_sub(1)..(x + 2).min(l.drawn.len())].iter().any(|d| *d)).collect();
        for y in l.y0.saturating_sub(2)..(l.y1 + 2).min(h) {
            let row = &mut raw[y as usize * w..(y as usize + 1) * w];
            for (px, _) in row.iter_mut().zip(&wide).filter(|(_, on)| **on) {
                *px = 255;
            }
        }
    }
    for &[x0, y0, x1, y1] in vlines {
        let (xa, xb) = (x0.saturating_sub(2) as usize, ((x1 + 2) as usize).min(w));
        for y in y0.saturating_sub(2)..(y1 + 2).min(h) {
            raw[y as usize * w + xa..y as usize * w + xb].fill(255);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// A 3-row table at 100 dpi: row 0 has 3 cells, rows 1–2 share a merged right cell.
    fn table() -> GrayImage {
        let mut g = GrayImage::new(800, 600);
        let line = |g: &mut GrayImage, x: i32, y: i32, w: u32, h: u32| draw_filled_rect_mut(g, Rect::at(x, y).of_size(w, h), Luma([255]));
        line(&mut g, 100, 100, 600, 3);
        line(&mut g, 100, 200, 600, 3);
        line(&mut g, 100, 300, 400, 3); // stops before the merged right cell
        line(&mut g, 100, 400, 600, 3);
        for x in [100, 300, 500, 697] {
            line(&mut g, x, 100, 3, 303);
        }
        g
    }

    #[test]
    fn a_thin_rule_stepping_down_a_row_is_followed_to_its_ends() {
        // A 1 px rule left slightly skewed: each row holds a stretch of it, the first and the
        // last shorter than a line's least length (25 mm, 98 px at 100 dpi).
        let mut g = GrayImage::new(800, 400);
        let stretches = [(100, 170), (170, 400), (400, 630), (630, 700)];
        for (row, &(a, b)) in stretches.iter().enumerate() {
            for x in a..b {
                g.put_pixel(x, 100 + row as u32, Luma([255]));
            }
        }
        // Ink going on from the rule's end but climbing away from it (a stroke touching it):
        // followed only while within two rows of the rule.
        for i in 0..40 {
            g.put_pixel(700 + i, 103 - i.min(103), Luma([255]));
        }
        let grid = detect(&g, 100.0, &GridParams::default());
        assert_eq!(grid.hlines.len(), 1);
        let l = &grid.hlines[0];
        assert_eq!(l.x0, 100, "the first stretch is part of the rule");
        assert!((700..=708).contains(&l.x1), "followed to its end, not up the stroke: {}", l.x1);
        assert!(l.coverage(100, 700) > 0.99);
    }

    #[test]
    fn cells_and_merged_cells_are_found() {
        let grid = detect(&table(), 100.0, &GridParams::default());
        assert_eq!(grid.hlines.len(), 4);
        let mut boxes: Vec<(u32, u32, usize, usize)> = grid.cells.iter().map(|c| (c.x0, c.y0, c.band, c.bands)).collect();
        boxes.sort();
        assert_eq!(boxes, [(103, 103, 0, 1), (103, 203, 1, 1), (103, 303, 2, 1), (303, 103, 0, 1), (303, 203, 1, 1), (303, 303, 2, 1), (503, 103, 0, 1), (503, 203, 1, 2)]);
        let merged = grid.cells.iter().find(|c| c.bands == 2).unwrap();
        assert_eq!((merged.y1, merged.x1), (400, 697));
        let first = grid.cells.iter().find(|c| c.x0 == 103 && c.band == 0).unwrap();
        assert_eq!(grid.right_of(first).unwrap().x0, 303);
    }

    #[test]
    fn a_faint_frame_is_drawn_where_the_rules_end_and_an_open_row_reaches_the_edge() {
        let mut g = table();
        // The left frame lost along the middle row, the inner rule at x = 500 lost there too.
        draw_filled_rect_mut(&mut g, Rect::at(100, 210).of_size(3, 85), Luma([0]));
        draw_filled_rect_mut(&mut g, Rect::at(500, 210).of_size(3, 85), Luma([0]));
        let grid = detect(&g, 100.0, &GridParams::default());
        let label = grid.cells.iter().find(|c| c.band == 1 && c.x0 < 110).expect("the row's first cell, closed by the frame");
        assert_eq!(label.x1, 300);
        let open = grid.cells.iter().find(|c| c.band == 1 && c.x0 == 303).expect("the middle cell");
        // No rule at 500 in this band: the cell right of it reaches the merged cell's rule.
        assert_eq!(open.x1, 697);
        // A label whose row has nothing closed right of it gets the space to the table's edge.
        let lone = Cell { x0: 103, y0: 203, x1: 300, y1: 300, band: 1, bands: 1 };
        let grid_without_right = Grid { cells: vec![lone.clone(), Cell { x0: 303, y0: 103, x1: 697, y1: 200, band: 0, bands: 1 }], ..Grid::default() };
        let space = grid_without_right.open_right_of(&lone).expect("space to the edge");
        assert_eq!((space.x0, space.x1, space.y0, space.y1), (300, 697, 203, 300));
    }

    #[test]
    fn a_rule_left_slightly_skewed_still_cuts_its_band() {
        // The rule at x = 300 one pixel wide, stepping a pixel right every 100 rows (half a
        // degree): no column holds it over most of the band, three neighbouring columns do.
        let mut g = GrayImage::new(800, 600);
        let line = |g: &mut GrayImage, x: i32, y: i32, w: u32, h: u32| draw_filled_rect_mut(g, Rect::at(x, y).of_size(w, h), Luma([255]));
        for y in [100, 400] {
            line(&mut g, 100, y, 600, 3);
        }
        for x in [100, 697] {
            line(&mut g, x, 100, 3, 303);
        }
        for step in 0..3 {
            line(&mut g, 300 + step, 103 + step * 100, 1, 100);
        }
        let grid = detect(&g, 100.0, &GridParams::default());
        let edges: Vec<(u32, u32)> = grid.cells.iter().map(|c| (c.x0, c.x1)).collect();
        assert!(matches!(edges[..], [(103, 300..=302), (300..=303, 697)]), "{edges:?}");
        // Text's columns are not lines for it: a column of characters stays one cell.
        let mut g = GrayImage::new(800, 600);
        for y in [100, 400] {
            line(&mut g, 100, y, 600, 3);
        }
        for x in [100, 697] {
            line(&mut g, x, 100, 3, 303);
        }
        for row in 0..12 {
            line(&mut g, 300, 110 + row * 24, 3, 14);
        }
        assert_eq!(detect(&g, 100.0, &GridParams::default()).cells.len(), 1);
    }

    #[test]
    fn text_is_not_a_line() {
        let mut g = GrayImage::new(400, 200);
        for i in 0..20 {
            draw_filled_rect_mut(&mut g, Rect::at(20 + i * 18, 50).of_size(12, 14), Luma([255]));
        }
        assert!(detect(&g, 100.0, &GridParams::default()).hlines.is_empty());
    }

    #[test]
    fn the_bottom_strokes_of_a_row_of_print_are_not_a_rule() {
        let mut g = table();
        // A title in the middle row whose characters end in bottom strokes close enough to be
        // bridged into one long run, with the characters' bodies right above it.
        for i in 0..14 {
            let x = 110 + i * 14;
            draw_filled_rect_mut(&mut g, Rect::at(x, 236).of_size(12, 2), Luma([255]));
            for dx in [0, 7] {
                draw_filled_rect_mut(&mut g, Rect::at(x + dx, 222).of_size(3, 14), Luma([255]));
            }
        }
        let grid = detect(&g, 100.0, &GridParams::default());
        assert_eq!(grid.hlines.len(), 4, "{:?}", grid.hlines.iter().map(|l| l.y0).collect::<Vec<_>>());
        // Kept when asked to keep every line (the underlines of blanks).
        let all = detect(&g, 100.0, &GridParams { max_text_above: None, ..GridParams::default() });
        assert_eq!(all.hlines.len(), 5);
    }
}
