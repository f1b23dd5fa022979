"""Pretrains the example's TorchScript body, models/fashion-body.pt, on Fashion-MNIST images that
are not in the example's data or test set.

Run from the repository root with Debian's python3-torch (1.13) and dataset-fashion-mnist:

    /usr/bin/python3 example-project/models/make_body.py

The example (paddy.yaml) trains on the first 300 training images of each class and tests on the
first 1,000 test images (FashionMnist.convert). This script never reads the test set and uses
training images with index >= 10000 only, after recomputing the example's picks and asserting
that they all lie below 10000.

Inputs are made as paddy makes them: the 28x28 grey image squished to a 36x36 item (bilinear,
rounded to bytes), grey replicated to RGB, pixel/255 normalised with ImageNet's mean and std;
training takes random 32x32 crops and horizontal flips, the held-out check resizes the whole
36x36 item to 32x32 (bilinear), as paddy's validation does.

The body is resnet18's layout at a quarter of its widths (BasicBlocks [2, 2, 2, 2] at
16/32/64/128) with a 3x3 stride-2 stem and no max pool: 32x32 in, a 128 x 2 x 2 feature map
out; no pooling, no fc. It is pretrained with a linear head (global average pool + Linear), the
head is discarded, and the body is saved with torch.jit.script after eval(). Deterministic: fixed
seeds, one thread, deterministic algorithms; the file is byte-identical from run to run (see
reexec_reproducibly).
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models.resnet import BasicBlock

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.basename(__file__)
IDX = "/usr/share/datasets/fashion-mnist"
OUT = "fashion-body.pt"

EXAMPLE_PER_CLASS = 300       # FashionMnist.convert(..., perClass = 300, testCount = 1000)
FIRST_USABLE = 10000          # nothing below this training index is used here
PRETRAIN = range(10000, 30000)
HELD_OUT = range(30000, 32000)
EPOCHS = 5
BATCH = 128
LR = 3e-3
ITEM, INPUT = 36, 32
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def reexec_reproducibly():
    """TorchScript's saved code lists each module's constants in Python set order, which string
    hash randomisation changes from run to run, and its debug info names the source file as
    Python knows it (an absolute path for a script). So the script runs itself again with
    PYTHONHASHSEED=0, loaded from this folder under its bare name (the module is named
    'fashion_body': its TorchScript class is __torch__.fashion_body.FashionBody)."""
    os.chdir(HERE)
    load = ("import sys, types; m = types.ModuleType('fashion_body'); "
            f"m.__file__ = '{SCRIPT}'; sys.modules['fashion_body'] = m; "
            f"exec(compile(open('{SCRIPT}').read(), '{SCRIPT}', 'exec'), m.__dict__); m.main()")
    os.execve(sys.executable, [sys.executable, "-c", load], dict(os.environ, PYTHONHASHSEED="0"))


class FashionBody(nn.Module):
    """resnet18's layout at widths 16/32/64/128, 3x3 stride-2 stem, no max pool, no fc.

    Parameter names follow torchvision's resnet (conv1, bn1, layer1.0.conv1, ...)."""

    def __init__(self, widths=(16, 32, 64, 128), blocks=(2, 2, 2, 2)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        inplanes = widths[0]
        layers = []
        for i, (width, count) in enumerate(zip(widths, blocks)):
            stride = 1 if i == 0 else 2
            stage = []
            for j in range(count):
                downsample = None
                if j == 0 and (stride != 1 or inplanes != width):
                    downsample = nn.Sequential(nn.Conv2d(inplanes, width, 1, stride=stride, bias=False),
                                               nn.BatchNorm2d(width))
                stage.append(BasicBlock(inplanes, width, stride if j == 0 else 1, downsample))
                inplanes = width
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.features = inplanes
        for m in self.modules():  # torchvision's resnet init
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


def read_idx(name, magic):
    with gzip.open(os.path.join(IDX, name), "rb") as f:
        data = f.read()
    assert int.from_bytes(data[:4], "big") == magic, name
    if magic == 2049:
        return np.frombuffer(data, np.uint8, offset=8)
    count, rows, cols = (int.from_bytes(data[4 * k:4 * k + 4], "big") for k in (1, 2, 3))
    return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)


def example_picks(labels):
    """The training indices FashionMnist.convert writes: the first 300 of each class, in order."""
    written = [0] * 10
    picks = []
    for i, label in enumerate(labels):
        if written[label] < EXAMPLE_PER_CLASS:
            written[label] += 1
            picks.append(i)
    return picks


def items(images):
    """28x28 bytes -> 36x36 bytes, squished with bilinear (as paddy's item transform)."""
    x = torch.from_numpy(images.copy()).float().unsqueeze(1)
    x = F.interpolate(x, size=(ITEM, ITEM), mode="bilinear", align_corners=False)
    return x.round().clamp(0, 255).to(torch.uint8)


