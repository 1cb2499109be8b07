#pragma once
// Consolidated gangs: the constraint most production GPU schedulers (Philly,
// Helios, Tiresias) put on multi-GPU jobs. A gang that fits on one node waits
// for one node instead of spreading over several; a gang larger than any node
// takes the fewest nodes, whole ones, and otherwise waits. Optionally (as in
// Tiresias) a gang that has waited long enough may spread anyway.
#include <cmath>

#include "sim/types.h"

namespace fastgpu {

struct Consolidation {
  bool on = false;             // false: a gang that fits no single node spreads over any nodes with room
  Seconds spread_after = -1;   // with `on`: seconds since submit after which a gang may spread; < 0 = never

  // Whether a gang submitted at `submit` must still be consolidated at `now`.
  bool applies(Seconds submit, Seconds now) const {
    return on && (spread_after < 0 || now - submit < spread_after);
  }
};

}  // namespace fastgpu
