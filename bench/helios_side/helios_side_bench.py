#!/usr/bin/python3
"""Side-by-side benchmark against the Helios simulator (HeliosArtifact "QSSF
Service", Python, one-second steps): replays the same synthetic traces with
`fastgpu run` (the whole process: start-up, parsing, simulation, HDF5 output)
and prints fastgpu's CPU seconds beside the peer's.

    bench/helios_side/helios_side_bench.py [--fastgpu build/fastgpu] [--cache build/helios-side]
                                           [--repeat 3] [--cases syn100000:fifo,...]

The traces (64 nodes x 8 GPUs, one VC, seed 1; 10 k jobs at load 0.8, 100 k
jobs at load 0.8 and 0.95) are made once by the peer-side generator
(HELIOS_SIDE, default ../shared/peers/helios-side) into CACHE/traces. The
peer is slow (minutes of CPU a case), so it is never run here:
bench/helios_side/run_peer.sh runs it once per case, in the background, and
appends its timing to CACHE/peer-times.tsv, which this reads; a case without a
timing says "peer absent". fastgpu's time is the median of --repeat rounds, each
running every case with the full HDF5 output and with --summary-only, each
run measured with wait4 (user + system CPU of the child).
"""
import argparse
import os
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


def cpu_seconds(cmd):
    """Runs cmd and returns the user + system CPU seconds of the child."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--fastgpu', default=os.path.join(ROOT, 'build', 'fastgpu'))
    ap.add_argument('--cache', default=os.path.join(ROOT, 'build', 'helios-side'))
    ap.add_argument('--side', default=os.environ.get('HELIOS_SIDE', os.path.join(ROOT, '..', 'shared', 'peers',
                                                                                   'helios-side')))
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--cases', default=DEFAULT_CASES)
    a = ap.parse_args()
    cases = [tuple(c.split(':')) for c in a.cases.split(',')]
    for trace, policy in cases:
        if trace not in TRACES or policy not in ('fifo', 'sjf'):
            sys.exit(f'helios_side_bench: unknown case {trace}:{policy} (traces {", ".join(TRACES)}; fifo, sjf)')
    make_traces(a.cache, a.side, sorted({t for t, _ in cases}))
    config = os.path.join(HERE, 'fastgpu-helios.toml')
    out_dir = os.path.join(a.cache, 'out')
    os.makedirs(out_dir, exist_ok=True)
    peer = peer_times(a.cache)
    # Start-up alone: a process that loads, relocates and exits.
    startup = statistics.median(cpu_seconds([a.fastgpu, '--version']) for _ in range(max(a.repeat, 5)))
    print(f'fastgpu start-up (fastgpu --version): {startup:.3f} CPU s')
    print(f'side by side with the Helios simulator: CPU seconds of the whole process, fastgpu median of {a.repeat}')
    print(f'{"trace":<16} {"policy":<6} {"peer CPU s":>10} {"fastgpu CPU s":>13} {"ratio":>7} '
          f'{"summary-only CPU s":>18} {"ratio":>7}')
    commands = {}
    for trace, policy in cases:
        csv = os.path.abspath(os.path.join(a.cache, 'traces', trace, 'fastgpu.csv'))
        base = [a.fastgpu, 'run', config, '--policy', policy, '--quiet', '--set', f'workload.trace={csv}']
        commands[(trace, policy)] = (base + ['-o', os.path.join(out_dir, f'{trace}_{policy}.h5')],
                                     base + ['--summary-only', '-o', os.path.join(out_dir, f'{trace}_{policy}_s.h5')])
    times = {case: ([], []) for case in cases}
    for _ in range(a.repeat):  # every case and output once per round, so all see the same machine
        for case in cases:
            for output in (0, 1):
                times[case][output].append(cpu_seconds(commands[case][output]))
    for trace, policy in cases:
        f, s = (statistics.median(t) for t in times[(trace, policy)])
        if (trace, policy) in peer:
            p = peer[(trace, policy)]
            print(f'{trace:<16} {policy:<6} {p:>10.2f} {f:>13.3f} {p / f:>6.0f}x {s:>18.3f} {p / s:>6.0f}x')
        else:
            print(f'{trace:<16} {policy:<6} {"peer absent":>10} {f:>13.3f} {"":>7} {s:>18.3f}')

if __name__ == '__main__':
    main()