def normalise(x):
    """N x 1 x s x s bytes -> N x 3 x s x s, pixel/255 with ImageNet's mean and std."""
    return (x.float().div(255).expand(-1, 3, -1, -1) - MEAN) / STD


def augment(batch, generator):
    """Random 32x32 crops of the 36x36 items and horizontal flips."""
    n = batch.shape[0]
    offsets = torch.randint(0, ITEM - INPUT + 1, (n, 2), generator=generator)
    flips = torch.rand(n, generator=generator) < 0.5
    out = torch.empty(n, 1, INPUT, INPUT, dtype=batch.dtype)
    for k in range(n):
        y, x = int(offsets[k, 0]), int(offsets[k, 1])
        crop = batch[k, :, y:y + INPUT, x:x + INPUT]
        out[k] = crop.flip(-1) if flips[k] else crop
    return normalise(out)


def plain(batch):
    """The whole 36x36 item resized to 32x32, as paddy's validation renders it."""
    return normalise(F.interpolate(batch.float(), size=(INPUT, INPUT), mode="bilinear",
                                   align_corners=False).round().clamp(0, 255))


def evaluate(body, head, x, y):
    body.eval()
    head.eval()
    with torch.no_grad():
        losses, correct = 0.0, 0
        for s in range(0, len(y), 500):
            logits = head(body(x[s:s + 500]).mean((2, 3)))
            losses += float(F.cross_entropy(logits, y[s:s + 500], reduction="sum"))
            correct += int((logits.argmax(1) == y[s:s + 500]).sum())
    return losses / len(y), correct / len(y)


def main():
    start = time.time()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(2024)
    generator = torch.Generator().manual_seed(2025)

    labels = read_idx("train-labels-idx1-ubyte.gz", 2049)
    images = read_idx("train-images-idx3-ubyte.gz", 2051)
    picks = example_picks(labels)
    assert len(picks) == 10 * EXAMPLE_PER_CLASS and max(picks) < FIRST_USABLE, max(picks)
    used = set(PRETRAIN) | set(HELD_OUT)
    assert min(used) >= FIRST_USABLE and not used & set(picks) and not set(PRETRAIN) & set(HELD_OUT)
    print(f"example's training picks: {len(picks)} images, indices 0..{max(picks)}; "
          f"pretraining on {PRETRAIN.start}..{PRETRAIN.stop - 1}, held out {HELD_OUT.start}..{HELD_OUT.stop - 1}; "
          "test set not read", flush=True)

    train_x = items(images[PRETRAIN.start:PRETRAIN.stop])
    train_y = torch.from_numpy(labels[PRETRAIN.start:PRETRAIN.stop].astype(np.int64))
    held_x = plain(items(images[HELD_OUT.start:HELD_OUT.stop]))
    held_y = torch.from_numpy(labels[HELD_OUT.start:HELD_OUT.stop].astype(np.int64))

    body = FashionBody()
    head = nn.Linear(body.features, 10)
    params = list(body.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=LR)
    steps = EPOCHS * ((len(train_y) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=LR, total_steps=steps)
    for epoch in range(1, EPOCHS + 1):
        body.train()
        head.train()
        order = torch.randperm(len(train_y), generator=generator)
        total, seen = 0.0, 0
        for s in range(0, len(order), BATCH):
            index = order[s:s + BATCH]
            loss = F.cross_entropy(head(body(augment(train_x[index], generator)).mean((2, 3))), train_y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(index)
            seen += len(index)
        held_loss, held_acc = evaluate(body, head, held_x, held_y)
        print(f"epoch {epoch}: train loss {total / seen:.4f}, held-out loss {held_loss:.4f}, "
              f"held-out accuracy {held_acc:.4f} ({len(held_y)} images), {time.time() - start:.0f} s",
              flush=True)

    body.eval()
    torch.jit.save(torch.jit.script(body), OUT)
    loaded = torch.jit.load(OUT)
    assert not loaded.training and all(not m.training for m in loaded.modules())
    with torch.no_grad():
        out = loaded(torch.zeros(1, 3, 32, 32))
        assert out.dim() == 4 and out.shape[:2] == (1, body.features), out.shape
        assert torch.equal(loaded(held_x[:8]), body(held_x[:8]))
    count = sum(p.numel() for p in loaded.parameters())
    print(f"{OUT}: output for 1x3x32x32 {' x '.join(str(d) for d in out.shape)}, "
          f"{count} parameters, {os.path.getsize(OUT)} bytes, training flag {loaded.training}, "
          f"{time.time() - start:.0f} s in all")


if __name__ == "__main__":
    reexec_reproducibly()
