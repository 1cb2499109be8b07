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
//  * malloc keeps its memory: blocks up to 32 MiB come from the heap (not one
//    mapping each, unmapped at free and faulted in again at the next
//    allocation), and freed memory is not given back to the system;
//  * the heap, as it grows, and every block of at least 4 MiB are marked
//    MADV_HUGEPAGE over the whole 2 MiB pages they span.
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

std::atomic<std::uintptr_t> g_advised_heap_end{0};  // the heap is advised below this

bool tune_malloc() {
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  ::mallopt(M_TOP_PAD, 16 << 20);  // the heap grows 16 MiB at a time: whole huge pages
  return true;
}
const bool g_malloc_tuned = tune_malloc();

void* allocate(std::size_t n) noexcept {
  void* p = std::malloc(n == 0 ? 1 : n);
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
