//! Heap in use and its high-water mark along one run as the browser's
//! worker does it (the file's bytes in memory, read, freed, then the
//! analysis), per section: where the memory of a drop goes.
//!
//! `cargo run --release -p loyalty-analytics --example peak_memory -- FILE`
//!
//! wasm32's memory never shrinks, so the page's cost is the high-water mark;
//! pointers there are half as wide, so the figures are an upper bound.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        IN_USE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            // The old and new blocks may both be live during the copy.
            let now = IN_USE.fetch_add(new_size, Relaxed) + new_size;
            PEAK.fetch_max(now, Relaxed);
            IN_USE.fetch_sub(layout.size(), Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: peak_memory FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let file_mib = mib(bytes.len());
    println!("file {file_mib:.1} MiB");
    println!("{:<22} {:>10} {:>10}", "after", "in use", "peak");
    let show = |what: &str| {
        let (now, peak) = (IN_USE.load(Relaxed), PEAK.load(Relaxed));
        println!(
            "{what:<22} {:>10.1} {:>10.1}  ({:.2}× the file)",
            mib(now),
            mib(peak),
            mib(peak) / file_mib
        );
    };
    show("bytes loaded");
    let mut dataset = loyalty_analytics::Dataset::default();
    if let Err(e) = dataset.add_file_with(&path, &bytes, &Default::default(), &mut |_| {}) {
        eprintln!("{e}");
    }
    show("read");
    drop(bytes);
    show("bytes freed");
    let settings = loyalty_analytics::Settings::default();
    // The clock is read once before the sections and once at the end of
    // each: the marks, named after the run by the sections' timings.
    let mut marks = Vec::new();
    let mut clock = || {
        marks.push((IN_USE.load(Relaxed), PEAK.load(Relaxed)));
        0.0
    };
    let (analysis, sections) = loyalty_analytics::analyse_timed(&dataset, &settings, &mut clock);
    // A section timed in two parts (`clv`: up to the model choice, then
    // after the sections that do not need it) is one timing but two
    // marks; its second part ends just before `clv_segments`.
    let mut laps: Vec<String> = sections.iter().map(|s| s.section.to_string()).collect();
    if marks.len() == laps.len() + 2 {
        if let Some(at) = laps.iter().position(|s| s == "clv_segments") {
            laps.insert(at, "clv (second part)".into());
        }
    }
    for (lap, (now, peak)) in laps.iter().zip(marks.iter().skip(1)) {
        println!("  {:<20} {:>10.1} {:>10.1}", lap, mib(*now), mib(*peak));
    }
    show("analysis");
    drop(analysis);
    show("analysis dropped");
}
