//! Tests of seal and handwriting finding on images drawn with the sample generator's own
//! functions (seals, handwriting) and with imageproc's drawing (the negatives).

use image::{GrayImage, Rgb, RgbImage};
use imageproc::drawing::{draw_filled_rect_mut, draw_line_segment_mut, draw_text_mut};
use imageproc::rect::Rect;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::preprocess::to_gray;
use crate::record::Mark;
use crate::samples::marks::{fonts, hand_text, ink, seal_mask, Fonts};

const SEAL_DPI: f32 = 100.0;
const INK_DPI: f32 = 200.0;
const RED: [u8; 3] = [215, 40, 50];
const BLACK: [u8; 3] = [30, 30, 35];
const BLUE: [u8; 3] = [25, 40, 120];

fn mm(v: f32, dpi: f32) -> f32 {
    v * dpi / 25.4
}

fn paper(w: u32, h: u32) -> RgbImage {
    RgbImage::from_pixel(w, h, Rgb([250, 250, 247]))
}

/// Rotation by `deg`, as the generator's (private) one with no slant.
fn rot(deg: f32) -> [f32; 4] {
    let (s, c) = deg.to_radians().sin_cos();
    [c, -s, s, c]
}

/// The test needs the generator's fonts; without them (a machine lacking the Debian font
/// packages) there is nothing to draw with, and the generator's own tests skip likewise.
fn the_fonts() -> Option<&'static Fonts> {
    fonts().ok()
}

/// A 42 mm seal centred on `(cx, cy)` pixels.
fn stamp(page: &mut RgbImage, dpi: f32, (cx, cy): (f32, f32), tilt: f32, faint: bool, seed: u64) {
    let Some(f) = the_fonts() else { return };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = seal_mask(&f.seal, "呼和浩特市总工会", mm(42.0, dpi), mm(1.1, dpi), faint, &mut rng);
    let c = m.w as f32 / 2.0;
    ink(page, &m, (c, c), (cx, cy), rot(tilt), RED, if faint { 0.6 } else { 0.95 });
}

/// Handwritten `text`, `height_mm` high, its baseline starting at `(x, y)` pixels.
fn write(page: &mut RgbImage, dpi: f32, text: &str, (x, y): (f32, f32), height_mm: f32, color: [u8; 3]) {
    let Some(f) = the_fonts() else { return };
    let mut rng = ChaCha8Rng::seed_from_u64(text.len() as u64);
    if let Some(t) = hand_text(&f.hand, text, mm(height_mm, dpi), &mut rng, 1.0) {
        ink(page, &t.mask, (t.left, t.baseline), (x, y), rot(-3.0), color, 0.95);
    }
}

fn seals(page: &RgbImage) -> Vec<SealCandidate> {
    find_seals(page, SEAL_DPI, &SealParams::default())
}

/// The seals found on a `w × h` page holding one seal; None without the fonts.
fn one_seal((w, h): (u32, u32), at: (f32, f32), tilt: f32, faint: bool, seed: u64) -> Option<Vec<SealCandidate>> {
    the_fonts()?;
    let mut page = paper(w, h);
    stamp(&mut page, SEAL_DPI, at, tilt, faint, seed);
    Some(seals(&page))
}

fn marks(found: &[SealCandidate]) -> Vec<Mark> {
    found.iter().map(|s| s.mark.clone()).collect()
}

// ---------------------------------------------------------------- seals

#[test]
fn a_seal_is_found_with_its_centre_and_size() {
    let Some(found) = one_seal((500, 400), (250.0, 200.0), 0.0, false, 1) else { return };
    assert_eq!(marks(&found), [Mark::Present], "{found:?}");
    let s = &found[0];
    assert!((s.center[0] - 250.0).abs() < 8.0 && (s.center[1] - 200.0).abs() < 8.0, "{s:?}");
    assert!((39.0..45.0).contains(&s.diameter_mm), "{s:?}");
    assert!(s.score > 0.8, "{s:?}");
    let [x, y, w, h] = s.bbox;
    assert!(x < 180 && y < 130 && x + w > 320 && y + h > 270, "{s:?}");
}

