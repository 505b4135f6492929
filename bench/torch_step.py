"""PyTorch side of `bench/step.ts`: times GAN training steps on one CPU thread.

Cases (the same shapes as the harness side):

- mlp_gan: the reference MLP GAN of PAPER.md. Z 100, hidden 256, 784 out,
  batch 512, Adam lr 2e-4 (betas 0.5, 0.999); G Linear-ReLU x2 -> Linear-Tanh;
  D Linear-LeakyReLU(0.2) x2 -> Linear logit; BCE with logits. One step: a D
  update on real (label 1) and detached fake (label 0), then a G update on
  fresh noise against label 1.
- dcgan: the DCGAN of lib/nets/dcgan.ts for 28x28x1 images, batch 64, base
  width 64: G dense 100 -> 7x7x128 -> BN -> ReLU -> deconv 5x5/2 -> 14x14x64
  -> BN -> ReLU -> deconv 5x5/2 -> 28x28x1 + bias -> sigmoid; D conv 5x5/2
  64 + bias -> LeakyReLU -> conv 5x5/2 128 -> BN -> LeakyReLU -> dense 1.
  Batch norm uses batch statistics. Same losses and step as mlp_gan.

- paper_mnist: the paper's MNIST nets and update (experiments/paper-mnist.ts):
  G Linear(100, 1200)-ReLU-Linear(1200, 1200)-ReLU-Linear(1200, 784)-Sigmoid;
  D dropout 0.2 -> maxout 240 x 5 -> dropout 0.5 -> maxout 240 x 5 -> dropout
  0.5 -> Linear(240, 1); batch 100; SGD lr 0.1 with momentum 0.5. One step
  is the simultaneous update: G(z) once, D on the reals and on G(z), D's loss
  0.5 (BCE real + BCE fake) and G's non-saturating loss from that same
  pass, the gradients of each for its own net (torch.autograd.grad), then
  both SGD steps.

Two modes:

- one shot: `python3 bench/torch_step.py --case mlp_gan --steps 30 --warmup 5`
  prints one JSON object: {"case", "ms": [every step's ms], "threads",
  "torch", "blas_lib"} (blas_lib: the BLAS libraries the process loaded).
- `--serve`: sets up the case, runs the warmup, prints {"ready": true,
  "torch", "blas_lib", "threads"}, then for each line N read from stdin runs
  N steps and prints {"ms": [...]}; an empty line or EOF ends it. The
  TypeScript side interleaves short blocks of both sides this way.
"""

import argparse
import json
import sys
import time

try:
    import torch
    from torch import nn
except ImportError as e:  # pragma: no cover - reported to the TypeScript side
    print(
        json.dumps(
            {
                "error": f"PyTorch is not installed for {sys.executable} ({e}); "
                "on Debian/Ubuntu: apt-get install python3-torch libopenblas0-pthread"
            }
        )
    )
    sys.exit(3)

Z = 100


def mlp_nets():
    g = nn.Sequential(
        nn.Linear(Z, 256), nn.ReLU(),
        nn.Linear(256, 256), nn.ReLU(),
        nn.Linear(256, 784), nn.Tanh(),
    )
    d = nn.Sequential(
        nn.Linear(784, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 1),
    )
    return g, d, 512, (784,), lambda b: torch.rand(b, 784) * 2 - 1


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def dcgan_nets():
    c = 64
    g = nn.Sequential(
        nn.Linear(Z, 7 * 7 * 2 * c, bias=False),
        Reshape(2 * c, 7, 7),
        nn.BatchNorm2d(2 * c, eps=1e-5, track_running_stats=False),
        nn.ReLU(),
        nn.ConvTranspose2d(2 * c, c, 5, stride=2, padding=2, output_padding=1, bias=False),
        nn.BatchNorm2d(c, eps=1e-5, track_running_stats=False),
        nn.ReLU(),
        nn.ConvTranspose2d(c, 1, 5, stride=2, padding=2, output_padding=1, bias=True),
        nn.Sigmoid(),
    )
    d = nn.Sequential(
        nn.Conv2d(1, c, 5, stride=2, padding=2, bias=True),
        nn.LeakyReLU(0.2),
        nn.Conv2d(c, 2 * c, 5, stride=2, padding=2, bias=False),
        nn.BatchNorm2d(2 * c, eps=1e-5, track_running_stats=False),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 2 * c, 1),
    )
    return g, d, 64, (1, 28, 28), lambda b: torch.rand(b, 1, 28, 28)


