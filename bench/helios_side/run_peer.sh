#!/usr/bin/env bash
# Runs the Helios simulator ("QSSF Service" of HeliosArtifact) once per
# (trace, policy) case that has no cached timing yet, and appends its CPU
# seconds to the cache the side-by-side benchmark reads:
#   CACHE/peer-times.tsv   lines "trace<TAB>policy<TAB>cpu_s<TAB>wall_s<TAB>exit"
# A 100 k-job case takes minutes of CPU, so run this in the background:
#   nohup bench/helios_side/run_peer.sh > build/helios-side/peer.log 2>&1 &
# PEER is the patched "QSSF Service" folder (set up as docs/performance.md says),
# TRACES the generated traces, CASES "trace:policy ..." (default: the 100 k cases).
set -u
CACHE=${CACHE:-build/helios-side}
PEER=${PEER:-"$CACHE/peer/framework/QSSF Service"}
TRACES=${TRACES:-$CACHE/traces}
PY=${PY:-/usr/bin/python3}
CASES=${CASES:-"syn100000:fifo syn100000:sjf syn100000_l095:fifo syn100000_l095:sjf"}
TIMEOUT=${TIMEOUT:-3600}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd); TRACES=$(cd "$TRACES" && pwd)
if [[ ! -f "$PEER/simulator.py" ]]; then echo "peer absent: no $PEER/simulator.py" >&2; exit 1; fi
for c in $CASES; do
  trace=${c%%:*} policy=${c##*:}
  # A case with a completed run (exit 0) is not run again.
  if grep -q -P "^$trace\t$policy\t.*\t0$" "$CACHE/peer-times.tsv" 2>/dev/null; then continue; fi
  log="$CACHE/hlog/${policy}_${trace}"
  rm -rf "$log"
  timing="$CACHE/peer_${policy}_${trace}.time"
  ( cd "$PEER" && timeout "$TIMEOUT" /usr/bin/time -f "%U %S %e %x" -o "$timing" "$PY" simulator.py -e=Philly \
      -t="$TRACES/$trace" -s "$policy" -p consolidate -l "$log" > "$CACHE/peer_${policy}_${trace}.out" 2>&1 )
  read -r user sys wall code < <(tail -1 "$timing")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\n' "$trace" "$policy" "$cpu" "$wall" "$code" >> "$CACHE/peer-times.tsv"
  echo "$trace $policy: CPU $cpu s, wall $wall s, exit $code"
done