#[test]
fn tilted_and_faint_seals_are_found() {
    for (tilt, faint, seed) in [(30.0, false, 2), (-20.0, true, 3), (10.0, true, 4)] {
        let Some(found) = one_seal((500, 400), (240.0, 210.0), tilt, faint, seed) else { return };
        assert_eq!(found.len(), 1, "tilt {tilt} faint {faint}: {found:?}");
        if !faint {
            assert_eq!(found[0].mark, Mark::Present);
        }
    }
}

#[test]
fn a_seal_half_outside_the_image_is_uncertain() {
    let Some(found) = one_seal((400, 400), (0.0, 200.0), 0.0, false, 5) else { return };
    assert_eq!(marks(&found), [Mark::Uncertain], "{found:?}");
    assert!(found[0].center[0].abs() < 10.0, "{found:?}");
    // A quarter of it cut off is still clearly a seal.
    let found = one_seal((400, 400), (30.0, 200.0), 0.0, false, 5).unwrap_or_default();
    assert_eq!(marks(&found), [Mark::Present]);
}

#[test]
fn a_seal_crossed_by_a_signature_and_print_is_found() {
    let mut page = paper(500, 400);
    stamp(&mut page, SEAL_DPI, (250.0, 200.0), 12.0, false, 6);
    write(&mut page, SEAL_DPI, "巴特尔", (150.0, 215.0), 9.0, BLACK);
    draw_line_segment_mut(&mut page, (0.0, 240.0), (500.0, 240.0), Rgb([20, 20, 20]));
    if the_fonts().is_none() {
        return;
    }
    assert_eq!(marks(&seals(&page)), [Mark::Present]);
}

#[test]
fn a_faint_seal_whose_ring_is_paler_on_one_side_is_present() {
    // Paste thinning over one side of the stamp: the lower half of the ring is red enough to
    // be found by, the upper half a pale pink only good to confirm a ring. The group found is
    // the lower half; the ring's upper half lies beyond the margin kept round it.
    if the_fonts().is_none() {
        return;
    }
    let (cx, cy) = (250.0f32, 260.0f32);
    let mut page = paper(500, 520);
    stamp(&mut page, SEAL_DPI, (cx, cy), 5.0, false, 31);
    let paper_px = [250.0f32, 250.0, 247.0];
    for (_, y, px) in page.enumerate_pixels_mut() {
        if (y as f32) < cy - 10.0 && px.0 != [250, 250, 247] {
            // A tenth of the paste's colour kept: saturation about 0.1.
            px.0 = std::array::from_fn(|i| (paper_px[i] + (px.0[i] as f32 - paper_px[i]) * 0.12).round() as u8);
        }
    }
    let found = seals(&page);
    assert_eq!(marks(&found), [Mark::Present], "{found:?}");
    assert!((found[0].center[0] - cx).abs() < 8.0 && (found[0].center[1] - cy).abs() < 8.0, "{found:?}");
}

#[test]
fn two_overlapping_seals_are_two() {
    let mut page = paper(500, 600);
    stamp(&mut page, SEAL_DPI, (250.0, 180.0), 0.0, false, 7);
    stamp(&mut page, SEAL_DPI, (270.0, 330.0), 25.0, false, 8);
    if the_fonts().is_none() {
        return;
    }
    let found = seals(&page);
    assert_eq!(marks(&found), [Mark::Present, Mark::Present], "{found:?}");
    assert!(found[0].center[1] < found[1].center[1], "sorted by position");
    // Stamped half over each other: centres 14 mm apart, each inside the other's ring.
    let mut page = paper(500, 600);
    stamp(&mut page, SEAL_DPI, (250.0, 220.0), 0.0, false, 7);
    stamp(&mut page, SEAL_DPI, (240.0, 220.0 + mm(14.0, SEAL_DPI)), 25.0, false, 8);
    let found = seals(&page);
    assert_eq!(marks(&found), [Mark::Present, Mark::Present], "{found:?}");
}

