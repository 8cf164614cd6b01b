//! Time spent in a submission's stages on the current thread, so that `formscan eval` can say
//! where a form's time goes, and what checking signatures, seals and dates costs apart from the
//! rest. A submission is read on one thread from start to end (the driver parallelises across
//! submissions only), so a thread's sums between two `take`s are that submission's.
//!
//! Stages nest (the colour copy for the seals is made while a page is decoded): a stage's time
//! is its own, without the stages timed inside it, so the stages add up to no more than the whole.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// The stages timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file and decoding its pages' pixels.
    Decode,
    /// Grey copy, quarter turn, skew estimate, deskew and the shrink to the working resolution.
    Level,
    /// Ruling lines, the grid of cells, underlines erased, the ink mask.
    Grid,
    /// OCR of the few cells or lines that tell the page's way up.
    Probe,
    /// OCR of the labels and values (everything read on the page but the approval boxes).
    Read,
    /// OCR of the approval boxes' printed words (the signer label, 年 月 日) and the re-reads of
    /// their date lines: the zones of the marks.
    BoxWords,
    /// The colour copy made for the seals, and the judgement of seal, signature and date.
    MarkJudging,
}

const STAGES: usize = 7;
const NAMES: [&str; STAGES] = ["decode", "level", "grid", "probe", "read", "box words", "judging"];

thread_local! {
    static SPENT: Cell<[Duration; STAGES]> = const { Cell::new([Duration::ZERO; STAGES]) };
    /// Time of the stages timed inside the one now running.
    static INNER: Cell<Duration> = const { Cell::new(Duration::ZERO) };
    /// The stage running now, for the OCR trace.
    static CURRENT: Cell<Option<Stage>> = const { Cell::new(None) };
}

/// The name of the stage running on this thread, if any.
pub fn current() -> &'static str {
    CURRENT.with(|c| c.get()).map_or("-", |s| NAMES[s as usize])
}

/// Runs `f`, adding its time, less that of stages timed inside it, to `stage` on this thread.
pub fn timed<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let outer_inner = INNER.with(|c| c.replace(Duration::ZERO));
    let outer_stage = CURRENT.with(|c| c.replace(Some(stage)));
    let start = Instant::now();
    let out = f();
    CURRENT.with(|c| c.set(outer_stage));
    let took = start.elapsed();
    let inner = INNER.with(|c| c.replace(outer_inner + took));
    SPENT.with(|s| {
        let mut spent = s.get();
        spent[stage as usize] += took.saturating_sub(inner);
        s.set(spent);
    });
    out
}

/// Seconds spent in each stage on this thread since the last `take`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    pub secs: [f64; STAGES],
}

impl StageTimes {
    pub fn of(&self, stage: Stage) -> f64 {
        self.secs[stage as usize]
    }

    pub fn set(&mut self, stage: Stage, secs: f64) {
        self.secs[stage as usize] = secs;
    }

    /// The approval marks' share: their zones' words and their judgement.
    pub fn marks(&self) -> f64 {
        self.of(Stage::BoxWords) + self.of(Stage::MarkJudging)
    }

    pub fn total(&self) -> f64 {
        self.secs.iter().sum()
    }

    pub fn add(&mut self, o: &StageTimes) {
        for (a, b) in self.secs.iter_mut().zip(o.secs) {
            *a += b;
        }
    }

    /// Each stage's name and seconds, in the order a page goes through them.
    pub fn named(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        NAMES.iter().copied().zip(self.secs.iter().copied())
    }
}

/// This thread's sums since the last call, which start again from zero.
pub fn take() -> StageTimes {
    let spent = SPENT.with(|s| s.replace([Duration::ZERO; STAGES]));
    StageTimes { secs: spent.map(|d| d.as_secs_f64()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_sum_on_their_thread_until_taken() {
        take();
        timed(Stage::BoxWords, || std::thread::sleep(Duration::from_millis(5)));
        timed(Stage::MarkJudging, || std::thread::sleep(Duration::from_millis(3)));
        timed(Stage::BoxWords, || std::thread::sleep(Duration::from_millis(5)));
        // Another thread's time is its own.
        let other = std::thread::spawn(|| {
            timed(Stage::BoxWords, || std::thread::sleep(Duration::from_millis(200)));
            take()
        });
        let other = other.join().unwrap();
        let t = take();
        assert!(other.of(Stage::BoxWords) >= 0.2, "{other:?}");
        assert!(t.of(Stage::BoxWords) >= 0.010 && t.of(Stage::BoxWords) < 0.2, "{t:?}");
        assert!(t.of(Stage::MarkJudging) >= 0.003 && t.of(Stage::MarkJudging) < 0.2, "{t:?}");
        assert_eq!(take(), StageTimes::default());
    }

    #[test]
    fn the_running_stage_is_known_and_restored() {
        assert_eq!(current(), "-");
        timed(Stage::Read, || {
            assert_eq!(current(), "read");
            timed(Stage::BoxWords, || assert_eq!(current(), "box words"));
            assert_eq!(current(), "read");
        });
        assert_eq!(current(), "-");
    }

    #[test]
    fn a_stage_inside_another_is_not_counted_twice() {
        take();
        timed(Stage::Decode, || {
            std::thread::sleep(Duration::from_millis(20));
            timed(Stage::MarkJudging, || std::thread::sleep(Duration::from_millis(60)));
        });
        let t = take();
        assert!(t.of(Stage::MarkJudging) >= 0.06, "{t:?}");
        assert!(t.of(Stage::Decode) >= 0.02 && t.of(Stage::Decode) < 0.06, "the inner stage's time is not the outer's: {t:?}");
        assert!(t.total() < 0.12, "{t:?}");
    }
}
