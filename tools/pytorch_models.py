"""The built-in models of src/VulkanAE/Models/ModelCatalog.cs in PyTorch, with the same state_dict.

Module names and tensor layouts match the engine's parameters one to one: layer i of an encoder or
decoder spec is module i of an nn.Sequential (a Reshape entry is an nn.Flatten / nn.Unflatten at
its index), and a VAE's heads are latent.z_mean and latent.z_log_var. So model.safetensors written
by `vae train` loads with load_state_dict, and weights written here load in the engine.

Losses are the engine's: an autoencoder's is binary cross-entropy averaged over every pixel; a
VAE's is summed over the pixels of a sample and averaged over samples, plus the KL divergence of
the posterior to N(0, I), also averaged over samples. The final sigmoid is fused into the loss
(BCE with logits on its input), as the engine does.
"""
import torch
import torch.nn.functional as F
from torch import nn

MNIST_SHAPE = (1, 28, 28)
MNIST_FEATURES = 28 * 28


def conv_same(in_channels, out_channels, kernel=3):
    """LayerSpec.Conv2d with Padding null: 'same' for stride 1, (k - 1) / 2."""
    return nn.Conv2d(in_channels, out_channels, kernel, padding=(kernel - 1) // 2)


def conv_transpose_up(in_channels, out_channels):
    """LayerSpec.ConvTranspose2d(out, 3, Stride: 2, Padding: 1, OutputPadding: 1): doubles H and W."""
    return nn.ConvTranspose2d(in_channels, out_channels, 3, stride=2, padding=1, output_padding=1)


def upsample():
    return nn.Upsample(scale_factor=2, mode="nearest")


def single(hidden, fallback, model):
    if hidden is None:
        return fallback
    if len(hidden) != 1:
        raise ValueError(f"--hidden: {model} has one hidden width; got {hidden}")
    return hidden[0]


def fc_ae(latent=None, hidden=None):
    code, width = latent or 32, single(hidden, 128, "fc-ae")
    encoder = nn.Sequential(nn.Linear(MNIST_FEATURES, width), nn.ReLU(), nn.Linear(width, code))
    decoder = nn.Sequential(nn.Linear(code, width), nn.ReLU(), nn.Linear(width, MNIST_FEATURES), nn.Sigmoid())
    return encoder, decoder, None


def conv_ae(latent=None, hidden=None):
    if latent is not None or hidden is not None:
        raise ValueError("conv-ae has a fixed shape: --latent and --hidden do not apply")
    encoder = nn.Sequential(conv_same(1, 32), nn.ReLU(), nn.MaxPool2d(2), conv_same(32, 32), nn.ReLU(), nn.MaxPool2d(2))
    decoder = nn.Sequential(conv_same(32, 32), nn.ReLU(), upsample(), conv_same(32, 32), nn.ReLU(), upsample(),
                            conv_same(32, 1), nn.Sigmoid())
    return encoder, decoder, None


def conv_vae(latent=None, hidden=None):
    latent, width = latent or 2, single(hidden, 16, "conv-vae")
    encoder = nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 7 * 7, width), nn.ReLU())
    decoder = nn.Sequential(
        nn.Linear(latent, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        conv_transpose_up(64, 64), nn.ReLU(), conv_transpose_up(64, 32), nn.ReLU(), conv_same(32, 1), nn.Sigmoid())
    return encoder, decoder, VariationalLatent(width, latent)


def fc_vae(latent=None, hidden=None):
    latent, widths = latent or 20, hidden or [400]
    encoder, inputs = [], MNIST_FEATURES
    for width in widths:
        encoder += [nn.Linear(inputs, width), nn.ReLU()]
        inputs = width
    decoder, inputs = [], latent
    for width in reversed(widths):
        decoder += [nn.Linear(inputs, width), nn.ReLU()]
        inputs = width
    decoder += [nn.Linear(inputs, MNIST_FEATURES), nn.Sigmoid()]
    return nn.Sequential(*encoder), nn.Sequential(*decoder), VariationalLatent(widths[-1], latent)


def fc_vae_2d(latent=None, hidden=None):
    if latent is not None or hidden is not None:
        raise ValueError("fc-vae-2d has a fixed shape: --latent and --hidden do not apply")
    return fc_vae(2, [2000, 256])


CATALOG = {"fc-ae": fc_ae, "conv-ae": conv_ae, "conv-vae": conv_vae, "fc-vae": fc_vae, "fc-vae-2d": fc_vae_2d}

# ModelCatalog's TrainingDefaults: epochs, batch size, learning rate.
TRAINING_DEFAULTS = {
    "fc-ae": (10, 256, 1e-3),
    "conv-ae": (10, 256, 1e-3),
    "conv-vae": (20, 128, 1e-3),
    "fc-vae": (10, 128, 1e-3),
    "fc-vae-2d": (100, 64, 1e-3),
}


class VariationalLatent(nn.Module):
    """The engine's VariationalBottleneck: mean and log-variance heads on the encoder's output."""

    def __init__(self, hidden, latent):
        super().__init__()
        self.z_mean = nn.Linear(hidden, latent)
        self.z_log_var = nn.Linear(hidden, latent)

    def forward(self, h):
        return self.z_mean(h), self.z_log_var(h)


class Autoencoder(nn.Module):
    """Encoder, optional variational latent, decoder. Reads and returns flat rows of MNIST_FEATURES values."""

    def __init__(self, name, latent=None, hidden=None):
        super().__init__()
        self.name = name
        encoder, decoder, variational = CATALOG[name](latent, hidden)
        self.encoder = encoder
        if variational is not None:
            self.latent = variational
        self.decoder = decoder

    @property
    def variational(self):
        return hasattr(self, "latent")

    def encode(self, x):
        """The code for an AE, (mean, log-variance) for a VAE."""
        h = self.encoder(x.reshape(-1, *MNIST_SHAPE) if isinstance(self.encoder[0], nn.Conv2d) else x)
        return self.latent(h) if self.variational else h

    def decode_logits(self, z):
        """The decoder up to its final sigmoid, flattened to rows."""
        return self.decoder[:-1](z).flatten(1)

    def forward(self, x, epsilon=None):
        """Logits of the reconstruction, and (mean, log-variance) for a VAE. A VAE draws epsilon unless given."""
        if not self.variational:
            return self.decode_logits(self.encode(x)), None
        mean, log_var = self.encode(x)
        if epsilon is None:
            epsilon = torch.randn_like(mean)
        z = mean + torch.exp(0.5 * log_var) * epsilon
        return self.decode_logits(z), (mean, log_var)

    def loss_terms(self, x, epsilon=None):
        """{'recon': ..., 'kl': ...} (kl for a VAE only), in the engine's units; the loss is their sum."""
        logits, posterior = self(x, epsilon)
        if posterior is None:
            return {"recon": F.binary_cross_entropy_with_logits(logits, x, reduction="mean")}
        mean, log_var = posterior
        rows = x.shape[0]
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / rows
        kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp()) / rows
        return {"recon": recon, "kl": kl}
