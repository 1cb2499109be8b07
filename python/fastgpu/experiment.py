"""fastgpu.run and fastgpu.compare: the CLI's run and compare from Python."""
import os

from . import _fastgpu, _toml
from .results import read


def _config(config):
    if isinstance(config, dict):
        return "<dict config>", _toml.dumps(config)
    return os.fspath(config), None


def _sets(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [f"{k}={_toml.value(v)}" for k, v in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return list(overrides)


def _seeds(seeds):
    if seeds is None:
        return []
    if isinstance(seeds, int):
        return list(range(1, seeds + 1))
    return [int(s) for s in seeds]


def _policies(policies):
    if policies is None:
        return []
    if isinstance(policies, str):
        return [p.strip() for p in policies.split(",")]
    return list(policies)


def _experiment(kind, config, policies, seeds, set, output, threads, check):
    path, text = _config(config)
    done = _fastgpu._run(kind, path, text, _sets(set), _policies(policies), _seeds(seeds),
                         os.fspath(output) if output is not None else "", int(threads), bool(check))
    results = read(done["output"])
    results.table = done["table"]
    return results


def run(config, policies=None, seeds=None, set=None, output=None, threads=0, check=False):
    """Simulates every policy x seed of `config` (like `fastgpu run`).

    config: a TOML file path or a dict of the same tables. policies: labels
    or registry names (a list, or "a,b"); seeds: N (1..N) or a list; set:
    overrides as {"workload.load": 0.7} or ["workload.load=0.7"] (--set);
    output: the HDF5 file (else the config's, else results/<name>.h5);
    threads: 0 = the config's; check: verify the engine invariants.
    Returns the Results read back from the file. Errors: fastgpu.InputError
    (with file, line, field), fastgpu.PolicyError.
    """
    return _experiment("run", config, policies, seeds, set, output, threads, check)


def compare(config, policies=None, seeds=None, set=None, output=None, threads=0, check=False):
    """Runs the policies on every seed and sweep point (like `fastgpu compare`).

    Arguments as for run(); the config's [sweep] grid is expanded. The ranked
    table the CLI prints is Results.table.
    """
    return _experiment("compare", config, policies, seeds, set, output, threads, check)