#[test]
fn no_seal_on_black_writing_red_print_or_a_red_scribble() {
    let Some(f) = the_fonts() else { return };
    let mut page = paper(800, 500);
    write(&mut page, SEAL_DPI, "负责人签名 王建国", (50.0, 80.0), 8.0, BLACK);
    // A red printed heading, a red underline, a red tick and a red scribble.
    draw_text_mut(&mut page, Rgb(RED), 40, 130, 40.0, &f.seal, "内蒙古自治区总工会关于推荐最美职工的通知");
    for dy in 0..3 {
        draw_line_segment_mut(&mut page, (40.0, 185.0 + dy as f32), (760.0, 185.0 + dy as f32), Rgb(RED));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut at = (100.0f32, 300.0f32);
    for _ in 0..30 {
        let next = (at.0 + rng.random_range(-25.0..35.0f32), 300.0 + rng.random_range(-60.0..60.0f32));
        for d in 0..3 {
            draw_line_segment_mut(&mut page, (at.0 + d as f32, at.1), (next.0 + d as f32, next.1), Rgb(RED));
        }
        at = next;
    }
    for d in 0..3 {
        let d = d as f32;
        draw_line_segment_mut(&mut page, (600.0 + d, 400.0), (620.0 + d, 430.0), Rgb(RED));
        draw_line_segment_mut(&mut page, (620.0 + d, 430.0), (680.0 + d, 330.0), Rgb(RED));
    }
    let found = seals(&page);
    assert!(found.is_empty(), "{found:?}");
    assert!(red_mask(&page, &SealParams::default()).pixels().filter(|p| p.0[0] == 255).count() > 5_000, "the red ink is seen");
}

#[test]
fn no_seal_on_a_greyscale_copy() {
    let mut page = paper(500, 400);
    stamp(&mut page, SEAL_DPI, (250.0, 200.0), 0.0, false, 10);
    let grey = image::DynamicImage::ImageRgb8(page).to_luma8();
    let page = image::DynamicImage::ImageLuma8(grey).to_rgb8();
    assert!(seals(&page).is_empty());
}

#[test]
fn red_mask_keeps_red_and_pale_red_only() {
    let p = SealParams::default();
    let colours: [([u8; 3], u8); 7] = [
        (RED, 255),
        ([235, 150, 160], 255), // a faint seal's pink
        ([200, 70, 40], 255),   // vermilion
        (BLACK, 0),
        (BLUE, 0),
        ([245, 240, 225], 0), // yellowed paper
        ([70, 20, 25], 0),    // too dark to tell from black ink
    ];
    for (c, want) in colours {
        assert_eq!(red_mask(&RgbImage::from_pixel(1, 1, Rgb(c)), &p).get_pixel(0, 0).0[0], want, "{c:?}");
    }
}

#[test]
fn degenerate_inputs_find_nothing() {
    let p = SealParams::default();
    assert!(find_seals(&RgbImage::new(0, 0), 100.0, &p).is_empty());
    assert!(find_seals(&RgbImage::from_pixel(2, 1, Rgb(RED)), 100.0, &p).is_empty());
    assert!(find_seals(&RgbImage::from_pixel(300, 300, Rgb(RED)), 0.0, &p).is_empty());
    assert!(find_seals(&RgbImage::from_pixel(300, 300, Rgb(RED)), f32::NAN, &p).is_empty());
    // All red: no ring anywhere.
    assert!(find_seals(&RgbImage::from_pixel(300, 300, Rgb(RED)), 100.0, &p).is_empty());
}

// ---------------------------------------------------------------- handwriting

/// A 200 dpi page and a signer zone 100 × 14 mm at (200, 200).
fn zone() -> [u32; 4] {
    [200, 200, mm(100.0, INK_DPI) as u32, mm(14.0, INK_DPI) as u32]
}

fn hand(page: &RgbImage, exclude: &[[u32; 4]]) -> InkFinding {
    find_handwriting(&to_gray(page), zone(), exclude, INK_DPI, &InkParams::default())
}

fn baseline() -> f32 {
    200.0 + mm(10.0, INK_DPI)
}

#[test]
fn a_signature_is_present_in_black_or_blue() {
    for color in [BLACK, BLUE] {
        let mut page = paper(1200, 500);
        write(&mut page, INK_DPI, "王建国", (260.0, baseline()), 7.0, color);
        if the_fonts().is_none() {
            return;
        }
        let f = hand(&page, &[]);
        assert_eq!(f.mark, Mark::Present, "{f:?}");
        let [x, y, w, h] = f.bbox.unwrap();
        assert!(x >= 240 && y >= 200 && w > 100 && h > 30, "{f:?}");
        assert!(f.score > 0.5);
    }
}

#[test]
fn a_written_date_and_a_signature_over_the_zone_edge_are_present() {
    // A single date digit; a name starting left of the zone and half below its bottom edge.
    let cases = [("5", (300.0, baseline()), 3.8, BLUE), ("乌兰其其格", (120.0, 200.0 + mm(17.0, INK_DPI)), 8.0, BLACK)];
    for (text, at, height, color) in cases {
        let mut page = paper(1200, 500);
        write(&mut page, INK_DPI, text, at, height, color);
        if the_fonts().is_none() {
            return;
        }
        assert_eq!(hand(&page, &[]).mark, Mark::Present, "{text}");
    }
}

#[test]
fn an_empty_zone_dust_and_ruling_lines_are_absent() {
    let mut page = paper(1200, 500);
    assert_eq!(hand(&page, &[]), InkFinding { mark: Mark::Absent, score: 0.0, bbox: None });
    // Dust: specks of one to four pixels (0.1–0.25 mm).
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..60 {
        let (x, y) = (rng.random_range(200..980), rng.random_range(200..310));
        let s = rng.random_range(1..3);
        draw_filled_rect_mut(&mut page, Rect::at(x, y).of_size(s, s), Rgb([40, 40, 40]));
    }
    assert_eq!(hand(&page, &[]).mark, Mark::Absent, "dust");
    // A ruling line left across the zone's top and a box line down its right edge.
    draw_filled_rect_mut(&mut page, Rect::at(150, 205).of_size(900, 3), Rgb([20, 20, 20]));
    draw_filled_rect_mut(&mut page, Rect::at(960, 150).of_size(3, 300), Rgb([20, 20, 20]));
    let f = hand(&page, &[]);
    assert_eq!(f.mark, Mark::Absent, "{f:?}");
}

#[test]
fn a_printed_label_in_an_exclude_rect_is_absent() {
    let Some(f) = the_fonts() else { return };
    let mut page = paper(1200, 500);
    let size = mm(4.2, INK_DPI);
    draw_text_mut(&mut page, Rgb([10, 10, 10]), 205, 215, size, &f.seal, "负责人签名：");
    let label = [205, 212, (size * 6.2) as u32, (size * 1.3) as u32];
    assert_ne!(hand(&page, &[]).mark, Mark::Absent, "the label is ink");
    assert_eq!(hand(&page, &[label]).mark, Mark::Absent);
}

#[test]
fn a_signature_crossing_a_seal_is_present() {
    let mut page = paper(1200, 800);
    stamp(&mut page, INK_DPI, (480.0, 300.0), 15.0, false, 12);
    write(&mut page, INK_DPI, "张伟", (330.0, baseline()), 7.0, BLACK);
    if the_fonts().is_none() {
        return;
    }
    assert_eq!(hand(&page, &[]).mark, Mark::Present);
    // The seal alone, red, is light in to_gray's grey: no writing.
    let mut page = paper(1200, 800);
    stamp(&mut page, INK_DPI, (480.0, 300.0), 15.0, false, 12);
    assert_eq!(hand(&page, &[]).mark, Mark::Absent);
}

#[test]
fn a_greyscale_copys_seal_is_not_a_signature() {
    if the_fonts().is_none() {
        return;
    }
    let r = mm(21.0, INK_DPI);
    let grey_page = |cy: f32| {
        let mut page = paper(1200, 900);
        stamp(&mut page, INK_DPI, (600.0, cy), 0.0, false, 13);
        // Luma: the red ring turns dark, as on a photocopy.
        image::DynamicImage::ImageRgb8(page).to_luma8()
    };
    let p = InkParams::default();
    let [zx, zy, zw, zh] = zone();
    // Only the ring's top arc in the zone.
    let g: GrayImage = grey_page(zy as f32 + mm(3.0, INK_DPI) + r);
    let f = find_handwriting(&g, [zx, zy, zw, zh], &[], INK_DPI, &p);
    assert_ne!(f.mark, Mark::Present, "ring arc: {f:?}");
    // The arc and the top of the seal's text.
    let g = grey_page(zy as f32 + mm(1.0, INK_DPI) + r);
    let f = find_handwriting(&g, [zx, zy, zw, mm(10.0, INK_DPI) as u32], &[], INK_DPI, &p);
    assert_ne!(f.mark, Mark::Present, "ring and text: {f:?}");
}

#[test]
fn degenerate_zones_are_absent() {
    let g = GrayImage::from_pixel(100, 100, image::Luma([0]));
    let p = InkParams::default();
    let absent = |f: InkFinding| f.mark == Mark::Absent && f.bbox.is_none();
    assert!(absent(find_handwriting(&g, [200, 200, 50, 50], &[], 200.0, &p)), "outside");
    assert!(absent(find_handwriting(&g, [10, 10, 0, 50], &[], 200.0, &p)), "empty");
    assert!(absent(find_handwriting(&g, [10, 10, 50, 50], &[], 0.0, &p)), "no dpi");
    assert!(absent(find_handwriting(&GrayImage::new(0, 0), [0, 0, 10, 10], &[], 200.0, &p)));
    let _ = find_handwriting(&g, [u32::MAX - 5, 0, u32::MAX, u32::MAX], &[[u32::MAX, u32::MAX, u32::MAX, u32::MAX]], 200.0, &p);
}

#[test]
fn a_seal_stamped_off_the_tables_foot_belongs_to_the_box_it_overlaps() {
    if the_fonts().is_none() {
        return;
    }
    use crate::layout::approval::BoxLayout;
    let mut page = paper(600, 420);
    // Centred below the right box: a fifth of the seal lies over the box.
    stamp(&mut page, SEAL_DPI, (450.0, 250.0), 10.0, false, 4);
    let boxes = [BoxLayout { rect: [0, 0, 300, 200], ..BoxLayout::default() }, BoxLayout { rect: [300, 0, 300, 200], ..BoxLayout::default() }];
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() });
    assert_eq!(judged[1].seal, Mark::Present);
    assert_eq!(judged[0].seal, Mark::Absent);
}

