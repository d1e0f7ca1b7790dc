#!/usr/bin/env python3
"""`vae evaluate` checked against PyTorch on the same weights, and weights moved both ways.

  check RUN        loads RUN/model.safetensors (an fc-vae written by `vae train` or `vae import`) into
                   tools/pytorch_models.py's model, computes the test loss (ELBO, one z per image, as the
                   engine) and the importance-weighted -L_K for each --iw K in PyTorch, runs
                   `vae evaluate RUN --iw K` for the same K, and prints both side by side.
  roundtrip DIR    trains an fc-vae in PyTorch for --epochs, writes its state_dict as safetensors,
                   makes a run of it with `vae import`, and compares `vae evaluate`'s figures with
                   PyTorch's own for those weights (then `check` on the imported run).

-L_K = -log (1/K) sum_k p(x|z_k) p(z_k) / q(z_k|x), z_k ~ q(z|x) (Burda et al. 2015), in nats per
image, averaged over the first --limit test images. Both sides sample their own noise, so their
figures agree within the sampling noise, not digit for digit; the noise is printed (the spread
over --seeds). Run with Debian's torch (see shared/PLATFORM.md for the BLAS variables):
  /usr/bin/python3 tools/iwae_pytorch.py roundtrip /tmp/iw --epochs 1 --iw 1 50 --limit 1000
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
from make_parity_fixtures import write_safetensors  # noqa: E402
from pytorch_models import Autoencoder  # noqa: E402
from train_pytorch import read_idx_images  # noqa: E402

ROOT = os.path.join(TOOLS, "..")
VAE = os.path.join(ROOT, "src", "vae", "bin", "Release", "net10.0", "vae.dll")
SAMPLES_PER_CHUNK = 500


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", f"{path}: {name} is {entry['dtype']}"
        begin, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").copy().reshape(entry["shape"]))
    return tensors


def test_images(limit):
    images = read_idx_images(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte"))[:limit]
    return torch.from_numpy(images.astype(np.float32) / 255)


def elbo_loss(model, x):
    """The engine's test loss: BCE summed over pixels with one z per image, plus the analytic KL; nats per image."""
    terms = model.loss_terms(x)
    return sum(v.item() for v in terms.values())


def iwae_nll(model, x, samples, batch=100):
    """-L_K averaged over the images of x: per image, K log weights, then a stable logsumexp - log K."""
    total = 0.0
    for first in range(0, len(x), batch):
        xb = x[first:first + batch]
        mean, log_var = model.encode(xb)
        log_weights = []
        for done in range(0, samples, SAMPLES_PER_CHUNK):
            s = min(SAMPLES_PER_CHUNK, samples - done)
            eps = torch.randn(s, *mean.shape)
            z = mean + torch.exp(0.5 * log_var) * eps
            logits = model.decode_logits(z.reshape(-1, z.shape[-1])).reshape(s, len(xb), -1)
            recon = F.binary_cross_entropy_with_logits(logits, xb.expand(s, -1, -1), reduction="none").sum(-1)
            log_weights.append(-recon + 0.5 * (eps.pow(2) - z.pow(2) + log_var).sum(-1))
        log_weights = torch.cat(log_weights)
        total += -(torch.logsumexp(log_weights.double(), 0) - np.log(samples)).sum().item()
    return total / len(x)


def pytorch_figures(model, x, ks, seeds):
    figures = {}
    with torch.no_grad():
        losses = []
        for seed in seeds:
            torch.manual_seed(seed)
            losses.append(elbo_loss(model, x))
        figures["test_loss"] = losses
        for k in ks:
            values, start = [], time.perf_counter()
            for seed in seeds:
                torch.manual_seed(seed)
                values.append(iwae_nll(model, x, k))
            figures[f"nll_iw{k}"] = values
            figures[f"seconds_iw{k}"] = [(time.perf_counter() - start) / len(seeds)]
    return figures


def vae_evaluate(run, limit, k, seed):
    out = os.path.join(run, f"evaluate-{k}-{seed}")
    command = ["dotnet", VAE, "evaluate", run, "--limit", str(limit), "--seed", str(seed), "--out", out]
    if k:
        command += ["--iw", str(k)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    with open(os.path.join(out, "evaluation.csv")) as f:
        header, row = f.read().split()
    return dict(zip(header.split(","), map(float, row.split(",")))), seconds


def engine_figures(run, limit, ks, seeds):
    figures = {"test_loss": []}
    for seed in seeds:
        row, _ = vae_evaluate(run, limit, ks[0] if ks else 0, seed)
        figures["test_loss"].append(row["test_loss"])
    for k in ks:
        values, times = [], []
        for seed in seeds:
            row, seconds = vae_evaluate(run, limit, k, seed)
            values.append(row["test_nll_iw"])
            times.append(seconds)
        figures[f"nll_iw{k}"] = values
        figures[f"seconds_iw{k}"] = [float(np.median(times))]
    return figures


def spread(values):
    return f"{np.mean(values):9.3f} (seeds {', '.join(f'{v:.3f}' for v in values)})"


def check(run, args):
    model = Autoencoder("fc-vae", args.latent, args.hidden)
    model.load_state_dict(read_safetensors(os.path.join(run, "model.safetensors")))
    model.eval()
    x = test_images(args.limit)
    ours = engine_figures(run, args.limit, args.iw, args.seeds)
    theirs = pytorch_figures(model, x, args.iw, args.seeds)
    print(f"{run}: first {args.limit} MNIST test images, nats per image (mean over seeds {args.seeds})")
    print(f"{'':14} {'vae evaluate':>40}   {'PyTorch':>40}")
    for key in ours:
        print(f"{key:14} {spread(ours[key]):>40}   {spread(theirs[key]):>40}")


def roundtrip(directory, args):
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(args.seeds[0])
    train = torch.from_numpy(read_idx_images(os.path.join(ROOT, "data", "mnist", "train-images-idx3-ubyte")).astype(np.float32) / 255)
    model = Autoencoder("fc-vae", args.latent, args.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(args.epochs):
        order = torch.randperm(len(train))
        for step in range(len(train) // 128):
            terms = model.loss_terms(train[order[step * 128:(step + 1) * 128]])
            optimizer.zero_grad()
            sum(terms.values()).backward()
            optimizer.step()
    weights = os.path.join(directory, "pytorch.safetensors")
    write_safetensors(weights, dict(model.state_dict()), {"trained_by": f"tools/iwae_pytorch.py, {args.epochs} epochs"})
    run = os.path.join(directory, "imported")
    command = ["dotnet", VAE, "import", weights, "--model", "fc-vae", "--out", run, "--overwrite"]
    if args.latent:
        command += ["--latent", str(args.latent)]
    if args.hidden:
        command += ["--hidden", ",".join(map(str, args.hidden))]
    subprocess.run(command, check=True)
    check(run, args)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["check", "roundtrip"])
    parser.add_argument("directory", help="check: a run directory; roundtrip: where to write the weights and the imported run")
    parser.add_argument("--iw", type=int, nargs="*", default=[1, 50], help="values of K (default: 1 50)")
    parser.add_argument("--limit", type=int, default=1000, help="first N test images (default 1000)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--epochs", type=int, default=1, help="roundtrip: PyTorch training epochs")
    parser.add_argument("--latent", type=int)
    parser.add_argument("--hidden", type=lambda text: [int(w) for w in text.split(",")])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    (check if args.action == "check" else roundtrip)(args.directory, args)


if __name__ == "__main__":
    main()
