#!/usr/bin/python3
"""GFLOP/s of PyTorch (CPU) on the matmul shapes of `vae bench` (src/VulkanAE/Benchmarks/MatmulBenchmark.cs):
the forward, dX and dW products of the fc-ae dense layers at batch 256, and 1024^3.

Run with Debian's torch and a fast OpenBLAS (see /work/shared/PLATFORM.md):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=SkylakeX \\
      /usr/bin/python3 tools/bench_matmul_pytorch.py [--threads 2] [--repeats 20]
"""
import argparse
import time

import torch

BATCH = 256
FC_AE_LAYERS = [(784, 128), (128, 32), (32, 128), (128, 784)]  # (in, out)


def cases():
    """(layer, op, M, N, K, transpose_a, transpose_b), as in MatmulBenchmark.Cases()."""
    for n_in, n_out in FC_AE_LAYERS:
        layer = f"{BATCH}x{n_in}->{n_out}"
        yield layer, "forward", BATCH, n_out, n_in, False, True  # Y = X · W^T
        yield layer, "dX", BATCH, n_in, n_out, False, False  # dX = dY · W
        yield layer, "dW", n_out, n_in, BATCH, True, False  # dW = dY^T · X
    yield "1024^3", "C=A·B", 1024, 1024, 1024, False, False


def median_seconds(a, b, out, transpose_a, transpose_b, repeats, budget_s=0.3):
    """Median time of one product; operands are stored as the Vulkan kernels read them, transposed as views."""
    op_a = a.t() if transpose_a else a
    op_b = b.t() if transpose_b else b
    torch.matmul(op_a, op_b, out=out)  # warm-up
    start = time.perf_counter()
    torch.matmul(op_a, op_b, out=out)
    runs = max(1, min(repeats, int(budget_s / max(time.perf_counter() - start, 1e-6))))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        torch.matmul(op_a, op_b, out=out)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2, the CI machines' cores)")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per shape, at most (default 20)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    print(f"PyTorch {torch.__version__} CPU matmul, {args.threads} threads, median of up to {args.repeats} runs")
    print(f"{'layer':<16} {'op':<8} {'M x N x K':<16} {'ms':>9} {'GFLOP/s':>8}")
    for layer, op, m, n, k, transpose_a, transpose_b in cases():
        a = torch.rand((k, m) if transpose_a else (m, k)) * 2 - 1
        b = torch.rand((n, k) if transpose_b else (k, n)) * 2 - 1
        out = torch.empty(m, n)
        seconds = median_seconds(a, b, out, transpose_a, transpose_b, args.repeats)
        print(f"{layer:<16} {op:<8} {f'{m}x{n}x{k}':<16} {seconds * 1e3:9.3f} {2.0 * m * n * k / seconds / 1e9:8.2f}")


if __name__ == "__main__":
    main()
