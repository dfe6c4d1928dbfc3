//! A one-line progress bar on stderr, drawn only when stderr is a terminal
//! and `--quiet` is not given.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Progress of the current stage (reading, parsing, fitting, ...).
pub struct Progress {
    enabled: bool,
    /// `RETENTIONKIT_TIMINGS` is set: print each stage's duration on stderr.
    timings: bool,
    last: Mutex<(Instant, &'static str)>,
    stage: Mutex<&'static str>,
    drawn: AtomicUsize,
    start: Instant,
}

impl Progress {
    /// A bar on stderr unless `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Self {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            timings: std::env::var_os("RETENTIONKIT_TIMINGS").is_some(),
            last: Mutex::new((Instant::now(), "start")),
            stage: Mutex::new(""),
            drawn: AtomicUsize::new(usize::MAX),
            start: Instant::now(),
        }
    }

    /// Start a stage: its name is shown until the next one.
    pub fn stage(&self, name: &'static str) {
        self.time(name);
        if !self.enabled {
            return;
        }
        if let Ok(mut s) = self.stage.lock() {
            *s = name;
        }
        self.drawn.store(usize::MAX, Ordering::Relaxed);
        self.draw(None);
    }

    /// Start a stage without a bar (the line is cleared): for a stage that
    /// writes to stdout, which may be the same terminal. Timed like the
    /// others.
    pub fn stage_without_bar(&self, name: &'static str) {
        self.time(name);
        self.clear();
    }

    /// `done` of `total` parts of the current stage are finished.
    pub fn fraction(&self, done: usize, total: usize) {
        if !self.enabled || total == 0 {
            return;
        }
        let width = 30;
        let filled = done.min(total) * width / total;
        if self.drawn.swap(filled, Ordering::Relaxed) != filled {
            self.draw(Some((filled, width)));
        }
    }

    fn draw(&self, bar: Option<(usize, usize)>) {
        let name = self.stage.lock().map_or("", |s| *s);
        let secs = self.start.elapsed().as_secs_f64();
        let line = match bar {
            Some((filled, width)) => format!(
                "{name:<13} [{}{}] {secs:5.1} s",
                "#".repeat(filled),
                " ".repeat(width - filled)
            ),
            None => format!("{name:<13} {secs:5.1} s"),
        };
        let mut err = std::io::stderr().lock();
        // ok: a progress line that cannot be drawn is not worth failing for.
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }

    fn time(&self, next: &'static str) {
        if !self.timings {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            let now = Instant::now();
            eprintln!(
                "timing: {:<12} {:8.3} s",
                last.1,
                (now - last.0).as_secs_f64()
            );
            *last = (now, next);
        }
    }

    /// Clear the line.
    pub fn finish(&self) {
        self.time("output");
        self.clear();
    }

    fn clear(&self) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
