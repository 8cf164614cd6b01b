//! Where a vote count's ink lies between the printed words round it, so that it can be read
//! alone by the digits' engine.

use image::GrayImage;

use crate::layout::approval;

use super::cells::DARK_INK;
use super::mm_px;

/// Whether a blank's count starts the line below the word before it: its 1 stands on an
/// underline there, read as 二 however the underline was erased.
pub(super) fn starts_a_line(gs: &[approval::Glyph], a: usize, b: usize, dpi: f32) -> bool {
    a.checked_sub(1).zip(gs.get(b)).is_some_and(|(l, right)| wraps_before(&gs[l], right, dpi) && gs[a].rect[1] + gs[a].rect[3] / 2 > gs[l].rect[1] + gs[l].rect[3])
}

/// Whether the printed word after a blank stands a line below the one before it: the
/// sentence wrapped at the blank.
fn wraps_before(left: &approval::Glyph, right: &approval::Glyph, dpi: f32) -> bool {
    right.rect[1] > left.rect[1] + mm_px(dpi, 3.7) / 2
}

/// The ink of a count written between two printed words on one line, cut from theirs: the
/// line's columns of ink are split into runs, runs close together joined into characters, and
/// each word is the character as wide as print nearest its estimated centre; what lies
/// between the two words is the count. The glyph boxes are only shares of OCR's word boxes,
/// and those may hold a digit beside the word (议 1|81): a character's width, not its box,
/// says where it ends. None when the words stand on two
/// lines or nothing lies between them.
pub(super) fn count_ink(page: &GrayImage, left: &approval::Glyph, right: &approval::Glyph, within: [u32; 4], dpi: f32) -> Option<[u32; 4]> {
    // The print's em: the glyph boxes' heights are those of OCR's words, which may take in a
    // taller neighbour, and their widths shares of them.
    let h = mm_px(dpi, 3.7).max(4);
    // A count starting the line below its word before (反对 | 1人) runs from that line's start.
    let wrapped = wraps_before(left, right, dpi);
    if !wrapped && ((left.rect[1] as i64 - right.rect[1] as i64).unsigned_abs() > h as u64 / 2 || right.rect[0] <= left.rect[0]) {
        return None;
    }
    let x0 = if wrapped { within[0] } else { left.rect[0].saturating_sub(h * 3 / 2).max(within[0]) };
    let x1 = (right.rect[0] + right.rect[2] + h * 3 / 2).min(within[0] + within[2]).min(page.width());
    let on_line = if wrapped { [right.rect[1], right.rect[1]] } else { [left.rect[1].min(right.rect[1]), left.rect[1].max(right.rect[1])] };
    let top = on_line[0].saturating_sub(h / 3).max(within[1]);
    let bottom = (on_line[1] + h + h / 3).min(within[1] + within[3]).min(page.height());
    let dark = |x: u32, y: u32| page.get_pixel(x, y)[0] < DARK_INK;
    let inked = |x: u32| (top..bottom).any(|y| dark(x, y));
    let mut runs: Vec<(u32, u32)> = Vec::new();
    let mut start = None;
    for x in x0..=x1 {
        match (x < x1 && inked(x), start) {
            (true, None) => start = Some(x),
            (false, Some(s0)) => {
                runs.push((s0, x));
                start = None;
            }
            _ => {}
        }
    }
    // Runs no further apart than a quarter of an em make a character (讠 and 义; thin print
    // shrunk from 300 dpi leaves gaps of a sixth inside 届 and a quarter in 议), no wider than
    // a tenth more than an em. A character of print is at least six tenths of an em wide and
    // nine tenths as high as the tallest character round the count: a number's digits
    // together may be as wide, but stand lower (about four fifths of the print's height).
    let mut chars: Vec<(usize, usize)> = Vec::new();
    for i in 0..runs.len() {
        match chars.last_mut() {
            Some((a, b)) if runs[i].0 - runs[*b - 1].1 <= h / 4 && runs[i].1 - runs[*a].0 <= h * 11 / 10 => *b = i + 1,
            _ => chars.push((i, i + 1)),
        }
    }
    let height = |&(a, b): &(usize, usize)| {
        let (x0, x1) = (runs[a].0, runs[b - 1].1);
        let rows: Vec<u32> = (top..bottom).filter(|&y| (x0..x1).any(|x| dark(x, y))).collect();
        rows.last().zip(rows.first()).map_or(0, |(b, a)| b + 1 - a)
    };
    let heights: Vec<u32> = chars.iter().map(height).collect();
    let print = heights.iter().copied().max().unwrap_or(0).max(h * 3 / 5);
    let printed: Vec<(usize, usize)> = chars
        .iter()
        .zip(&heights)
        .filter(|&(&(a, b), &height)| (runs[b - 1].1 - runs[a].0) * 10 >= h * 6 && height * 10 >= print * 9)
        .map(|(&c, _)| c)
        .collect();
    // The printed word is the character of print nearest its estimated centre.
    let word = |g: &approval::Glyph| {
        let cx = g.rect[0] + g.rect[2] / 2;
        printed.iter().copied().min_by_key(|&(a, b)| {
            let (x0, x1) = (runs[a].0, runs[b - 1].1);
            if cx < x0 { x0 - cx } else { cx.saturating_sub(x1) }
        })
    };
    let left_end = if wrapped { 0 } else { word(left)?.1 };
    let (right_start, _) = word(right)?;
    if left_end >= right_start {
        return None;
    }
    let (xa, xb) = (runs[left_end].0, runs[right_start - 1].1);
    let mut rows: Vec<u32> = (top..bottom).filter(|&y| (xa..xb).any(|x| dark(x, y))).collect();
    // An underline left under the digits (touching a foot, it was not erased) spans the cut:
    // its rows, a rule's thickness at most, are left out.
    let across = |y: u32| (xa..xb).filter(|&x| dark(x, y)).count() * 5 >= (xb - xa) as usize * 4;
    let rule: Vec<u32> = rows.iter().rev().copied().take_while(|&y| across(y)).collect();
    if !rule.is_empty() && rule.len() as u32 <= (h / 6).max(2) && rule.len() < rows.len() {
        rows.truncate(rows.len() - rule.len());
    }
    let (&ya, &yb) = (rows.first()?, rows.last()?);
    // The box takes in a pixel of paper either side at 200 dpi, short of the printed words: a
    // serif 1's foot is paler than dark ink, and cut off at the stem it reads as l (157 at
    // 0.30 to the digits' engine, at 0.95 with one pixel more). Not more: the engine's
    // confidence wavers with the paper round a digit (a 5 at 0.97 with one pixel, 0.85 with
    // two), and a count below 0.9 is not taken.
    let grow = (h / 24).max(1);
    let room = (if wrapped || left_end == 0 { x0 } else { runs[left_end - 1].1 }, runs[right_start].0);
    let (xa, xb) = (xa.saturating_sub(grow).max(room.0), (xb + grow).min(room.1));
    Some([xa, ya, xb - xa, yb + 1 - ya])
}