#[test]
fn a_seal_on_a_colour_copy_not_deskewed_is_placed_on_the_upright_page() {
    if the_fonts().is_none() {
        return;
    }
    use crate::layout::approval::BoxLayout;
    // Two boxes side by side; a seal centred 8 px right of the line between them, low on the
    // page, where a 3° skew moves a point 18 px sideways: taken where the copy shows it, it
    // would be centred in the wrong box one way or the other.
    let mut page = paper(800, 1000);
    stamp(&mut page, SEAL_DPI, (408.0, 850.0), 0.0, false, 7);
    let boxes = [BoxLayout { rect: [0, 0, 400, 1000], ..BoxLayout::default() }, BoxLayout { rect: [400, 0, 400, 1000], ..BoxLayout::default() }];
    let params = judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() };
    for skew in [-3.0f32, 3.0] {
        // The copy as scanned: the upright page is it deskewed by `skew`.
        let copy = crate::preprocess::upright_colour(&page, SEAL_DPI, SEAL_DPI, 0, -skew);
        let colour = judge::ColourCopy { image: &copy, skew_deg: skew };
        let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(colour), &params);
        assert_eq!((judged[0].seal, judged[1].seal), (Mark::Absent, Mark::Present), "{skew}°");
        let [x, y, w, h] = judged[1].evidence.seal.expect("the seal's outline");
        let centre = (x as f32 + w as f32 / 2.0, y as f32 + h as f32 / 2.0);
        assert!((centre.0 - 408.0).abs() < 6.0 && (centre.1 - 850.0).abs() < 6.0, "{skew}°: {centre:?}");
    }
}

