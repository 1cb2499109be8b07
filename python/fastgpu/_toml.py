"""A config given as a dict, written as TOML text for the config reader.

Tables become [sections], lists of tables [[arrays of tables]]; errors then
name the config key (`field`) and the line of this text.
"""
import math


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"a config value must be bool, int, float, str, list or dict, not {type(v).__name__}")


def key(k):
    k = str(k)
    if k and all(c.isalnum() or c in "-_" for c in k):
        return k
    return value(k)


def _is_table_list(v):
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, dict) for x in v)


def _emit(table, path, out):
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict) and not _is_table_list(v)}
    if path and (scalars or not any(isinstance(v, dict) or _is_table_list(v) for v in table.values())):
        out.append(f"[{'.'.join(key(p) for p in path)}]")
    for k, v in scalars.items():
        out.append(f"{key(k)} = {value(v)}")
    for k, v in table.items():
        if isinstance(v, dict):
            _emit(v, path + [k], out)
        elif _is_table_list(v):
            for item in v:
                out.append(f"[[{'.'.join(key(p) for p in path + [k])}]]")
                for ik, iv in item.items():
                    out.append(f"{key(ik)} = {value(iv)}")


def dumps(config):
    out = []
    _emit(config, [], out)
    return "\n".join(out) + "\n"
