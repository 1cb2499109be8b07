"""The errors fastgpu raises: the same as the CLI's, as exceptions.

InputError is bad input (a config, trace, option or policy parameter; the CLI
exits 2): `file`, `line` (0 when unknown) and `field` say where. PolicyError
is an invalid policy action or an exception inside a Python policy (its
message carries the traceback). InternalError is a broken engine invariant.
"""


class FastgpuError(Exception):
    """Base class of every fastgpu error."""


class InputError(FastgpuError, ValueError):
    def __init__(self, message, file="", line=0, field=""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.field = field


class PolicyError(FastgpuError, RuntimeError):
    pass


class InternalError(FastgpuError, RuntimeError):
    pass
