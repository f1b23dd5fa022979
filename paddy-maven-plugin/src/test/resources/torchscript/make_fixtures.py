"""Writes the TorchScript fixtures of paddy's tests (issue 11) into this folder.

Run with Debian's python3-torch (1.13):

    /usr/bin/python3 paddy-maven-plugin/src/test/resources/torchscript/make_fixtures.py

Every body is built the way a user builds one (a plain nn.Module), put in eval() mode as users
do before exporting, and saved with torch.jit.script: the loader, not the file, must switch
BatchNorm to train mode. The output is deterministic (fixed seed, fixed inputs, one thread)
and byte-identical from run to run: see reexec_reproducibly.
"""
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.basename(__file__)


def reexec_reproducibly():
    """TorchScript's saved code lists each module's constants in Python set order, which string
    hash randomisation changes from run to run, and its debug info names the source file as
    Python knows it (an absolute path for a script). So the script runs itself again with
    PYTHONHASHSEED=0, loaded from this folder under its bare name: the same bytes wherever the
    checkout lies. (In that run the module is named 'fixtures': its TorchScript classes are
    __torch__.fixtures.SpatialBody and so on.)"""
    os.chdir(HERE)
    load = ("import sys, types; m = types.ModuleType('fixtures'); "
            f"m.__file__ = '{SCRIPT}'; sys.modules['fixtures'] = m; "
            f"exec(compile(open('{SCRIPT}').read(), '{SCRIPT}', 'exec'), m.__dict__); m.main()")
    os.execve(sys.executable, [sys.executable, "-c", load], dict(os.environ, PYTHONHASHSEED="0"))


class SpatialBody(nn.Module):
    """conv(3->8, s2) -> BN -> ReLU -> conv(8->16, s2) -> BN -> ReLU -> proj 1x1 conv WITH a bias.

    The two 3x3 convs have no bias (their BatchNorm has one), the last 1x1 conv has one, so a
    test can tell conv biases (proj.bias) from norm biases (bn1.bias, bn2.bias). The biased conv
    sits after the last ReLU, not before a BatchNorm, so that its bias gets a real gradient in
    train mode (before a BatchNorm it would be cancelled by the batch mean).
    """

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.relu2 = nn.ReLU()
        self.proj = nn.Conv2d(16, 16, 1, bias=True)

    def features(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        x = self.relu2(self.bn2(self.conv2(x)))
        return self.proj(x)

    def forward(self, x):
        return self.features(x)


class VectorBody(SpatialBody):
    """The same body, pooled: AdaptiveAvgPool2d(1) + Flatten gives N x 16."""

    def __init__(self):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()

    def forward(self, x):
        return self.flatten(self.pool(self.features(x)))


class BadOutput(SpatialBody):
    """The same body with only the last two dimensions flattened: N x 16 x L, neither a
    feature map (4-D) nor a vector (2-D)."""

    def forward(self, x):
        return torch.flatten(self.features(x), start_dim=2)


def made(cls, seed):
    """A body with seeded weights and non-trivial BatchNorm running statistics (a few forward
    passes in train mode on fixed inputs, as if it had been trained), then put in eval mode."""
    torch.manual_seed(seed)
    model = cls()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(8, 3, 32, 32) * 2 + 0.5)
    return model.eval()


def running_mean_sum(model):
    return sum(float(b.sum()) for n, b in model.named_buffers() if n.endswith("running_mean"))


def describe(name, model):
    lines = [f"{name}:"]
    with torch.no_grad():
        torch.manual_seed(0)
        out = model(torch.rand(1, 3, 32, 32))
    lines.append(f"  output for 1x3x32x32: {' x '.join(str(d) for d in out.shape)}")
    with torch.no_grad():
        half = float(model(torch.full((1, 3, 32, 32), 0.5)).sum())
    lines.append(f"  output sum for a 1x3x32x32 input of 0.5s (eval mode): {half:.6f}")
    lines.append(f"  training flag: {model.training}")
    for n, p in model.named_parameters():
        lines.append(f"  param {n}: {' x '.join(str(d) for d in p.shape)}")
    lines.append(f"  parameters: {sum(p.numel() for p in model.parameters())}")
    lines.append(f"  BatchNorm running_mean sum: {running_mean_sum(model):.6f}")
    return lines


def main():
    torch.set_num_threads(1)
    report = []
    bodies = {"spatial-body.pt": made(SpatialBody, 1),
              "vector-body.pt": made(VectorBody, 1),
              "bad-output.pt": made(BadOutput, 1)}
    for file, model in bodies.items():
        path = os.path.join(HERE, file)
        torch.jit.save(torch.jit.script(model), path)
        loaded = torch.jit.load(path)
        assert not loaded.training, file
        assert all(not m.training for m in loaded.modules()), file
        with torch.no_grad():
            x = torch.rand(2, 3, 20, 27)
            assert torch.equal(loaded(x), model(x)), file
            for h, w in ((16, 16), (32, 32), (37, 53)):
                loaded(torch.rand(1, 3, h, w))
        report += describe(file, loaded)

    # The user's mistake: the spatial body's state_dict pickled, not a TorchScript module.
    path = os.path.join(HERE, "not-torchscript.pt")
    torch.save(bodies["spatial-body.pt"].state_dict(), path)
    try:
        torch.jit.load(path)
        raise AssertionError("not-torchscript.pt loads as TorchScript")
    except RuntimeError as e:
        report.append("not-torchscript.pt:")
        report.append("  torch.save(SpatialBody().state_dict()): a pickle zip of "
                      f"{len(torch.load(path))} tensors; torch.jit.load refuses it: "
                      + str(e).strip().splitlines()[0])

    for file in sorted(os.listdir(HERE)):
        if file.endswith(".pt"):
            report.append(f"{file}: {os.path.getsize(os.path.join(HERE, file))} bytes")
    print("\n".join(report))


if __name__ == "__main__":
    reexec_reproducibly()
    main()
