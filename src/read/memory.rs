//! Memory for the large tables of national-scale runs: reserved once, backed by huge pages,
//! and kept when a table widens.

/// Makes room for `additional` more elements in `v` and asks the kernel to back the room with
/// 2 MiB pages when it is large: for tables read at random (the id index), where with 4 KiB
/// pages every lookup is also a page-table walk, and for the per-person columns filled while
/// reading, where each 4 KiB page is otherwise a fault of its own. Only advice: contents and
/// results do not change, and it does nothing where transparent huge pages are off or on
/// other systems.
pub fn reserve_huge<T>(v: &mut Vec<T>, additional: usize) {
    v.reserve(additional);
    let size = std::mem::size_of::<T>();
    let start = v.as_ptr() as usize + v.len() * size;
    advise_huge(start, (v.capacity() - v.len()) * size);
}

/// [`reserve_huge`] for a text arena.
pub fn reserve_huge_text(s: &mut String, additional: usize) {
    s.reserve(additional);
    advise_huge(s.as_ptr() as usize + s.len(), s.capacity() - s.len());
}

/// `narrow`'s elements in a wider type, with the room reserved for the whole file kept (a
/// table that outgrows its width partway through a file still needs it).
pub fn widened<T: Copy, U: From<T>>(narrow: Vec<T>) -> Vec<U> {
    let mut wide = Vec::with_capacity(narrow.capacity());
    wide.extend(narrow.into_iter().map(U::from));
    wide
}

/// Advises huge pages for the whole 2 MiB pages within `bytes` bytes from `start`.
fn advise_huge(start: usize, bytes: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        if bytes < 2 * HUGE {
            return;
        }
        let (from, to) = (start.next_multiple_of(HUGE), (start + bytes) / HUGE * HUGE);
        if to > from {
            // SAFETY: advice on whole pages inside an allocation's own unused capacity;
            // madvise(MADV_HUGEPAGE) never changes memory contents.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, bytes);
}
