//! The `formscan` command line: parses options, runs one library call, prints errors once and
//! turns outcomes into exit codes (see `cli::Exit`).

mod cli;

fn main() -> std::process::ExitCode {
    restart_single_threaded();
    return_large_blocks();
    cli::main()
}

/// Page images are allocated and freed by the tens of megabytes on every worker thread;
/// glibc keeps such blocks in per-thread heaps once its adaptive threshold has grown, and the
/// process's memory then creeps towards the sum of all workers' worst pages. Blocks of 1 MB
/// and more are mapped and unmapped instead, so memory goes back when a page is done.
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
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
