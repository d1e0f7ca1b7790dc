#!/usr/bin/env python3
"""The PyTorch baseline of `vae train`: the same model, data, loss, optimizer and batch size,
trained on the CPU, printing the same per-epoch figures, to compare quality and speed.

Run with Debian's torch and a fast BLAS (see ../shared/PLATFORM.md):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=SkylakeX \
    /usr/bin/python3 tools/train_pytorch.py --model fc-ae --epochs 10
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
from torch import nn

MODELS = {
    "fc-ae": lambda: (
        nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32)),
        nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid()),
    ),
}


def read_idx_images(path):
    opener = gzip.open if not os.path.exists(path) else open
    path = path if os.path.exists(path) else path + ".gz"
    with opener(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, f"{path}: bad magic {magic:#x}"
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows * cols)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="fc-ae", choices=sorted(MODELS))
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", args.dataset)
    train = torch.from_numpy(read_idx_images(os.path.join(root, "train-images-idx3-ubyte")).astype(np.float32) / 255)
    test = torch.from_numpy(read_idx_images(os.path.join(root, "t10k-images-idx3-ubyte")).astype(np.float32) / 255)
    encoder, decoder = MODELS[args.model]()
    model = nn.Sequential(encoder, decoder)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.BCELoss()

    print("epoch,train_loss,test_loss,seconds,images_per_second")
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(train))
        total, steps = 0.0, 0
        for first in range(0, len(train), args.batch):
            batch = train[order[first:first + args.batch]]
            loss = loss_fn(model(batch), batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
            steps += 1
        seconds = time.perf_counter() - start
        with torch.no_grad():
            test_loss = sum(loss_fn(model(test[i:i + 1000]), test[i:i + 1000]).item() * len(test[i:i + 1000])
                            for i in range(0, len(test), 1000)) / len(test)
        print(f"{epoch},{total / steps:.6f},{test_loss:.6f},{seconds:.3f},{len(train) / seconds:.1f}", flush=True)


if __name__ == "__main__":
    main()
