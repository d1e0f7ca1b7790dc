#!/usr/bin/env python3
"""Side-by-side speed of VulkanAE and PyTorch: one epoch of the same model in each, alternately.

For every model, N pairs of runs: `vae train --model M --epochs 1` (the Release build, built once
up front and started as `dotnet vae.dll`, without `dotnet run`'s build check) and
tools/train_pytorch.py with the same model, batch and seed. The first of each pair alternates, so
neither always runs on a machine the other has just warmed or heated. Two times per run:

  epoch   the training pass as each tool reports it (metrics.csv's `seconds` column for vae, the
          same column printed by train_pytorch.py): batches, forward, loss, backward, optimizer;
  wall    the whole process, start to exit: what a user waits for (start-up, data loading, shader
          or kernel warm-up, the test-set evaluation, writing results).

It prints each run, then per model the medians, the ratio vae / PyTorch (above 1: vae is slower)
and each side's median test loss (both train the same model: the losses should be close).

Quiet machine: PyTorch's OpenMP threads slow far more than lavapipe when another process holds a
core, so ratios taken on a busy machine mislead. Before each run the tool prints the 1-minute load
average and the cores that other processes kept busy during a 1 s sample (nothing of this tool
runs then). It warns when the load average before the first run exceeds 0.5, or when a sample
finds more than 0.5 cores busy. Later load averages include this tool's own previous runs (the
average decays over about a minute), so for them the 1 s sample is the figure to read.

PyTorch runs Debian's python3-torch (/usr/bin/python3) with OpenBLAS's OpenMP build
(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp; the default reference BLAS is ~50x
slower), OPENBLAS_CORETYPE set from the CPU's flags (SkylakeX with AVX-512, Haswell with AVX2)
and OMP_WAIT_POLICY=PASSIVE (busy-waiting OpenMP threads stall under load), with one thread per
core unless --threads says otherwise. See ../shared/PLATFORM.md.

Examples:
  python3 tools/compare_speed.py                                  # 3 pairs of the four models
  python3 tools/compare_speed.py --limit 2048 --pairs 1 fc-vae    # a quick check
"""
import argparse
import csv
import datetime
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VAE_DLL = os.path.join(ROOT, "src", "vae", "bin", "Release", "net10.0", "vae.dll")
TORCH_PYTHON = "/usr/bin/python3"
OPENBLAS_OPENMP = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
DEFAULT_MODELS = ["fc-ae", "fc-vae", "conv-ae", "conv-vae"]
QUIET_LOAD = 0.5


def cpu_flags_and_model():
    model, flags = "unknown CPU", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "unknown CPU":
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    return model, flags


def busy_cores(seconds=1.0):
    """Cores kept busy by any process over a short sample, from /proc/stat's aggregate counters."""
    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values[:8]) - idle, sum(values[:8])
    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(total1 - total0, 1) * os.cpu_count()


def read_metrics(text):
    """The last epoch's row of a metrics CSV (vae's metrics.csv, train_pytorch.py's stdout)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise ValueError("no epoch row")
    return rows[-1]


def run(command, env=None):
    """Runs a command, returning (wall seconds, stdout); exits naming the command if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"compare_speed: `{' '.join(command)}` failed (exit {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return wall, result.stdout


class Vae:
    name = "vae"

    def __init__(self, args):
        self.args = args
        self.device = None

    def command(self, model, out):
        command = ["dotnet", VAE_DLL, "train", "--model", model, "--epochs", "1", "--seed", str(self.args.seed), "--out", out]
        if self.args.limit is not None:
            command += ["--limit", str(self.args.limit)]
        if self.args.device is not None:
            command += ["--device", str(self.args.device)]
        return command

    def run(self, model):
        out = tempfile.mkdtemp(prefix=f"compare-speed-{model}-")
        try:
            wall, stdout = run(self.command(model, out))
            if self.device is None:
                text = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", stdout))
                found = re.search(r" with (.+?): \d+ epochs? of", text)
                self.device = found.group(1) if found else "unknown"
            with open(os.path.join(out, "metrics.csv")) as f:
                metrics = read_metrics(f.read())
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return wall, metrics


