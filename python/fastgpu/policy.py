"""Policies written in Python.

Subclass Policy, implement schedule(ctx) and any of the optional hooks, and
register the class under a name; it then runs wherever a policy name is
accepted (fastgpu.run, fastgpu.compare), next to the built-ins. The engine
calls only the hooks a subclass defines.

    class Fifo(fastgpu.Policy):
        def init(self, ctx):
            self.queue = collections.deque()
        def on_arrival(self, ctx, job):
            self.queue.append(job)
        def schedule(self, ctx):
            while self.queue and ctx.try_start(self.queue[0]):
                self.queue.popleft()

    fastgpu.register_policy("py-fifo", Fifo)

`ctx` is a fastgpu.Context (valid only during the call): the queries and the
validated actions of the C++ SchedulingContext, batched accessors returning
numpy arrays, and ctx.place / ctx.try_start through the class's `placement`
("first-fit", "best-fit", "spread" or "least-loaded").
"""
from . import _fastgpu

_classes = {}


class Policy:
    placement = "first-fit"
    params = {}  # name -> default (bool, int, float or str); passed to __init__ as keywords

    def __init__(self, **params):
        for name, value in params.items():
            setattr(self, name, value)

    def init(self, ctx):
        """Once, before the first event."""

    def on_arrival(self, ctx, job):
        """Job `job` entered the pending set."""

    def on_finish(self, ctx, job):
        """A running job finished; its GPUs are already free."""

    def on_requeue(self, ctx, job):
        """A preempted job is pending again."""

    def on_timer(self, ctx, tag):
        """A timer set with ctx.set_timer fired."""

    def on_monitor(self, ctx):
        """A monitor sample updated ctx.gpu_load()."""

    def schedule(self, ctx):
        """Decide: called once per simulated instant, after its events."""
        raise NotImplementedError

    def finish(self, ctx):
        """Once, after the last event."""

    def attributes(self):
        """Facts about the run, stored as attr.* of the run in the HDF5 file."""
        return {}


def register_policy(name, cls, summary=""):
    """Registers `cls` (a Policy subclass) as policy `name`.

    Registering the same name again in this session replaces the class
    (with the same `params`); a name of a built-in or plugin policy is an
    InputError.
    """
    if not (isinstance(cls, type) and issubclass(cls, Policy)):
        raise TypeError("register_policy needs a fastgpu.Policy subclass")
    if cls.schedule is Policy.schedule:
        raise TypeError(f"{cls.__name__} does not implement schedule(ctx)")
    params = dict(cls.params)
    previous = _classes.get(name)
    if previous is not None:
        if dict(previous.params) != params:
            raise ValueError(f"policy '{name}' was registered with other params; use a new name")
        _classes[name] = cls
        return
    _fastgpu._register_policy(name, summary or (cls.__doc__ or cls.__name__).strip().splitlines()[0], params)
    _classes[name] = cls


def registered_class(name):
    """The class registered under `name` (called by the engine's factory)."""
    return _classes[name]


def policies():
    """Every registered policy: name, summary and parameter defaults."""
    return _fastgpu._policies()


def load_plugin(path):
    """Loads a C++ policy plugin (--plugin in the CLI); returns its policy names."""
    return _fastgpu.load_plugin(str(path))