#[test]
fn a_second_seal_in_a_box_reaching_over_into_a_box_without_one_is_that_boxs() {
    if the_fonts().is_none() {
        return;
    }
    use crate::layout::approval::BoxLayout;
    // Two boxes one above the other; the lower holds its own seal and one stamped low from
    // the upper box, centred below the line but reaching a quarter of the way over it.
    let mut page = paper(400, 700);
    stamp(&mut page, SEAL_DPI, (200.0, 520.0), 0.0, false, 5);
    stamp(&mut page, SEAL_DPI, (200.0, 340.0), 8.0, false, 6);
    let boxes = [BoxLayout { rect: [0, 0, 400, 300], ..BoxLayout::default() }, BoxLayout { rect: [0, 300, 400, 400], ..BoxLayout::default() }];
    let params = judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() };
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &params);
    assert_ne!(judged[0].seal, Mark::Absent, "the upper box's seal, stamped across the line");
    assert_eq!(judged[1].seal, Mark::Present);
    // One seal in the lower box alone: the upper box has none.
    let mut page = paper(400, 700);
    stamp(&mut page, SEAL_DPI, (200.0, 340.0), 8.0, false, 6);
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &params);
    assert_eq!(judged[0].seal, Mark::Absent);
    assert_eq!(judged[1].seal, Mark::Present);
}

