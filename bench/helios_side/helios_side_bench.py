#!/usr/bin/python3
"""Side-by-side benchmark against the Helios simulator (HeliosArtifact "QSSF
Service", Python, one-second steps): replays the same synthetic traces with
`fastgpu run` (the whole process: start-up, parsing, simulation, HDF5 output)
and prints fastgpu's CPU seconds beside the peer's.

    bench/helios_side/helios_side_bench.py [--fastgpu build/fastgpu] [--cache build/helios-side]
                                           [--repeat 3] [--cases syn100000:fifo,...]
                                           [--peer-rounds N [--peer DIR]] [--cpu N] [--samples FILE]

The traces (64 nodes x 8 GPUs, one VC, seed 1; 10 k jobs at load 0.8, 100 k
jobs at load 0.8 and 0.95) are made once by the peer-side generator
(HELIOS_SIDE, default ../shared/peers/helios-side) into CACHE/traces. The
peer is slow (a quarter of a minute to minutes of CPU a case). By default it
is not run here: bench/helios_side/run_peer.sh runs it once per case, in the
background, and appends its timing to CACHE/peer-times.tsv, which this reads;
a case without a timing says "peer absent". fastgpu's time is the median of
--repeat rounds, each running every case with the full HDF5 output and with
--summary-only, each run measured with wait4 (user + system CPU of the child).

With --peer-rounds N the peer (set up in --peer, as run_peer.sh expects it) is
run here too, N times a case, interleaved with fastgpu's rounds: the N x cases
peer runs, one case at a time, are spread evenly over them, so fastgpu's
rounds fall into as many windows, minutes apart. Both sides' medians then come
from the same minutes of the same machine, whose speed drifts by a fifth or
more between hours, so the ratio is the one to quote; and a slow spell of a
few seconds, which a fastgpu round (half a second) can fall into whole, holds
a few of its rounds, not a third of them.
With --cpu N both sides run on CPU N alone: on a virtual machine one CPU can
run a third slower than another for minutes, and a short fastgpu run lands on
one CPU while a long peer run spreads over all. --samples FILE writes every
fastgpu measurement (trace, policy, output, round, CPU s) as tab-separated
lines, to see the spread behind the medians.
"""
import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRACES = {  # name -> generator arguments
    'syn10000': ['10000'],
    'syn100000': ['100000'],
    'syn100000_l095': ['100000', '--load', '0.95'],
}
DEFAULT_CASES = 'syn100000:fifo,syn100000:sjf,syn100000_l095:fifo,syn100000_l095:sjf'


