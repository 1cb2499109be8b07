#pragma once
// One function per built-in policy, each defined in its own file.
#include "sim/registry.h"

namespace fastgpu {

PolicyInfo fifo_policy();
PolicyInfo sjf_policy();
PolicyInfo least_loaded_policy();
PolicyInfo srtf_policy();
PolicyInfo easy_backfill_policy();
PolicyInfo conservative_backfill_policy();
PolicyInfo las_policy();
PolicyInfo priority_policy();
PolicyInfo load_balance_migrate_policy();
PolicyInfo reservation_policy();
PolicyInfo time_window_policy();
PolicyInfo min_min_policy();
PolicyInfo max_min_policy();
PolicyInfo sufferage_policy();
PolicyInfo mct_policy();
PolicyInfo met_policy();
PolicyInfo ga_policy();
PolicyInfo recorded_policy();

}  // namespace fastgpu
