#pragma once
// The per-job tables of a large run (runtimes, records, estimates) are first
// written during the run, and with 4 KiB pages every page is a fault: at a
// million jobs the faults cost more than the simulation (expensive on a
// virtual machine). Where the kernel gives transparent huge pages only on
// request ("madvise" mode), these tables ask for them: one fault per 2 MiB.
// Advice only: where it is not taken, nothing changes but the speed.
#include <cstddef>
#include <vector>

namespace fastgpu {

// Advises huge pages for the whole 2 MiB pages inside [data, data + bytes).
// It reads no byte there, which GCC must be told: otherwise it warns when the
// range is fresh memory (the executable's operator new advises its blocks).
#if defined(__GNUC__) && !defined(__clang__)
[[gnu::access(none, 1)]]
#endif
void advise_huge_pages(const void* data, std::size_t bytes);

// Reserves room for n elements of an empty or small vector and advises huge
// pages for it, before its elements are first written.
template <class T>
void reserve_huge_pages(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace fastgpu
