//! Memory advice for the large tables of national-scale runs.

/// Asks the kernel to back the unused capacity of `v` with 2 MiB pages when it is large: for
/// tables read at random (the id index), where with 4 KiB pages every lookup is also a
/// page-table walk. Only advice: contents and results do not change, and it does nothing
/// where transparent huge pages are off or on other systems.
pub fn prefer_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let size = std::mem::size_of::<T>();
        if size == 0 || v.capacity() * size < 2 * HUGE {
            return;
        }
        let start = v.as_ptr() as usize + v.len() * size;
        let end = v.as_ptr() as usize + v.capacity() * size;
        let (from, to) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
        if to > from {
            // SAFETY: advice on whole pages inside the vector's own allocation, beyond its
            // initialised elements; madvise(MADV_HUGEPAGE) never changes memory contents.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}
