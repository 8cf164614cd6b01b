//! Time spent in the approval marks' stages on the current thread, so that `formscan eval` can
//! say what checking signatures, seals and dates costs apart from the rest of a form. A
//! submission is read on one thread from start to end (the driver parallelises across
//! submissions only), so a thread's sums between two `take`s are that submission's.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// The stages timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// OCR of the approval boxes' printed words (the signer label, 年 月 日) and the re-reads of
    /// their date lines: the zones of the marks.
    BoxWords,
    /// The colour copy made for the seals, and the judgement of seal, signature and date.
    MarkJudging,
}

const STAGES: usize = 2;

thread_local! {
    static SPENT: Cell<[Duration; STAGES]> = const { Cell::new([Duration::ZERO; STAGES]) };
}

/// Runs `f`, adding its time to `stage` on this thread.
pub fn timed<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    SPENT.with(|s| {
        let mut spent = s.get();
        spent[stage as usize] += took;
        s.set(spent);
    });
    out
}

/// Seconds spent in each stage on this thread since the last `take`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    pub box_words: f64,
    pub mark_judging: f64,
}

impl StageTimes {
    pub fn marks(&self) -> f64 {
        self.box_words + self.mark_judging
    }

    pub fn add(&mut self, o: &StageTimes) {
        self.box_words += o.box_words;
        self.mark_judging += o.mark_judging;
    }
}

/// This thread's sums since the last call, which start again from zero.
pub fn take() -> StageTimes {
    let spent = SPENT.with(|s| s.replace([Duration::ZERO; STAGES]));
    StageTimes { box_words: spent[Stage::BoxWords as usize].as_secs_f64(), mark_judging: spent[Stage::MarkJudging as usize].as_secs_f64() }
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
        assert!(other.box_words >= 0.2, "{other:?}");
        assert!(t.box_words >= 0.010 && t.box_words < 0.2, "{t:?}");
        assert!(t.mark_judging >= 0.003 && t.mark_judging < 0.2, "{t:?}");
        assert_eq!(take(), StageTimes::default());
    }
}
