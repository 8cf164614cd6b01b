//! The short underlines of the row-12 sentence's blanks, erased before it is read: a
//! handwritten digit standing on one is read as another character.

use image::GrayImage;

/// Erases the short underlines of the sentence's blanks. Too short to be told from a stroke
/// of print anywhere on the page (so `prepare` leaves them), they join a handwritten digit
/// standing on them: 1 reads 工 or 士, 一 reads 二. Here they are known by where they lie:
/// below the line's print, whose baseline most columns of ink reach. A run of ink at least
/// half an em long, two pixels or more below that baseline, is an underline.
pub(super) fn erase_blank_underlines(page: &mut GrayImage, [x, y, w, h]: [u32; 4], em: u32) {
    let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
    let dark = |p: &GrayImage, xx: u32, yy: u32| p.get_pixel(xx, yy)[0] < 140;
    let rows: Vec<bool> = (y..y1).map(|yy| (x..x1).filter(|&xx| dark(page, xx, yy)).count() >= 2).collect();
    let mut yy = 0usize;
    while yy < rows.len() {
        if !rows[yy] {
            yy += 1;
            continue;
        }
        // A band of ink rows; an underline a few pixels below the print belongs to its line.
        let start = yy;
        let gap = (em / 3).max(1) as usize;
        let mut last = yy;
        while yy < rows.len() && (rows[yy] || yy - last <= gap) {
            if rows[yy] {
                last = yy;
            }
            yy += 1;
        }
        yy = last + 1;
        let (b0, b1) = (y + start as u32, y + yy as u32);
        // The lowest ink of each column of the band; the baseline is reached by most columns
        // of print, while underlines are a small share of the line's columns.
        let mut bottoms: Vec<u32> = (x..x1).filter_map(|xx| (b0..b1).rev().find(|&r| dark(page, xx, r))).collect();
        if bottoms.len() < 8 {
            continue;
        }
        bottoms.sort_unstable();
        let baseline = bottoms[bottoms.len() * 3 / 4];
        // Where the line's underlines are many and long, they are the lowest ink of a large
        // share of its columns: the feet are then taken from the columns whose lowest ink is
        // a stroke standing on them, taller than a rule is thick.
        let thin = rule_thickness(em);
        let mut feet: Vec<u32> = (x..x1)
            .filter_map(|xx| {
                let bottom = (b0..b1).rev().find(|&r| dark(page, xx, r))?;
                let top = (b0..=bottom).rev().find(|&r| !dark(page, xx, r)).map_or(b0, |r| r + 1);
                (bottom + 1 - top > thin).then_some(bottom)
            })
            .collect();
        feet.sort_unstable();
        let feet = if feet.len() >= 8 { feet[feet.len() * 3 / 4].min(baseline) } else { baseline };
        // The band ends at its last row of dark ink; a grey rule may lie just below it.
        let below = (b1 + thin).min(y1);
        erase_thin_rules(page, [x, b0, x1 - x, below - b0], feet, em);
        for r in (baseline + 2)..b1 {
            let mut run_start: Option<u32> = None;
            for xx in x..=x1 {
                let on = xx < x1 && dark(page, xx, r);
                match (on, run_start) {
                    (true, None) => run_start = Some(xx),
                    (false, Some(s0)) => {
                        if xx - s0 >= em / 2 {
                            for e in s0..xx {
                                page.put_pixel(e, r, image::Luma([255]));
                            }
                        }
                        run_start = None;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Erases the underlines that lie close under the print (a value typed with underlining, one
/// pixel below the characters' feet) or whose pixels are half grey, which the runs of dark ink
/// below the baseline miss. Such an underline is a piece of ink, wide and thin, whose top is not
/// above the print's baseline: a typed 一 is as wide and thin but stands mid-line, the lower
/// stroke of 二 above the feet of the characters around it. An underline touching a character's
/// foot makes one piece with it: the rows below the baseline are then looked at alone, which
/// takes at most a row off a character's lowest stroke.
fn erase_thin_rules(page: &mut GrayImage, [x, y, w, h]: [u32; 4], baseline: u32, em: u32) {
    erase_wide_thin(page, [x, y, w, h], y, baseline.saturating_sub(1), em);
    erase_wide_thin(page, [x, y, w, h], baseline + 1, 0, em);
}

/// How thick an underline may be: one or two pixels with the grey fringe a scan gives it above
/// and below.
fn rule_thickness(em: u32) -> u32 {
    (em / 6).max(4)
}

/// Erases the wide, thin pieces of ink in the rectangle counted from row `from` down, whose top
/// is at row `min_top` or below. Grey counts as ink: a one-pixel rule scanned is half grey.
fn erase_wide_thin(page: &mut GrayImage, [x, y, w, h]: [u32; 4], from: u32, min_top: u32, em: u32) {
    use imageproc::region_labelling::{connected_components, Connectivity};
    if w == 0 || h == 0 {
        return;
    }
    let grey = |xx: u32, yy: u32| xx < w && page.get_pixel(x + xx, y + yy)[0] < 200;
    // A pixel between two of ink is ink: a rule broken for one pixel is one piece.
    let ink = GrayImage::from_fn(w, h, |xx, yy| {
        let on = y + yy >= from && (grey(xx, yy) || (xx > 0 && grey(xx - 1, yy) && grey(xx + 1, yy)));
        image::Luma([if on { 255 } else { 0 }])
    });
    let labels = connected_components(&ink, Connectivity::Eight, image::Luma([0u8]));
    let mut extent: std::collections::HashMap<u32, [u32; 4]> = std::collections::HashMap::new();
    for (xx, yy, l) in labels.enumerate_pixels() {
        if l[0] != 0 {
            let e = extent.entry(l[0]).or_insert([xx, yy, xx, yy]);
            *e = [e[0].min(xx), e[1].min(yy), e[2].max(xx), e[3].max(yy)];
        }
    }
    let thin = rule_thickness(em);
    for (label, [x0, y0, x1, y1]) in extent {
        let (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
        if width < em / 3 || height > thin || width < 3 * height || y + y0 < min_top {
            continue;
        }
        // Cut from the print above it (the feet of characters below the baseline), not a rule
        // of its own: dark ink stands on most of it.
        let above = (y + y0).checked_sub(1).filter(|&r| r >= y);
        if above.is_some_and(|r| (x0..=x1).filter(|&xx| page.get_pixel(x + xx, r)[0] < 140).count() * 2 > width as usize) {
            continue;
        }
        for yy in y0..=y1 {
            for xx in x0..=x1 {
                if labels.get_pixel(xx, yy)[0] == label {
                    page.put_pixel(x + xx, y + yy, image::Luma([255]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn underlines_below_the_print_are_erased_strokes_on_it_kept() {
        let mut page = GrayImage::from_pixel(400, 60, image::Luma([255]));
        // Ten "characters" of print standing on the baseline y = 39, one with a long bottom
        // stroke on the baseline itself (出).
        for i in 0..10 {
            draw_filled_rect_mut(&mut page, Rect::at(10 + i * 36, 15).of_size(4, 25), image::Luma([0]));
            draw_filled_rect_mut(&mut page, Rect::at(24 + i * 36, 15).of_size(4, 25), image::Luma([0]));
        }
        draw_filled_rect_mut(&mut page, Rect::at(10, 38).of_size(30, 2), image::Luma([0]));
        // An underline three pixels below the baseline, under a blank.
        draw_filled_rect_mut(&mut page, Rect::at(150, 43).of_size(24, 2), image::Luma([0]));
        erase_blank_underlines(&mut page, [0, 0, 400, 60], 28);
        assert!((150..174).all(|x| page.get_pixel(x, 43)[0] == 255 && page.get_pixel(x, 44)[0] == 255), "the underline is erased");
        assert!((10..40).all(|x| page.get_pixel(x, 38)[0] == 0), "the stroke on the baseline is kept");
        assert_eq!(page.get_pixel(12, 30)[0], 0, "the print is kept");
    }

    #[test]
    fn grey_underlines_close_under_the_feet_are_erased_a_mid_line_stroke_kept() {
        let mut page = GrayImage::from_pixel(400, 60, image::Luma([255]));
        // Print standing on y = 39 as before; a typed 一 across the middle of the line.
        for i in 0..10 {
            draw_filled_rect_mut(&mut page, Rect::at(10 + i * 36, 15).of_size(4, 25), image::Luma([0]));
            draw_filled_rect_mut(&mut page, Rect::at(24 + i * 36, 15).of_size(4, 25), image::Luma([0]));
        }
        draw_filled_rect_mut(&mut page, Rect::at(300, 26).of_size(28, 2), image::Luma([0]));
        // A scanned one-pixel underline one row below the feet, half grey and broken, touching
        // the foot of the character after it.
        for x in 150..190 {
            let v = if x % 7 == 0 { 215 } else if x % 2 == 0 { 120 } else { 170 };
            page.put_pixel(x, 40, image::Luma([v]));
        }
        erase_blank_underlines(&mut page, [0, 0, 400, 60], 28);
        assert!((150..180).all(|x| page.get_pixel(x, 40)[0] >= 200), "the underline is erased");
        assert!((300..328).all(|x| page.get_pixel(x, 26)[0] == 0), "the 一 is kept");
        assert_eq!(page.get_pixel(190, 30)[0], 0, "the character it touches is kept");
    }
}
