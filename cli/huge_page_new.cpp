// Memory of the fastgpu executable comes in transparent huge pages.
//
// A 100 k-job run first touches some 40 MB (the trace's jobs, the engine's
// per-job state, the job records, the metrics' sorted copies, the HDF5 rows),
// and every first touch of a 4 KiB page is a page fault: about 9,000 of them,
// at 15-20 us each on a virtual machine, a third of the whole process. Where
// the kernel hands out transparent huge pages only on request (the "madvise"
// setting, the common default), a 2 MiB page is one fault instead of 512.
//
// operator new stays malloc (so the library's operator delete, which calls
// free, matches it), with two additions:
//  * malloc keeps its memory: blocks under 32 MiB come from the heap (not one
//    mapping each, unmapped at free and faulted in again at the next
//    allocation), and freed memory is not given back to the system;
//  * the heap, as it grows, and every block of at least 4 MiB are marked
//    MADV_HUGEPAGE over the whole 2 MiB pages they span.
// A 2 MiB range gets a huge page only if its first touch comes after the
// advice and the whole range lies in one mapping; once a 4 KiB page is in it,
// it stays in 4 KiB pages. Blocks of 32 MiB or more (a mapping each, unless
// the heap's top has room) start on a 2 MiB boundary, else the range holding
// the block's head is not whole in the mapping. Blocks in the heap are not
// aligned: their heads share a huge page with what lies before them, and
// glibc's posix_memalign reuses a free block only if it has room for the
// alignment as well (n plus 2 MiB), so an aligned block, once freed, never
// came back for a block of its size (at a million jobs the engine's status
// table and then the summary's table of the same size took 8 MB twice). The
// heap grows 64 MiB at a time: malloc writes the new top's header before the
// growth can be advised, which costs the range after the block that made it
// grow, and a 100 k-job run then grows the heap once.
// The contents and every result are the same. Left out of sanitizer builds,
// whose own operator new checks new/delete pairs.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "sim/huge_pages.h"

namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
constexpr std::size_t kHugeBytes = 2 * kHugePage;
constexpr std::size_t kMmapBytes = 32 << 20;  // glibc's largest mmap threshold

std::atomic<std::uintptr_t> g_advised_heap_end{0};  // the heap is advised below this
// Kept for the process's life, never touched; volatile, or the compiler drops
// the allocation that nothing reads.
void* volatile g_first_range_rest = nullptr;

// The allocations made before this file's initialisation (the C and C++
// libraries') touched the 2 MiB range holding the heap's start before any
// advice, so that range stays in 4 KiB pages, and whatever comes next would be
// laid there: at 100 k jobs, the head of the trace's job table (up to 512
// faults). Grow the heap now by a small block (malloc writes the new top's
// header right behind it, still in that range), advise what the growth added,
// and fill the rest of the range with a block: later blocks start in advised
// memory. Both blocks stay allocated and untouched (address space only).
void skip_the_heaps_first_range() {
  const std::size_t top = ::mallinfo2().keepcost;  // the room left at the heap's top
  void* grown = std::malloc(top + 64);              // more than the top holds: the heap grows
  if (!grown) return;
  const auto end = reinterpret_cast<std::uintptr_t>(grown) + top + 64;
  const auto brk = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  const std::uintptr_t boundary = (end + kHugePage - 1) & ~(kHugePage - 1);
  if (brk < boundary + kHugePage) return;  // the heap did not grow past the range (not contiguous)
  fastgpu::advise_huge_pages(reinterpret_cast<const void*>(boundary), brk - boundary);
  g_advised_heap_end.store(brk & ~(kHugePage - 1), std::memory_order_relaxed);
  if (boundary - end > 128) g_first_range_rest = std::malloc(boundary - end - 128);
}

bool tune_malloc() {
  ::mallopt(M_MMAP_THRESHOLD, kMmapBytes);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  ::mallopt(M_TOP_PAD, 64 << 20);  // the heap grows 64 MiB at a time (address space, not memory)
  skip_the_heaps_first_range();
  return true;
}
const bool g_malloc_tuned = tune_malloc();

void* allocate(std::size_t n) noexcept {
  void* p = nullptr;
  if (n < kMmapBytes)
    p = std::malloc(n == 0 ? 1 : n);
  else if (::posix_memalign(&p, kHugePage, n) != 0)  // free() takes it back like any malloc block
    p = nullptr;
  if (!p) return p;
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  if (n >= kHugeBytes) fastgpu::advise_huge_pages(p, n);
  // The main heap grew: advise what was added (sbrk(0) only reads the break).
  const auto brk = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  std::uintptr_t advised = g_advised_heap_end.load(std::memory_order_relaxed);
  if (brk > advised + kHugePage && g_advised_heap_end.compare_exchange_strong(advised, brk & ~(kHugePage - 1))) {
    const std::uintptr_t from = advised ? advised : at & ~(kHugePage - 1);
    fastgpu::advise_huge_pages(reinterpret_cast<const void*>(from), brk - from);
  }
  return p;
}

// As the library's: retry through the new-handler, else throw.
void* allocate_or_throw(std::size_t n) {
  for (;;) {
    if (void* p = allocate(n)) return p;
    const std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n); }
void* operator new[](std::size_t n) { return allocate_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }

#endif
