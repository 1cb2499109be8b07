#pragma once
// The warm start of the online `ga` policy: the previous decision's mapping
// carried over to the next batch. Jobs that were mapped before keep their
// slot (when it is still allowed); the others take, in batch order, the slot
// where they would finish first after the jobs before them (MCT on the
// decoded schedule), so the chromosome is a good starting point even when
// most of the batch is new.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "policies/ga/etc_instance.h"

namespace fastgpu {

inline constexpr std::uint32_t kNoPreviousSlot = std::numeric_limits<std::uint32_t>::max();

// previous[t]: task t's slot in the previous decision, or kNoPreviousSlot.
std::vector<std::uint32_t> warm_start_assignment(const ga::EtcInstance& inst,
                                                 std::span<const std::uint32_t> previous);

}  // namespace fastgpu
