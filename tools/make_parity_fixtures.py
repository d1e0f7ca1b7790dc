#!/usr/bin/python3
"""Regenerates tests/VulkanAE.Tests/Parity/Fixtures/<model>.safetensors: one training step of each
built-in model in PyTorch, for TorchParityTests.

Run from anywhere with the Debian torch (see /work/shared/PLATFORM.md); it needs no data set:
    /usr/bin/python3 tools/make_parity_fixtures.py
The output is deterministic (fixed seeds) and committed, so the tests need no Python.

Each file holds, for a batch of ROWS random images in [0, 1]:
  <name>            the initial weights, named as the engine's parameters (PyTorch's default init)
  input             the batch, [rows, 784] ([rows, 12288] in [-1, 1] for face-cutpaste)
  target            face-cutpaste's 0 (normal) or 1 (pasted) per row, [rows]
  labels            a conditional VAE's class of each row, [rows] (whole numbers as floats)
  epsilon           a VAE's sampling noise, [rows, latent]
  loss.recon        the reconstruction loss of the forward pass, [1] (loss.kl too for a VAE)
  grad.<name>       the gradient of the loss (recon + kl) with respect to each parameter
  step1.<name>      each parameter after one torch.optim.Adam(lr=1e-3) step
and, in __metadata__, the model options it was built with ("latent", "hidden": comma-separated;
"classes" for a conditional VAE, whose file is <model>-conditional.safetensors).
The forward and backward pass and the Adam step run in float64 on the float32 inputs, so the
expected values are exact to float32 rounding and the test measures the engine's error alone.
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_models import MNIST_FEATURES, Autoencoder, CutPasteClassifier  # noqa: E402

ROWS = 7  # not a multiple of any tile or batch split
LEARNING_RATE = 1e-3
# name, options. fc-vae's hidden width is 100, not its default 400: at 400 its weights, gradients and
# stepped weights alone take 7.7 MB; the layers, kernels and code paths are the same.
FIXTURES = [
    ("fc-ae", {}),
    ("conv-ae", {}),
    ("conv-vae", {}),
    ("fc-vae", {"hidden": [100]}),
    # Conditional VAEs: the label joins the dense encoder's input (fc-vae) or the flattened conv
    # features (conv-vae), and z. fc-vae narrower still, for the fixture's size.
    ("fc-vae", {"hidden": [48], "classes": 10}),
    ("conv-vae", {"classes": 10}),
    # The CutPaste classifier, narrower than its default 32-64-128-128 for the fixture's size.
    ("face-cutpaste", {"hidden": [8, 8, 16, 16]}),
]
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "VulkanAE.Tests", "Parity", "Fixtures")


def write_safetensors(path, tensors, metadata):
    """The safetensors format by hand (the Python package is not installed here): an 8-byte
    little-endian header length, a JSON header padded with spaces to 8 bytes, raw little-endian F32."""
    header = {"__metadata__": metadata} if metadata else {}
    begin, blobs = 0, []
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [begin, begin + len(data)]}
        begin += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.writelines(blobs)


def fixture(name, options, seed):
    torch.manual_seed(seed)
    if name == "face-cutpaste":
        classifier_fixture(name, options)
        return
    model = Autoencoder(name, **options)
    batch = torch.rand(ROWS, MNIST_FEATURES)
    epsilon = torch.randn(ROWS, model.latent.z_mean.out_features) if model.variational else None
    labels = torch.randint(0, model.classes, (ROWS,)) if model.classes is not None else None
    tensors = {"input": batch}
    if labels is not None:
        tensors["labels"] = labels.to(torch.float32)
    tensors.update({p: v.clone() for p, v in model.state_dict().items()})
    if epsilon is not None:
        tensors["epsilon"] = epsilon

    model = model.double()
    terms = model.loss_terms(batch.double(), None if epsilon is None else epsilon.double(), labels)
    path = os.path.join(OUTPUT, f"{name}{'' if labels is None else '-conditional'}.safetensors")
    step_and_write(model, terms, tensors, options, path)


def classifier_fixture(name, options):
    """face-cutpaste: images in [-1, 1] (the model's range) and a target per row."""
    model = CutPasteClassifier(options["hidden"])
    batch = torch.rand(ROWS, 3 * 64 * 64) * 2 - 1
    target = torch.tensor([0, 1, 1, 0, 1, 0, 0], dtype=torch.float32)
    tensors = {"input": batch, "target": target}
    tensors.update({p: v.clone() for p, v in model.state_dict().items()})
    model = model.double()
    step_and_write(model, model.loss_terms(batch.double(), target.double()), tensors, options, os.path.join(OUTPUT, f"{name}.safetensors"))


def step_and_write(model, terms, tensors, options, path):
    """One Adam step on the summed loss terms; writes the terms, the gradients and the stepped weights beside tensors."""
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    sum(terms.values()).backward()
    for term, value in terms.items():
        tensors[f"loss.{term}"] = value.detach().reshape(1)
    for p, parameter in model.named_parameters():
        tensors[f"grad.{p}"] = parameter.grad.clone()
    optimizer.step()
    for p, parameter in model.named_parameters():
        tensors[f"step1.{p}"] = parameter.detach().clone()

    metadata = {key: ",".join(map(str, value)) if isinstance(value, list) else str(value) for key, value in options.items()}
    metadata["generator"] = f"tools/make_parity_fixtures.py, torch {torch.__version__}"
    write_safetensors(path, tensors, metadata)
    print(f"{os.path.relpath(path)}: {os.path.getsize(path) / 1e6:.2f} MB, "
          + ", ".join(f"{term} {value.item():.6f}" for term, value in terms.items()))


def main():
    os.makedirs(OUTPUT, exist_ok=True)
    for seed, (name, options) in enumerate(FIXTURES, start=1):
        fixture(name, options, seed)


if __name__ == "__main__":
    main()
