"""Writes the pipeline benchmark's TorchScript body: torchvision's resnet18 (random, seeded
weights; the benchmark measures speed, not accuracy) with fc = Identity, so it maps
N x 3 x H x W to N x 512, exported with torch.jit.script after eval() as users export.

    /usr/bin/python3 paddy-maven-plugin/src/bench/resources/make_resnet18_body.py OUT.pt

Debian's python3-torch (1.13) and python3-torchvision; the file (about 45 MB) is not committed.
"""
import sys

import torch
from torch import nn
from torchvision.models import resnet18


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_resnet18_body.py OUT.pt")
    out = sys.argv[1]
    torch.manual_seed(0)
    model = resnet18(weights=None)
    model.fc = nn.Identity()
    model.eval()
    torch.jit.save(torch.jit.script(model), out)
    loaded = torch.jit.load(out)
    assert not loaded.training
    with torch.no_grad():
        shape = tuple(loaded(torch.zeros(1, 3, 224, 224)).shape)
    assert shape == (1, 512), shape
    count = sum(p.numel() for p in loaded.parameters())
    print(f"{out}: resnet18 body, output for 1x3x224x224 {shape}, {count} parameters, "
          f"training flag {loaded.training}")


if __name__ == "__main__":
    main()
