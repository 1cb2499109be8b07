#!/usr/bin/env python3
"""Runs every command of README.md and docs/*.md from a fresh copy of the repository.

Usage: docs_test.py [--python PYTHON] SOURCE_DIR BUILD_DIR [FILE.md ...]

The copy holds only the files git tracks (plus new files not ignored), as a
fresh clone would, committed to a new git repository, with BUILD_DIR linked in
as build/ so that nothing is built twice. In each Markdown file, every fenced block tagged `sh` is run with bash,
in order, from the copy's root; blocks tagged `console`, `text`, `toml` and so
on are not. A `sh` block right after the line

    <!-- docs-test: skip REASON -->

is not run and REASON is printed (for package installs, MPI or a GPU the
machine lacks, or runs too long for a test). A failing block is reported with
its file and the line of the failing command, and the test fails. With
--python, `python3` in the commands is that interpreter (the one the build
found with numpy, h5py and pandas), as on a machine set up by scripts/setup.
Exit status: 0 all ran, 1 a command failed, 77 (skipped) not a git checkout.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP_MARK = re.compile(r"^<!--\s*docs-test:\s*skip\s+(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
BLOCK_TIMEOUT_S = 300


def sh_blocks(path):
    """Yields (first line number of the code, code, skip reason or None) per sh block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    skip = None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            mark = SKIP_MARK.match(lines[i].strip())
            if mark:
                skip = mark.group(1)
            elif lines[i].strip():
                skip = None  # the mark applies only to the block right after it
            i += 1
            continue
        fence, lang = m.group(2), m.group(3)
        start = i + 1
        j = start
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        if lang == "sh":
            yield start + 1, "\n".join(lines[start:j]) + "\n", skip
        skip = None
        i = j + 1


def fresh_copy(source, build, dest):
    files = subprocess.run(["git", "-C", source, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = os.path.join(source, rel)
        if not os.path.isfile(src):  # deleted in the work tree but still in the index
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)
    # A clone is a git repository (docs run `git diff`); the linked build and
    # the test's own files stay out of it.
    git = ["git", "-c", "user.name=docs-test", "-c", "user.email=docs-test@localhost", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=dest, check=True)
    with open(os.path.join(dest, ".git", "info", "exclude"), "a") as exclude:
        exclude.write("/build\n/.docs-test-bin/\n")
    subprocess.run(git + ["add", "-A"], cwd=dest, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "fresh clone"], cwd=dest, check=True)
    os.symlink(os.path.abspath(build), os.path.join(dest, "build"))


def run_block(root, md, first_line, code, env):
    # LINENO counts from the first line of the block; the trap reports it as
    # a line of the Markdown file.
    script = ("set -eo pipefail\n"
              f"trap 'echo \"docs-test: {md}:$(( LINENO + {first_line} - 3 )): command failed (exit $?)\" >&2' ERR\n"
              + code)
    started = time.monotonic()
    try:
        p = subprocess.run(["bash", "-c", script], cwd=root, capture_output=True, text=True,
                           timeout=BLOCK_TIMEOUT_S, stdin=subprocess.DEVNULL, env=env)
        return p.returncode, p.stdout + p.stderr, time.monotonic() - started
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") + (e.stderr or b"").decode(errors="replace")
        return 124, out + f"\ndocs-test: {md}:{first_line}: block ran over {BLOCK_TIMEOUT_S} s\n", BLOCK_TIMEOUT_S


def main():
    args = sys.argv[1:]
    python = None
    if args[:1] == ["--python"] and len(args) >= 2:
        python, args = args[1], args[2:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, build = os.path.abspath(args[0]), os.path.abspath(args[1])
    if not os.path.exists(os.path.join(source, ".git")):
        print(f"SKIPPED: {source} is not a git checkout, so there is no list of the files a clone has")
        return 77
    docs = args[2:] or ["README.md"] + sorted(
        os.path.join("docs", f) for f in os.listdir(os.path.join(source, "docs")) if f.endswith(".md"))
    failures = []
    ran = skipped = 0
    with tempfile.TemporaryDirectory(prefix="fastgpu-docs-test-") as root:
        fresh_copy(source, build, root)
        env = dict(os.environ)
        if python:
            bin_dir = os.path.join(root, ".docs-test-bin")
            os.makedirs(bin_dir)
            os.symlink(python, os.path.join(bin_dir, "python3"))
            env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        for md in docs:
            for first_line, code, skip in sh_blocks(os.path.join(root, md)):
                if skip is not None:
                    skipped += 1
                    print(f"skip {md}:{first_line}: {skip}")
                    continue
                rc, out, seconds = run_block(root, md, first_line, code, env)
                ran += 1
                print(f"{'ok  ' if rc == 0 else 'FAIL'} {md}:{first_line} ({seconds:.1f} s)")
                if rc != 0:
                    failures.append(md)
                    tail = out.strip().split("\n")[-25:]
                    print("\n".join("    " + line for line in tail))
    print(f"docs-test: {ran} blocks ran, {skipped} skipped, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