class PyTorch:
    name = "pytorch"

    def __init__(self, args, flags):
        self.args = args
        self.env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
        if os.path.isdir(OPENBLAS_OPENMP):
            self.env["LD_LIBRARY_PATH"] = OPENBLAS_OPENMP + (":" + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")
        else:
            print(f"warning: {OPENBLAS_OPENMP} is missing (apt-get install libopenblas0-openmp): PyTorch's matmuls may run "
                  "on a slow BLAS", file=sys.stderr)
        core = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
        if core:
            self.env["OPENBLAS_CORETYPE"] = core
        self.settings = (f"PyTorch {args.threads} threads, OpenBLAS {'openmp' if 'LD_LIBRARY_PATH' in self.env else 'default'}"
                         f"{', ' + core if core else ''}, OMP_WAIT_POLICY=PASSIVE")

    def run(self, model):
        command = [TORCH_PYTHON, os.path.join("tools", "train_pytorch.py"), "--model", model, "--epochs", "1",
                   "--seed", str(self.args.seed), "--threads", str(self.args.threads)]
        if self.args.limit is not None:
            command += ["--limit", str(self.args.limit)]
        wall, stdout = run(command, self.env)
        return wall, read_metrics(stdout)


def check_tools():
    missing = []
    if shutil.which("dotnet") is None:
        missing.append("dotnet (the .NET 10 SDK) is not on PATH")
    probe = subprocess.run([TORCH_PYTHON, "-c", "import torch, numpy"], capture_output=True, text=True) if os.path.exists(TORCH_PYTHON) else None
    if probe is None or probe.returncode != 0:
        missing.append(f"{TORCH_PYTHON} cannot import torch and numpy (apt-get install python3-torch libopenblas0-openmp)")
    if missing:
        sys.exit("compare_speed: " + "; ".join(missing))


def build():
    print("building Release (dotnet build -c Release src/vae) ...", flush=True)
    result = subprocess.run(["dotnet", "build", "-c", "Release", os.path.join("src", "vae")], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(VAE_DLL):
        sys.exit(f"compare_speed: the Release build failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}")


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=DEFAULT_MODELS, metavar="MODEL",
                        help=f"models to compare (default: {' '.join(DEFAULT_MODELS)})")
    parser.add_argument("--pairs", type=int, default=3, help="runs of each tool per model (default 3)")
    parser.add_argument("--limit", type=int, help="first N images of the training and test sets, for quick checks (both tools)")
    parser.add_argument("--seed", type=int, default=1, help="seed for both tools (default 1)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help=f"PyTorch threads (default: one per core, {os.cpu_count()})")
    parser.add_argument("--device", type=int, help="vae's Vulkan device index (vae devices lists them)")
    parser.add_argument("--no-build", action="store_true", help="use the existing Release build")
    parser.add_argument("--csv", metavar="FILE", help="also write every run as a CSV row to FILE")
    args = parser.parse_args()
    if args.pairs < 1:
        parser.error(f"--pairs must be at least 1, got {args.pairs}")

    check_tools()
    if not args.no_build:
        build()
    elif not os.path.exists(VAE_DLL):
        sys.exit(f"compare_speed: --no-build, but {VAE_DLL} does not exist: build with `dotnet build -c Release VulkanAE.sln`")

    cpu, flags = cpu_flags_and_model()
    vae, torch = Vae(args), PyTorch(args, flags)
    load = os.getloadavg()[0]
    print(f"date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {cpu}, {os.cpu_count()} cores; 1-min load average before the first run {load:.2f}")
    print(f"settings: {torch.settings}; {args.pairs} pairs per model, one epoch{f', --limit {args.limit}' if args.limit else ''}, seed {args.seed}")
    warnings = []
    if load > QUIET_LOAD:
        warnings.append(f"the 1-min load average was {load:.2f} (> {QUIET_LOAD}) before the first run: the machine is busy")
        print(f"warning: {warnings[-1]}")

    rows = []
    print(f"\n{'model':<9} {'pair':>4} {'tool':<8} {'load1':>6} {'busy':>5} {'epoch s':>8} {'wall s':>7} {'test loss':>10}")
    for model in args.models:
        for pair in range(1, args.pairs + 1):
            for tool in (vae, torch) if pair % 2 == 1 else (torch, vae):
                load, busy = os.getloadavg()[0], busy_cores()
                if busy > QUIET_LOAD:
                    warnings.append(f"{busy:.2f} cores busy before {tool.name} {model} pair {pair}")
                    print(f"warning: {warnings[-1]}", flush=True)
                wall, metrics = tool.run(model)
                row = dict(model=model, pair=pair, tool=tool.name, load1=load, busy_cores=busy,
                           epoch_seconds=float(metrics["seconds"]), wall_seconds=wall, test_loss=float(metrics["test_loss"]))
                rows.append(row)
                print(f"{model:<9} {pair:>4} {tool.name:<8} {load:>6.2f} {busy:>5.2f} {row['epoch_seconds']:>8.3f} {wall:>7.2f} "
                      f"{row['test_loss']:>10.4f}", flush=True)

    print(f"\nVulkan device: {vae.device}")
    print(f"\n{'model':<9} {'epoch vae':>9} {'pytorch':>8} {'ratio':>6} {'wall vae':>9} {'pytorch':>8} {'ratio':>6} {'loss vae':>9} {'pytorch':>9}")
    for model in args.models:
        def medians(tool, key):
            return median([r[key] for r in rows if r["model"] == model and r["tool"] == tool])
        ev, et = medians("vae", "epoch_seconds"), medians("pytorch", "epoch_seconds")
        wv, wt = medians("vae", "wall_seconds"), medians("pytorch", "wall_seconds")
        print(f"{model:<9} {ev:>9.3f} {et:>8.3f} {ev / et:>6.2f} {wv:>9.2f} {wt:>8.2f} {wv / wt:>6.2f} "
              f"{medians('vae', 'test_loss'):>9.4f} {medians('pytorch', 'test_loss'):>9.4f}")
    print("(medians of each tool's runs; ratio = vae / PyTorch: above 1, vae is slower)")
    if warnings:
        print(f"\nnot a quiet machine: {len(warnings)} warning(s); the first: {warnings[0]}")

    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