#[test]
fn a_seal_over_a_box_line_counts_once_unless_its_box_has_another() {
    if the_fonts().is_none() {
        return;
    }
    use crate::layout::approval::BoxLayout;
    // Centred just below the line between two boxes, over a third of it above the line: the
    // lower box's seal, and the upper box has none.
    let boxes = [BoxLayout { rect: [0, 0, 400, 300], ..BoxLayout::default() }, BoxLayout { rect: [0, 300, 400, 400], ..BoxLayout::default() }];
    let params = judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() };
    let mut page = paper(400, 700);
    stamp(&mut page, SEAL_DPI, (200.0, 315.0), 8.0, false, 6);
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &params);
    assert!(judged[0].evidence.seal.is_none_or(|s| s != judged[1].evidence.seal.unwrap_or_default()), "one seal, two boxes");
    assert_eq!((judged[0].seal, judged[1].seal), (Mark::Absent, Mark::Present));
    // With a faint seal of the lower box's own below it, the one over the line was stamped
    // there from the upper box.
    stamp(&mut page, SEAL_DPI, (200.0, 560.0), 0.0, true, 7);
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &params);
    assert_eq!((judged[0].seal, judged[1].seal), (Mark::Present, Mark::Present));
}

#[test]
fn a_seal_over_a_box_line_is_the_upper_boxs_when_the_lower_has_one_off_the_tables_foot() {
    if the_fonts().is_none() {
        return;
    }
    // The upper box's seal stamped low, centred just below the line; the lower box's own
    // stamped low too, centred below the table's foot.
    let seals_of = |stamps: &[((f32, f32), f32, u64)]| {
        let boxes = two_boxes(250);
        let mut page = paper(400, 760);
        for &(at, tilt, seed) in stamps {
            stamp(&mut page, SEAL_DPI, at, tilt, false, seed);
        }
        let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() });
        (judged[0].seal, judged[1].seal)
    };
    assert_eq!(seals_of(&[((200.0, 310.0), 8.0, 6), ((200.0, 590.0), 0.0, 5)]), (Mark::Present, Mark::Present));
    // Without the one off the foot, the seal over the line is the lower box's alone.
    assert_eq!(seals_of(&[((200.0, 310.0), 8.0, 6)]), (Mark::Absent, Mark::Present));
}

/// Two approval boxes 400 px wide, one above the other: 300 px high, then `lower` px.
fn two_boxes(lower: u32) -> [crate::layout::approval::BoxLayout; 2] {
    use crate::layout::approval::BoxLayout;
    [BoxLayout { rect: [0, 0, 400, 300], ..BoxLayout::default() }, BoxLayout { rect: [0, 300, 400, lower], ..BoxLayout::default() }]
}

#[test]
fn a_seal_centred_in_an_empty_box_that_reaches_over_a_signed_one_without_a_seal_is_that_ones() {
    if the_fonts().is_none() {
        return;
    }
    use crate::layout::approval::BoxLayout;
    // 200 dpi: two boxes 2.5 in high. The upper one signed and dated, its seal stamped low over
    // its date so that the centre fell below the line, into the lower box, left empty.
    let laid = |y: u32| BoxLayout {
        rect: [0, y, 800, 500],
        signer_zone: Some([200, y + 100, 550, 150]),
        date_zone: Some([400, y + 400, 350, 90]),
        date_blanks: Some([[400, y + 400, 120, 90], [560, y + 400, 60, 90], [660, y + 400, 60, 90]]),
        ..BoxLayout::default()
    };
    let boxes = [laid(0), laid(500)];
    let params = judge::MarksParams { colour_dpi: INK_DPI, ..judge::MarksParams::default() };
    let mut page = paper(800, 1000);
    stamp(&mut page, INK_DPI, (560.0, 560.0), 5.0, false, 8);
    let seal_only = page.clone();
    write(&mut page, INK_DPI, "谢志刚", (230.0, 200.0 + mm(8.0, INK_DPI)), 8.0, BLACK);
    write(&mut page, INK_DPI, "2023", (405.0, 400.0 + mm(7.0, INK_DPI)), 5.0, BLUE);
    let judged = judge::judge_page(&boxes, &to_gray(&page), INK_DPI, Some(&page), &params);
    assert_eq!((judged[0].signature, judged[1].signature), (Mark::Present, Mark::Absent), "{judged:?}");
    assert_eq!((judged[0].seal, judged[1].seal), (Mark::Present, Mark::Absent), "{judged:?}");
    // With neither box signed, the seal is the box's that holds its centre.
    let judged = judge::judge_page(&boxes, &to_gray(&seal_only), INK_DPI, Some(&seal_only), &params);
    assert_eq!((judged[0].seal, judged[1].seal), (Mark::Absent, Mark::Present), "{judged:?}");
}