/// The numerals written with as many flat strokes as their value.
pub(super) const STROKE_NUMERALS: [char; 3] = ['一', '二', '三'];

/// The numeral 一, 二 or 三 that a count's ink is, told by its strokes: as many flat bands of
/// dark ink one above the other, each at least twice as wide as it is high and none more than
/// two and a half times as wide as another (a left-over underline is wider than any stroke
/// over it; a brush-written 二's upper stroke may be less than half its lower's dark ink: 15
/// px over 32 in 经6届二次, which was left 一). None
/// when the ink is anything else. Strokes that slant or touch may make one band, so this is
/// the fewest strokes the ink can hold. OCR takes a handwritten 二 pressed between its printed
/// neighbours for 一 (经12届二次 read as 经12届一次), and a numeral is not the digits'
/// engine's to read again.
pub(super) fn stroke_numeral(page: &GrayImage, [x, y, w, h]: [u32; 4]) -> Option<char> {
    let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
    let dark = |xx: u32, yy: u32| page.get_pixel(xx, yy)[0] < DARK_INK;
    // Strokes two rows apart or more are two strokes.
    let bands = super::cells::ink_bands(|yy| (x..x1).any(|xx| dark(xx, yy)), y..y1, 2);
    if !(1..=3).contains(&bands.len()) {
        return None;
    }
    let mut widths = Vec::new();
    for &(a, b) in &bands {
        let first = (x..x1).find(|&xx| (a..b).any(|yy| dark(xx, yy)))?;
        let last = (x..x1).rev().find(|&xx| (a..b).any(|yy| dark(xx, yy)))?;
        let width = last + 1 - first;
        if width < 2 * (b - a) {
            return None;
        }
        widths.push(width);
    }
    let (narrowest, widest) = (*widths.iter().min()?, *widths.iter().max()?);
    (widest * 2 <= narrowest * 5).then(|| STROKE_NUMERALS[bands.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn a_count_is_cut_from_the_printed_words_round_it_by_their_width_not_their_boxes() {
        // 200 dpi, an em of 29 px: 议 as two strokes (讠 and 义), a count 173 whose 7 and 3
        // stand close together (as wide as a character, but lower), then 人. OCR's box for 议
        // took in the 1.
        let mut page = GrayImage::from_pixel(400, 100, image::Luma([255]));
        let ink = |page: &mut GrayImage, x: i32, y: i32, w: u32, h: u32| draw_filled_rect_mut(page, Rect::at(x, y).of_size(w, h), image::Luma([20]));
        ink(&mut page, 100, 30, 6, 26);
        ink(&mut page, 109, 30, 17, 26);
        ink(&mut page, 140, 36, 4, 20);
        ink(&mut page, 150, 36, 12, 20);
        ink(&mut page, 165, 36, 12, 20);
        ink(&mut page, 190, 30, 25, 26);
        let glyph = |ch, rect| approval::Glyph { ch, rect, confidence: 0.9 };
        let (left, right) = (glyph('议', [110, 30, 36, 26]), glyph('人', [188, 30, 28, 26]));
        let within = [0, 0, 400, 100];
        // A pixel of paper either side of the count's ink (a serif's pale foot).
        assert_eq!(count_ink(&page, &left, &right, within, 200.0), Some([139, 36, 39, 20]));
        // Nothing between the words: no count.
        let mut bare = GrayImage::from_pixel(400, 100, image::Luma([255]));
        ink(&mut bare, 100, 30, 26, 26);
        ink(&mut bare, 190, 30, 25, 26);
        assert_eq!(count_ink(&bare, &glyph('议', [100, 30, 26, 26]), &right, within, 200.0), None);
        // The words on two lines, nothing at the second's start before 人: no count.
        assert_eq!(count_ink(&page, &left, &glyph('人', [20, 70, 28, 26]), within, 200.0), None);
        // A count starting the line below its word before (反对 | 1人), standing on an
        // underline that touched its foot and was not erased: cut from the line's start to 人,
        // the underline's rows left out.
        let mut wrapped = GrayImage::from_pixel(400, 110, image::Luma([255]));
        ink(&mut wrapped, 300, 30, 26, 26);
        ink(&mut wrapped, 20, 76, 4, 20);
        ink(&mut wrapped, 14, 96, 21, 2);
        ink(&mut wrapped, 40, 70, 25, 26);
        let (left, right) = (glyph('对', [300, 30, 26, 26]), glyph('人', [40, 70, 25, 26]));
        assert_eq!(count_ink(&wrapped, &left, &right, [0, 0, 400, 110], 200.0), Some([13, 76, 23, 20]));
    }

    #[test]
    fn one_two_and_three_are_told_by_their_flat_strokes_and_nothing_else_is() {
        let ink = |page: &mut GrayImage, x: i32, y: i32, w: u32, h: u32| draw_filled_rect_mut(page, Rect::at(x, y).of_size(w, h), image::Luma([20]));
        let strokes = |bars: &[(i32, i32, u32)]| {
            let mut page = GrayImage::from_pixel(60, 40, image::Luma([255]));
            for &(x, y, w) in bars {
                ink(&mut page, x, y, w, 3);
            }
            stroke_numeral(&page, [0, 0, 60, 40])
        };
        assert_eq!(strokes(&[(10, 18, 30)]), Some('一'));
        // 二: a shorter stroke above a longer one.
        assert_eq!(strokes(&[(14, 8, 20), (8, 28, 32)]), Some('二'));
        assert_eq!(strokes(&[(12, 5, 26), (15, 17, 20), (8, 30, 34)]), Some('三'));
        // A brush-written 二: its upper stroke less than half as wide as its lower.
        assert_eq!(strokes(&[(19, 10, 15), (8, 22, 32)]), Some('二'));
        // A stroke over what is left of an underline three times as wide: not 二.
        assert_eq!(strokes(&[(24, 8, 12), (2, 28, 40)]), None);
        // A digit's ink is not a stack of flat strokes.
        let mut four = GrayImage::from_pixel(60, 40, image::Luma([255]));
        ink(&mut four, 20, 5, 4, 30);
        ink(&mut four, 10, 22, 24, 3);
        assert_eq!(stroke_numeral(&four, [0, 0, 60, 40]), None);
        // Four strokes are no numeral of these.
        assert_eq!(strokes(&[(10, 2, 30), (10, 12, 30), (10, 22, 30), (10, 32, 30)]), None);
    }

    #[test]
    fn a_count_read_as_a_numeral_is_read_again_only_where_it_starts_a_line() {
        // 反对 | 二人 (a 1 on its underline): the numeral is at the second line's start.
        let glyph = |ch, rect| approval::Glyph { ch, rect, confidence: 0.9 };
        let wrapped = [glyph('对', [300, 30, 26, 26]), glyph('二', [14, 76, 21, 20]), glyph('人', [40, 70, 25, 26])];
        assert!(starts_a_line(&wrapped, 1, 2, 200.0));
        // 经三届 on one line: a numeral written so, not read again by the digits' engine.
        let one_line = [glyph('经', [10, 30, 26, 26]), glyph('三', [40, 30, 26, 26]), glyph('届', [70, 30, 26, 26])];
        assert!(!starts_a_line(&one_line, 1, 2, 200.0));
        // The count ending the first line, 人 starting the next: not at a line's start.
        let ends = [glyph('对', [300, 30, 26, 26]), glyph('二', [330, 33, 21, 20]), glyph('人', [14, 70, 25, 26])];
        assert!(!starts_a_line(&ends, 1, 2, 200.0));
    }
}
