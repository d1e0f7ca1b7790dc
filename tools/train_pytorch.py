#!/usr/bin/env python3
"""The PyTorch baseline of `vae train`: the same model (tools/pytorch_models.py), data, loss,
optimizer and batch size, trained on the CPU, printing metrics.csv's columns, to compare quality
and speed. As in the engine, the last incomplete batch of each shuffled epoch is dropped, losses
are per pixel for an autoencoder and nats per sample for a VAE (recon + kl, each printed too),
and seconds and images/s cover the training pass.

Run with Debian's torch and a fast BLAS (see ../shared/PLATFORM.md):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=SkylakeX \\
    /usr/bin/python3 tools/train_pytorch.py --model conv-vae --epochs 3
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_models import CATALOG, TRAINING_DEFAULTS, Autoencoder  # noqa: E402

EVALUATION_BATCH = 1000


def read_idx_images(path):
    opener = gzip.open if not os.path.exists(path) else open
    path = path if os.path.exists(path) else path + ".gz"
    with opener(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, f"{path}: bad magic {magic:#x}"
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows * cols)


def read_idx_labels(path):
    opener = gzip.open if not os.path.exists(path) else open
    path = path if os.path.exists(path) else path + ".gz"
    with opener(path, "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        assert magic == 0x801, f"{path}: bad magic {magic:#x}"
        return np.frombuffer(f.read(), dtype=np.uint8).astype(np.int64)


def widths(text):
    return [int(w) for w in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="fc-ae", choices=sorted(CATALOG))
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--epochs", type=int, help="default: the model's")
    parser.add_argument("--batch", type=int, help="default: the model's")
    parser.add_argument("--lr", type=float, help="default: the model's")
    parser.add_argument("--latent", type=int, help="latent size (VAEs) or code size (fc-ae)")
    parser.add_argument("--hidden", type=widths, help="hidden widths, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--condition", choices=["labels"], help="labels: a conditional VAE, as `vae train --condition labels`")
    parser.add_argument("--limit", type=int, help="use only the first N images of the training and test sets (quick runs), as `vae train --limit`")
    args = parser.parse_args()
    epochs, batch_size, lr = (given if given is not None else default
                              for given, default in zip((args.epochs, args.batch, args.lr), TRAINING_DEFAULTS[args.model]))

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", args.dataset)
    train = torch.from_numpy(read_idx_images(os.path.join(root, "train-images-idx3-ubyte")).astype(np.float32) / 255)
    test = torch.from_numpy(read_idx_images(os.path.join(root, "t10k-images-idx3-ubyte")).astype(np.float32) / 255)
    train_labels = torch.from_numpy(read_idx_labels(os.path.join(root, "train-labels-idx1-ubyte")))
    test_labels = torch.from_numpy(read_idx_labels(os.path.join(root, "t10k-labels-idx1-ubyte")))
    if args.limit is not None:
        if args.limit < 1:
            parser.error(f"--limit must be at least 1, got {args.limit}")
        train, test = train[:args.limit], test[:args.limit]
        train_labels, test_labels = train_labels[:args.limit], test_labels[:args.limit]
    classes = int(train_labels.max()) + 1 if args.condition == "labels" else None
    model = Autoencoder(args.model, args.latent, args.hidden, classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    term_names = ["recon", "kl"] if model.variational else ["recon"]

    print(",".join(["epoch", "train_loss", "test_loss"] + [f"{split}_{t}" for t in term_names for split in ("train", "test")]
                   + ["seconds", "images_per_second"]), flush=True)
    steps = len(train) // batch_size
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(train))
        train_sums = dict.fromkeys(term_names, 0.0)
        for step in range(steps):
            chosen = order[step * batch_size:(step + 1) * batch_size]
            terms = model.loss_terms(train[chosen], labels=train_labels[chosen] if classes else None)
            optimizer.zero_grad()
            sum(terms.values()).backward()
            optimizer.step()
            for t in term_names:
                train_sums[t] += terms[t].item()
        seconds = time.perf_counter() - start
        test_sums = dict.fromkeys(term_names, 0.0)
        with torch.no_grad():
            for first in range(0, len(test), EVALUATION_BATCH):
                batch = test[first:first + EVALUATION_BATCH]
                labels = test_labels[first:first + EVALUATION_BATCH] if classes else None
                for t, value in model.loss_terms(batch, labels=labels).items():
                    test_sums[t] += value.item() * len(batch)
        train_terms = {t: train_sums[t] / steps for t in term_names}
        test_terms = {t: test_sums[t] / len(test) for t in term_names}
        columns = [sum(train_terms.values()), sum(test_terms.values())]
        columns += [value for t in term_names for value in (train_terms[t], test_terms[t])]
        print(",".join([str(epoch)] + [f"{v:.6f}" for v in columns] + [f"{seconds:.3f}", f"{steps * batch_size / seconds:.1f}"]), flush=True)


if __name__ == "__main__":
    main()
