"""The built-in models of src/VulkanAE/Models/ModelCatalog.cs in PyTorch, with the same state_dict.

Module names and tensor layouts match the engine's parameters one to one: layer i of an encoder or
decoder spec is module i of an nn.Sequential (a Reshape entry is an nn.Flatten / nn.Unflatten at
its index), and a VAE's heads are latent.z_mean and latent.z_log_var. So model.safetensors written
by `vae train` loads with load_state_dict, and weights written here load in the engine.

A conditional VAE (`vae train --condition labels`, classes=N here) joins the one-hot label of each
image to the input of the encoder's first nn.Linear (after a conv encoder's flatten; to the heads'
input when the encoder has none) and to z before the decoder, widening those layers by N inputs
(the label columns come last), as the engine's LabelConcatLayer does.

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


def widened(linear, classes):
    """A fresh nn.Linear with `classes` more inputs: the one-hot label's columns after the layer's own."""
    return nn.Linear(linear.in_features + classes, linear.out_features)


def conditioned(modules, h, at, one_hot):
    """Runs the modules on h, joining the one-hot label to the input of module `at` (after the last when at is their count)."""
    for i, module in enumerate(modules):
        if i == at and one_hot is not None:
            h = torch.cat([h, one_hot], 1)
        h = module(h)
    if at == len(modules) and one_hot is not None:
        h = torch.cat([h, one_hot], 1)
    return h


class Autoencoder(nn.Module):
    """Encoder, optional variational latent, decoder. Reads and returns flat rows of MNIST_FEATURES values."""

    def __init__(self, name, latent=None, hidden=None, classes=None):
        super().__init__()
        self.name = name
        self.classes = classes
        encoder, decoder, variational = CATALOG[name](latent, hidden)
        linears = [i for i, module in enumerate(encoder) if isinstance(module, nn.Linear)]
        self.encoder_condition = linears[0] if linears else len(encoder)
        if classes is not None:
            if variational is None:
                raise ValueError(f"--condition labels: {name} is not a VAE")
            if linears:
                encoder[self.encoder_condition] = widened(encoder[self.encoder_condition], classes)
            else:
                variational.z_mean = widened(variational.z_mean, classes)
                variational.z_log_var = widened(variational.z_log_var, classes)
            decoder[0] = widened(decoder[0], classes)
        self.encoder = encoder
        if variational is not None:
            self.latent = variational
        self.decoder = decoder

    @property
    def variational(self):
        return hasattr(self, "latent")

    def one_hot(self, labels, like):
        """The labels' one-hot rows in like's dtype, or None for an unconditioned model."""
        if self.classes is None:
            return None
        if labels is None:
            raise ValueError(f"{self.name} is conditioned on {self.classes} classes: give each image its label")
        return F.one_hot(labels.long(), self.classes).to(like.dtype)

    def encode(self, x, labels=None):
        """The code for an AE, (mean, log-variance) for a VAE."""
        h = x.reshape(-1, *MNIST_SHAPE) if isinstance(self.encoder[0], nn.Conv2d) else x
        h = conditioned(self.encoder, h, self.encoder_condition, self.one_hot(labels, x))
        return self.latent(h) if self.variational else h

    def decode_logits(self, z, labels=None):
        """The decoder up to its final sigmoid, flattened to rows."""
        return conditioned(self.decoder[:-1], z, 0, self.one_hot(labels, z)).flatten(1)

    def forward(self, x, epsilon=None, labels=None):
        """Logits of the reconstruction, and (mean, log-variance) for a VAE. A VAE draws epsilon unless given."""
        if not self.variational:
            return self.decode_logits(self.encode(x)), None
        mean, log_var = self.encode(x, labels)
        if epsilon is None:
            epsilon = torch.randn_like(mean)
        z = mean + torch.exp(0.5 * log_var) * epsilon
        return self.decode_logits(z, labels), (mean, log_var)

    def loss_terms(self, x, epsilon=None, labels=None):
        """{'recon': ..., 'kl': ...} (kl for a VAE only), in the engine's units; the loss is their sum."""
        logits, posterior = self(x, epsilon, labels)
        if posterior is None:
            return {"recon": F.binary_cross_entropy_with_logits(logits, x, reduction="mean")}
        mean, log_var = posterior
        rows = x.shape[0]
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / rows
        kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp()) / rows
        return {"recon": recon, "kl": kl}


class CutPasteClassifier(nn.Module):
    """face-cutpaste: 4x4 stride-2 convolutions of the given widths with ReLU, flattened, one logit per image. Its loss is
    binary cross-entropy with logits against a target per row (0 normal, 1 pasted), averaged over rows, as the engine's."""

    def __init__(self, widths=(32, 64, 128, 128), shape=(3, 64, 64)):
        super().__init__()
        self.shape = shape
        layers, channels = [], shape[0]
        for width in widths:
            layers += [nn.Conv2d(channels, width, 4, stride=2, padding=1), nn.ReLU()]
            channels = width
        side = shape[1] >> len(widths)
        self.encoder = nn.Sequential(*layers)
        self.decoder = nn.Sequential(nn.Flatten(), nn.Linear(channels * side * side, 1))

    def forward(self, x):
        """The logit of each row of flat images."""
        return self.decoder(self.encoder(x.reshape(-1, *self.shape))).squeeze(1)

    def loss_terms(self, x, target):
        return {"bce": F.binary_cross_entropy_with_logits(self(x), target, reduction="mean")}
