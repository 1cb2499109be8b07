#include "policies/builtin.h"

#include "policies/builtin_policies.h"

namespace fastgpu {

const PolicyRegistry& builtin_policies() {
  static const PolicyRegistry registry = [] {
    PolicyRegistry r;
    // One line per policy.
    r.add(fifo_policy());
    r.add(sjf_policy());
    r.add(least_loaded_policy());
    r.add(srtf_policy());
    r.add(easy_backfill_policy());
    r.add(conservative_backfill_policy());
    r.add(las_policy());
    r.add(priority_policy());
    r.add(load_balance_migrate_policy());
    r.add(reservation_policy());
    r.add(time_window_policy());
    r.add(min_min_policy());
    r.add(max_min_policy());
    r.add(sufferage_policy());
    r.add(mct_policy());
    r.add(met_policy());
    r.add(ga_policy());
    r.add(recorded_policy());
    return r;
  }();
  return registry;
}

}  // namespace fastgpu