def make_traces(cache, side, names):
    """Generates the missing traces with the peer side's generator and converter."""
    for name in names:
        folder = os.path.join(cache, 'traces', name)
        if os.path.exists(os.path.join(folder, 'fastgpu.csv')):
            continue
        gen = os.path.join(side, 'gen_helios_trace.py')
        conv = os.path.join(side, 'helios_to_fastgpu_csv.py')
        if not (os.path.exists(gen) and os.path.exists(conv)):
            sys.exit(f'helios_side_bench: trace {name} is missing and the generator {gen} is absent')
        subprocess.run(['/usr/bin/python3', gen, folder] + TRACES[name], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(['/usr/bin/python3', conv, os.path.join(folder, 'cluster_log.csv'),
                        os.path.join(folder, 'fastgpu.csv')], check=True, stdout=subprocess.DEVNULL)


def cpu_seconds(cmd, cwd=None):
    """Runs cmd and returns the user + system CPU seconds of the child (and of its children)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f'helios_side_bench: {" ".join(cmd)} failed ({proc.returncode}): {proc.stderr.read().decode()}')
    return usage.ru_utime + usage.ru_stime


def peer_times(cache):
    """(trace, policy) -> CPU seconds from the peer cache (completed runs only)."""
    out = {}
    path = os.path.join(cache, 'peer-times.tsv')
    if os.path.exists(path):
        for line in open(path):
            parts = line.rstrip('\n').split('\t')
            if len(parts) == 5 and parts[4] == '0':
                out[(parts[0], parts[1])] = float(parts[2])
    return out


def peer_command(traces, trace, policy, log_dir):
    """The peer's command line for one case, as run_peer.sh runs it (from its folder)."""
    return ['/usr/bin/python3', 'simulator.py', '-e=Philly', f'-t={os.path.join(traces, trace)}', '-s', policy,
            '-p', 'consolidate', '-l', os.path.join(log_dir, f'{policy}_{trace}')]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--fastgpu', default=os.path.join(ROOT, 'build', 'fastgpu'))
    ap.add_argument('--cache', default=os.path.join(ROOT, 'build', 'helios-side'))
    ap.add_argument('--side', default=os.environ.get('HELIOS_SIDE', os.path.join(ROOT, '..', 'shared', 'peers',
                                                                                   'helios-side')))
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--cases', default=DEFAULT_CASES)
    ap.add_argument('--peer-rounds', type=int, default=0,
                    help='run the peer N times a case here, interleaved with fastgpu (0: read the cached timings)')
    ap.add_argument('--peer', help='the peer\'s "QSSF Service" folder (default CACHE/peer/framework/QSSF Service)')
    ap.add_argument('--cpu', type=int,
                    help='run both sides on this CPU only (see above)')
    ap.add_argument('--samples', help='write every fastgpu measurement to this tab-separated file')
    a = ap.parse_args()
    if a.cpu is not None:
        if a.cpu not in os.sched_getaffinity(0):
            sys.exit(f'helios_side_bench: --cpu {a.cpu} is not one of this process\'s CPUs '
                     f'({", ".join(map(str, sorted(os.sched_getaffinity(0))))})')
        os.sched_setaffinity(0, {a.cpu})  # the children, fastgpu and the peer, inherit it
    if a.repeat < 1 or a.peer_rounds < 0:
        sys.exit('helios_side_bench: --repeat must be >= 1 and --peer-rounds >= 0')
    peer_dir = os.path.abspath(a.peer or os.path.join(a.cache, 'peer', 'framework', 'QSSF Service'))
    if a.peer_rounds and not os.path.exists(os.path.join(peer_dir, 'simulator.py')):
        sys.exit(f'helios_side_bench: --peer-rounds needs the peer: no simulator.py in {peer_dir} '
                 '(docs/performance.md says how to set it up)')
    cases = [tuple(c.split(':')) for c in a.cases.split(',')]
    for trace, policy in cases:
        if trace not in TRACES or policy not in ('fifo', 'sjf'):
            sys.exit(f'helios_side_bench: unknown case {trace}:{policy} (traces {", ".join(TRACES)}; fifo, sjf)')
    make_traces(a.cache, a.side, sorted({t for t, _ in cases}))
    config = os.path.join(HERE, 'fastgpu-helios.toml')
    out_dir = os.path.join(a.cache, 'out')
    os.makedirs(out_dir, exist_ok=True)
    peer = {} if a.peer_rounds else peer_times(a.cache)
    # Start-up alone: a process that loads, relocates and exits.
    startup = statistics.median(cpu_seconds([a.fastgpu, '--version']) for _ in range(max(a.repeat, 5)))
    print(f'fastgpu start-up (fastgpu --version): {startup:.3f} CPU s')
    peer_source = (f'median of {a.peer_rounds} runs interleaved with fastgpu\'s' if a.peer_rounds
                   else 'cached (bench/helios_side/run_peer.sh)')
    pinned = f', both on CPU {a.cpu}' if a.cpu is not None else ''
    print(f'side by side with the Helios simulator: CPU seconds of the whole process, fastgpu median of {a.repeat}, '
          f'peer {peer_source}{pinned}')
    print(f'{"trace":<16} {"policy":<6} {"peer CPU s":>10} {"fastgpu CPU s":>13} {"ratio":>7} '
          f'{"summary-only CPU s":>18} {"ratio":>7}')
    commands = {}
    for trace, policy in cases:
        csv = os.path.abspath(os.path.join(a.cache, 'traces', trace, 'fastgpu.csv'))
        base = [a.fastgpu, 'run', config, '--policy', policy, '--quiet', '--set', f'workload.trace={csv}']
        commands[(trace, policy)] = (base + ['-o', os.path.join(out_dir, f'{trace}_{policy}.h5')],
                                     base + ['--summary-only', '-o', os.path.join(out_dir, f'{trace}_{policy}_s.h5')])
    times = {case: ([], []) for case in cases}
    peer_runs = {case: [] for case in cases}
    traces = os.path.abspath(os.path.join(a.cache, 'traces'))
    log_dir = os.path.abspath(os.path.join(a.cache, 'hlog-live'))
    # The peer's N runs of every case, one at a time, spread evenly over fastgpu's
    # rounds: run m goes before round m * repeat // (N * cases).
    peer_order = [case for _ in range(a.peer_rounds) for case in cases]
    peer_before = collections.defaultdict(list)
    for m, case in enumerate(peer_order):
        peer_before[m * a.repeat // len(peer_order)].append(case)
    for r in range(a.repeat):  # every case and output once per round, so all see the same machine
        for case in peer_before[r]:
            shutil.rmtree(os.path.join(log_dir, f'{case[1]}_{case[0]}'), ignore_errors=True)
            peer_runs[case].append(cpu_seconds(peer_command(traces, *case, log_dir), cwd=peer_dir))
        for case in cases:
            for output in (0, 1):
                times[case][output].append(cpu_seconds(commands[case][output]))
    if a.samples:
        with open(a.samples, 'w') as f:
            f.write('trace\tpolicy\toutput\tround\tcpu_s\n')
            for (trace, policy), per_output in times.items():
                for output, samples in zip(('full', 'summary-only'), per_output):
                    for r, t in enumerate(samples):
                        f.write(f'{trace}\t{policy}\t{output}\t{r}\t{t:.6f}\n')
    for case in cases:
        if peer_runs[case]:
            peer[case] = statistics.median(peer_runs[case])
    for trace, policy in cases:
        f, s = (statistics.median(t) for t in times[(trace, policy)])
        if (trace, policy) in peer:
            p = peer[(trace, policy)]
            print(f'{trace:<16} {policy:<6} {p:>10.2f} {f:>13.3f} {p / f:>6.0f}x {s:>18.3f} {p / s:>6.0f}x')
        else:
            print(f'{trace:<16} {policy:<6} {"peer absent":>10} {f:>13.3f} {"":>7} {s:>18.3f}')

if __name__ == '__main__':
    main()
