#!/usr/bin/env python3
"""The layers include downwards only.

CMake's target links stop a lower library from linking a higher one, but every
target sees the repository root as an include directory, so an upward
#include would still compile. This check reads every project #include and
fails on one that climbs: usage `check_layers.py SOURCE_DIR`.
"""
import re
import sys
from pathlib import Path

# folder -> the folders its sources may include (besides itself)
ALLOWED = {
    "sim": set(),
    "workloads": {"sim"},
    "policies/ga": set(),  # the GA core: standard library, Random123, CUDA
    "policies": {"sim", "policies/ga"},
    "config": {"sim", "workloads"},
    "results_io": {"sim"},
    "experiments": {"sim", "workloads", "policies", "policies/ga", "config", "results_io"},
    "cli": {"sim", "workloads", "policies", "policies/ga", "config", "results_io", "experiments"},
    # the Python module: a top layer beside the CLI
    "python": {"sim", "workloads", "policies", "policies/ga", "config", "results_io", "experiments"},
    # out-of-tree policy examples: only the installed engine and policy headers
    "examples": {"sim", "policies"},
}
# Header-only files of a lower layer that the GA core may include: they use
# only the standard library and Random123 (see their own comments).
GA_EXTRA = {"sim/stable_random.h", "sim/parse_number.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel: str) -> str | None:
    best = None
    for folder in ALLOWED:
        if rel.startswith(folder + "/") and (best is None or len(folder) > len(best)):
            best = folder
    return best


def main() -> int:
    root = Path(sys.argv[1])
    bad = []
    files = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".h", ".cpp", ".cu"} or "build" in path.relative_to(root).parts[0]:
            continue
        rel = path.relative_to(root).as_posix()
        layer = layer_of(rel)
        if layer is None:
            continue
        files += 1
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            target_layer = layer_of(target)
            if target_layer is None or target_layer == layer or target_layer in ALLOWED[layer]:
                continue
            if layer == "policies/ga" and target in GA_EXTRA:
                continue
            bad.append(f"{rel}:{n}: layer '{layer}' includes '{target}' of layer '{target_layer}'")
    for b in bad:
        print(b)
    print(f"{files} files checked, {len(bad)} upward includes")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