class Maxout(nn.Module):
    """A maxout layer: Linear to pieces * units columns, max over the pieces."""

    def __init__(self, fan_in, units, pieces):
        super().__init__()
        self.lin = nn.Linear(fan_in, units * pieces)
        self.units = units
        self.pieces = pieces

    def forward(self, x):
        z = self.lin(x)
        return z.view(x.shape[0], self.pieces, self.units).max(dim=1).values


def paper_mnist_step():
    g = nn.Sequential(
        nn.Linear(Z, 1200), nn.ReLU(),
        nn.Linear(1200, 1200), nn.ReLU(),
        nn.Linear(1200, 784), nn.Sigmoid(),
    )
    d = nn.Sequential(
        nn.Dropout(0.2), Maxout(784, 240, 5),
        nn.Dropout(0.5), Maxout(240, 240, 5),
        nn.Dropout(0.5), nn.Linear(240, 1),
    )
    batch = 100
    d_params = list(d.parameters())
    g_params = list(g.parameters())
    opt_g = torch.optim.SGD(g_params, lr=0.1, momentum=0.5)
    opt_d = torch.optim.SGD(d_params, lr=0.1, momentum=0.5)
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(batch, 784)
    ones = torch.ones(batch, 1)
    zeros = torch.zeros(batch, 1)

    def step():
        z = torch.randn(batch, Z)
        fake = g(z)
        d_real = d(real)
        d_fake = d(fake)
        loss_d = 0.5 * (bce(d_real, ones) + bce(d_fake, zeros))
        loss_g = bce(d_fake, ones)
        grads_d = torch.autograd.grad(loss_d, d_params, retain_graph=True)
        grads_g = torch.autograd.grad(loss_g, g_params)
        for p, gr in zip(d_params, grads_d):
            p.grad = gr
        for p, gr in zip(g_params, grads_g):
            p.grad = gr
        opt_d.step()
        opt_g.step()

    return step


def make_step(case):
    if case == "paper_mnist":
        return paper_mnist_step()
    g, d, batch, _, data = {"mlp_gan": mlp_nets, "dcgan": dcgan_nets}[case]()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = data(batch)
    ones = torch.ones(batch, 1)
    zeros = torch.zeros(batch, 1)

    def step():
        z = torch.randn(batch, Z)
        fake = g(z).detach()
        opt_d.zero_grad(set_to_none=True)
        loss_d = bce(d(real), ones) + bce(d(fake), zeros)
        loss_d.backward()
        opt_d.step()
        z = torch.randn(batch, Z)
        opt_g.zero_grad(set_to_none=True)
        loss_g = bce(d(g(z)), ones)
        loss_g.backward()
        opt_g.step()

    return step


def blas_lib():
    """The BLAS library this process loaded (Debian's torch uses libblas.so.3 via alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() or "blis" in line.lower()}
    except OSError:
        return "unknown"
    import os

    real = sorted({os.path.realpath(p) for p in paths if p.startswith("/")})
    return ", ".join(real) or "none found"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--case", choices=["mlp_gan", "dcgan", "paper_mnist"], required=True)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--serve", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    step = make_step(args.case)
    for _ in range(args.warmup):
        step()

    def timed(n):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        return times

    about = {
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas_lib": blas_lib(),
    }
    if not args.serve:
        print(json.dumps({"case": args.case, "ms": timed(args.steps), **about}))
        return
    print(json.dumps({"ready": True, **about}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        print(json.dumps({"ms": timed(int(line))}), flush=True)


if __name__ == "__main__":
    main()