#[test]
fn a_gently_curved_pen_stroke_is_no_seal_ring_that_makes_a_signature_doubtful() {
    if the_fonts().is_none() {
        return;
    }
    // A signature, and after it a long flourish bending like 20° of a seal-sized circle
    // (radius 23 mm) whose centre lies left of the signature: taken for a ring's arc, it
    // made the whole signature "inside a seal", doubtful.
    let mut page = paper(1200, 800);
    write(&mut page, INK_DPI, "谢志刚", (260.0, baseline()), 7.0, BLACK);
    let r = mm(23.0, INK_DPI);
    let (cx, cy) = (230.0, 200.0 + mm(7.0, INK_DPI));
    for i in 0..=200 {
        let a = (-10.0 + 20.0 * i as f32 / 200.0).to_radians();
        let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
        draw_filled_rect_mut(&mut page, Rect::at(x as i32 - 1, y as i32 - 1).of_size(3, 3), Rgb(BLACK));
    }
    let f = hand(&page, &[]);
    assert_eq!(f.mark, Mark::Present, "{f:?}");
}

#[test]
fn a_seal_too_pale_for_the_page_wide_search_is_found_in_its_box_and_black_ink_is_not_one() {
    let Some(f) = the_fonts() else { return };
    use crate::layout::approval::BoxLayout;
    // A faintly inked seal: pale pink, its saturation mostly under the page-wide threshold.
    let mut page = paper(600, 420);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let m = seal_mask(&f.seal, "呼和浩特市总工会", mm(42.0, SEAL_DPI), mm(1.1, SEAL_DPI), true, &mut rng);
    let c = m.w as f32 / 2.0;
    ink(&mut page, &m, (c, c), (160.0, 200.0), rot(5.0), RED, 0.4);
    assert!(!marks(&seals(&page)).contains(&Mark::Present), "the page-wide search does not see it");
    // Black writing and print in the other box.
    write(&mut page, SEAL_DPI, "谢志刚", (360.0, 150.0), 9.0, BLACK);
    draw_text_mut(&mut page, Rgb(BLACK), 330, 260, 24.0, &f.seal, "负责人签字：");
    let boxes = [BoxLayout { rect: [0, 0, 300, 420], ..BoxLayout::default() }, BoxLayout { rect: [300, 0, 300, 420], ..BoxLayout::default() }];
    let params = judge::MarksParams { colour_dpi: SEAL_DPI, ..judge::MarksParams::default() };
    let judged = judge::judge_page(&boxes, &to_gray(&page), SEAL_DPI, Some(&page), &params);
    assert_eq!(judged[0].seal, Mark::Present, "{:?}", judged[0].evidence);
    assert_eq!(judged[1].seal, Mark::Absent);
}


#[test]
fn the_fast_angle_agrees_with_atan2_in_every_octant() {
    let tau = std::f32::consts::TAU;
    for i in 0..3600 {
        let a = i as f32 / 3600.0 * tau;
        for r in [0.7f32, 3.0, 150.0] {
            let (dx, dy) = (r * a.cos(), r * a.sin());
            let want = dy.atan2(dx).rem_euclid(tau) / tau;
            let got = super::ring::turn_of(dx, dy);
            let diff = (got - want).abs().min(1.0 - (got - want).abs());
            assert!(diff < 1e-5 && (0.0..1.0).contains(&got), "{dx} {dy}: {got} against {want}");
        }
    }
    assert_eq!(super::ring::turn_of(0.0, 0.0), 0.0);
}
