#!/usr/bin/python3
"""Measures what the storage settings of the per-job table cost: reads the
`jobs` table of one run from a fastgpu results file and writes it again with
each chunk size and filter, printing CPU seconds per write (median of
--repeat) and the bytes on disk. The HDF5 library and its filters are the
same that fastgpu links, so the differences carry over to its writer.

    bench/hdf5/write_settings.py RESULTS.h5 [--repeat 5]

e.g. on the 100 k-job table of the side-by-side benchmark:
    bench/hdf5/write_settings.py build/helios-side/out/syn100000_fifo.h5
"""
import argparse
import os
import statistics
import tempfile
import time

import h5py


def first_jobs_table(f):
    found = []
    f.visititems(lambda name, obj: found.append(name) if name.endswith('/jobs') and isinstance(obj, h5py.Dataset)
                 else None)
    if not found:
        raise SystemExit('no per-job table in the file (written with --summary-only?)')
    return f[found[0]][...]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('results')
    ap.add_argument('--repeat', type=int, default=5)
    a = ap.parse_args()
    with h5py.File(a.results, 'r') as f:
        jobs = first_jobs_table(f)
    row = jobs.dtype.itemsize
    print(f'{len(jobs)} rows of {row} bytes ({len(jobs) * row / 1e6:.1f} MB raw); CPU s median of {a.repeat}')
    print(f'{"chunk KiB":>9} {"filters":<18} {"CPU s":>8} {"MB on disk":>10}')
    filters = [('none', {}), ('deflate 1', {'compression': 'gzip', 'compression_opts': 1}),
               ('shuffle+deflate 1', {'shuffle': True, 'compression': 'gzip', 'compression_opts': 1}),
               ('shuffle+deflate 4', {'shuffle': True, 'compression': 'gzip', 'compression_opts': 4}),
               ('shuffle+lzf', {'shuffle': True, 'compression': 'lzf'})]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'w.h5')
        for chunk_kib in (64, 256, 1024, 4096):
            rows = max(1, min(len(jobs), chunk_kib * 1024 // row))
            for label, opts in filters:
                times = []
                for _ in range(a.repeat):
                    t0 = time.process_time()
                    with h5py.File(path, 'w') as out:
                        out.create_dataset('jobs', data=jobs, chunks=(rows,), maxshape=(None,), **opts)
                    times.append(time.process_time() - t0)
                print(f'{chunk_kib:>9} {label:<18} {statistics.median(times):>8.4f} {os.path.getsize(path) / 1e6:>10.2f}')


if __name__ == '__main__':
    main()
