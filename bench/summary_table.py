#!/usr/bin/python3
"""Prints one table from the outputs of the benchmarks that scripts/bench ran:
    bench/summary_table.py ENGINE.txt REPLAY.txt HELIOS.txt
(a missing file is left out). Each row: benchmark, case, measure, value."""
import os
import sys


def rows_engine(path):
    started = False
    for line in open(path):
        parts = line.split()
        if parts[:2] == ['policy', 'wall']:
            started = True
            continue
        if started and len(parts) >= 13:
            # policy wall jobs/s cpu jobs/s(cpu) events/s sched% RSS gen completed preempt migrate target
            yield 'engine', parts[0], 'jobs per CPU s', f'{float(parts[4]):,.0f}'
            yield 'engine', parts[0], 'peak RSS MB', parts[7]


def rows_replay(path):
    started = False
    for line in open(path):
        if line.startswith('sample'):
            started = True
            continue
        if not started or line.startswith(('targets', 'note', '>=')) or len(line) < 40:
            continue
        label, numbers = line[:36].strip(), line[36:].split()
        if len(numbers) >= 5:
            yield 'parse', label, 'rows per CPU s', f'{float(numbers[4]):,.0f}'


def rows_helios(path):
    for line in open(path):
        parts = line.split()
        if line.startswith('fastgpu start-up'):
            yield 'side by side', 'start-up', 'fastgpu --version CPU s', parts[-3]
            continue
        if len(parts) >= 4 and parts[0].startswith('syn'):
            case = f'{parts[0]} {parts[1]}'
            if parts[2] == 'peer':  # "peer absent"
                yield 'side by side', case, 'fastgpu CPU s (peer absent)', parts[4]
            else:
                yield 'side by side', case, 'Helios / fastgpu CPU s', f'{parts[2]} / {parts[3]} = {parts[4]}'
                if len(parts) >= 7:
                    yield 'side by side', case, 'Helios / fastgpu --summary-only', f'{parts[2]} / {parts[5]} = {parts[6]}'


def main():
    readers = [rows_engine, rows_replay, rows_helios]
    rows = []
    for path, read in zip(sys.argv[1:], readers):
        if os.path.exists(path):
            rows.extend(read(path))
    width = [max(len(r[i]) for r in rows + [('benchmark', 'case', 'measure', 'value')]) for i in range(4)]
    line = lambda r: '| ' + ' | '.join(c.ljust(w) for c, w in zip(r, width)) + ' |'
    print(line(('benchmark', 'case', 'measure', 'value')))
    print('|' + '|'.join('-' * (w + 2) for w in width) + '|')
    for r in rows:
        print(line(r))


if __name__ == '__main__':
    main()
