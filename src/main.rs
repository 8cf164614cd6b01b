//! The `formscan` command line: parses options, runs one library call, prints errors once and
//! turns outcomes into exit codes (see `cli::Exit`).

mod cli;

fn main() -> std::process::ExitCode {
    quiet_broken_pipe();
    restart_single_threaded();
    return_large_blocks();
    cli::main()
}

/// A summary piped into `head` ends the program quietly, as with other Unix tools, instead of
/// a panic on the next line printed. The outputs are written before the summary.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Page images are allocated and freed by the megabyte on every worker thread. glibc would
/// keep them all in per-thread heaps once its adaptive threshold has grown, and the process's
/// memory creeps towards the sum of all workers' worst pages; mapping and unmapping every block
/// of 1 MB and more instead cost a fifth of the time with two workers (page faults, and the
/// two threads queueing on the kernel's map lock). Blocks of 8 MB and more (a page at the
/// scan's resolution) are mapped, so the largest go back when a page is done, and the working
/// copies at 200 dpi (4 MB) are reused from the heap. Measured on 30 forms, two workers:
/// 1 MB 34.7 s and 261 MB; 8 MB 29.7 s and 314 MB; glibc's default 27.3 s and 350 MB.
///
/// Fixing the map threshold also fixes the trim threshold at its default of 128 kB: every
/// working copy freed at the top of a thread's heap was handed back to the kernel and faulted
/// in again, zeroed, by the next page, and with two threads each hand-back also stops the
/// other core to flush its address cache. Up to 64 MB of free heap is kept instead. Measured on
/// 40 forms, two workers: system time 7.0 s -> 2.4 s, the whole run 31.6 s -> 27-29 s (one
/// worker: 51 s), which is what takes two workers from 1.6x to 1.8-1.9x.
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 8 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// Tesseract's OpenMP threads must be off before libtesseract loads (it reads the variable
/// when the library initialises), so setting it inside `main` is too late: restart the binary
/// with it set. An explicit `OMP_THREAD_LIMIT` from the user is respected.
fn restart_single_threaded() {
    #[cfg(unix)]
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() && std::env::var_os(formscan::REEXEC_MARK).is_none() {
        use std::os::unix::process::CommandExt;
        if let Ok(exe) = std::env::current_exe() {
            let err = std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env("OMP_THREAD_LIMIT", "1")
                .env(formscan::REEXEC_MARK, "1")
                .exec();
            // exec returns only when it failed; carry on multi-threaded (doctor reports it).
            eprintln!("formscan: could not restart with OMP_THREAD_LIMIT=1: {err}");
        }
    }
}
