"""The plain PyTorch peer of paddy's fine-tuning (benchmark (8), PipelineBenchmark's "pair"): the
recipe of a paddy member with `weights: <body.pt>` and `schedule: fine_tune`, written the way a
PyTorch user writes it, on the same data folder (the Paddy layout), body file and settings:

- items: each image squished to 36x36 (bilinear), grey replicated to RGB, kept as bytes in memory;
- training inputs: fastai's aug_transforms(size=32, min_scale=0.75) as batch transforms (random
  resized crop, flip, rotation up to 10 degrees and zoom up to 1.1 with p=0.75, brightness and
  contrast 0.2 in logit space with p=0.75, reflection padding), one bilinear grid_sample a batch;
  validation and the plain test pass resize the whole item to 32x32; ImageNet normalisation;
- model: the TorchScript body, then fastai's head for a feature vector (BatchNorm1d, Dropout 0.25,
  Linear(nf, 512, bias=False), ReLU, BatchNorm1d, Dropout 0.5, Linear(512, n, bias=False)) or one
  Linear with bias; kaiming-normal weights, head BatchNorm biases 1e-3 as fastai's;
- fastai 2.7's fine_tune: body frozen but its norm layers (train_bn) for 1 epoch of one-cycle at
  slice(lr) (body lr/10, head lr; pct_start 0.99), then all unfrozen for `epochs` at lr/2/100 for the
  body and lr/2 for the head (pct_start 0.3, div 5), a fresh optimizer for each phase; AdamW with
  beta2 0.99, eps 1e-5, decoupled weight decay 0.01 but none on norm layers and biases; momentum
  0.95 -> 0.85 -> 0.95; batch 64, 20 % of the training images held out (seeded); validation each epoch;
- TTA: 4 augmented passes averaged, then lerp towards the plain pass by beta 0.25 (fastai's tta).

Prints one JSON line: training seconds (model load to trained, validated model), whole seconds
(from reading the data to the submission written; the interpreter's start and `import torch` are
not counted, as the JVM's start is not on paddy's side), test accuracy and final valid error. It
runs one thread per core as paddy's libtorch does (PEER_THREADS sets another count).

    /usr/bin/python3 fine_tune_peer.py DATA_DIR BODY.pt fastai|linear OUT_DIR [epochs] [lr] [seed]

Debian's python3-torch (1.13) and python3-pil (Pillow, to read the PNGs).
"""
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
ITEM, SIZE, BATCH = 36, 32, 64


def item(path):
    image = Image.open(path).convert("RGB").resize((ITEM, ITEM), Image.BILINEAR)
    return torch.from_numpy(np.asarray(image, dtype=np.uint8).copy()).permute(2, 0, 1)


def load(data):
    classes = sorted(d for d in os.listdir(os.path.join(data, "train_images")))
    files, labels = [], []
    for c, name in enumerate(classes):
        folder = os.path.join(data, "train_images", name)
        for f in sorted(os.listdir(folder)):
            files.append(os.path.join(folder, f))
            labels.append(c)
    with open(os.path.join(data, "sample_submission.csv")) as f:
        test_ids = [row["image_id"] for row in csv.DictReader(f)]
    with open(os.path.join(data, "test_labels.csv")) as f:
        truth = {row["image_id"]: row["label"] for row in csv.DictReader(f)}
    train = torch.stack([item(f) for f in files])
    test = torch.stack([item(os.path.join(data, "test_images", i)) for i in test_ids])
    return classes, train, torch.tensor(labels), test_ids, test, [classes.index(truth[i]) for i in test_ids]


def normalise(x):
    return (x - MEAN) / STD


def plain(items):
    return normalise(F.interpolate(items.float() / 255, size=(SIZE, SIZE), mode="bilinear", align_corners=False))


def augmented(items, g):
    """fastai's aug_transforms(size=32, min_scale=0.75) on a batch: one affine map and one lighting map per image."""
    n = items.shape[0]
    area = torch.empty(n).uniform_(0.75, 1.0, generator=g)
    ratio = torch.exp(torch.empty(n).uniform_(math.log(3 / 4), math.log(4 / 3), generator=g))
    w = torch.sqrt(area * ratio).clamp(max=1.0)
    h = torch.sqrt(area / ratio).clamp(max=1.0)
    cx = (torch.rand(n, generator=g) * 2 - 1) * (1 - w)
    cy = (torch.rand(n, generator=g) * 2 - 1) * (1 - h)
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    affine = torch.rand(n, generator=g) < 0.75
    angle = torch.where(affine, torch.empty(n).uniform_(-10, 10, generator=g), torch.zeros(n)) * math.pi / 180
    zoom = torch.where(affine, torch.empty(n).uniform_(1.0, 1.1, generator=g), torch.ones(n))
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.stack([torch.stack([w * cos * flip, -w * sin, cx], 1),
                         torch.stack([h * sin * flip, h * cos, cy], 1)], 1)
    grid = F.affine_grid(theta, [n, 3, SIZE, SIZE], align_corners=False)
    x = F.grid_sample(items.float() / 255, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    lighting = torch.rand(n, generator=g) < 0.75
    brightness = torch.where(lighting, torch.logit(torch.empty(n).uniform_(0.4, 0.6, generator=g)), torch.zeros(n))
    contrast = torch.where(lighting, torch.exp(torch.empty(n).uniform_(math.log(0.8), -math.log(0.8), generator=g)),
                           torch.ones(n))
    x = torch.sigmoid(torch.logit(x.clamp(1e-4, 1 - 1e-4)) * contrast.view(n, 1, 1, 1) + brightness.view(n, 1, 1, 1))
    return normalise(x)


def head(kind, nf, classes):
    if kind == "fastai":
        layers = [nn.BatchNorm1d(nf), nn.Dropout(0.25), nn.Linear(nf, 512, bias=False), nn.ReLU(inplace=True),
                  nn.BatchNorm1d(512), nn.Dropout(0.5), nn.Linear(512, classes, bias=False)]
    else:
        layers = [nn.Linear(nf, classes)]
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight)
        if isinstance(m, nn.BatchNorm1d):
            nn.init.constant_(m.bias, 1e-3)
    return model


def cosine(start, end, pct):
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def one_cycle(step, total, peak, pct_start, div):
    warm = total * pct_start
    if step < warm:
        return cosine(peak / div, peak, step / warm), cosine(0.95, 0.85, step / warm)
    pct = (step - warm) / max(1, total - warm)
    return cosine(peak, peak / 1e5, pct), cosine(0.85, 0.95, pct)


def optimizer(body, top, train_body):
    def groups(module, trainable):
        decay, no_decay = [], []
        for m in module.modules():
            norm = getattr(m, "original_name", type(m).__name__).startswith("BatchNorm")  # scripted or not
            for name, p in m.named_parameters(recurse=False):
                p.requires_grad_(trainable or norm)
                if trainable or norm:
                    (no_decay if norm or name == "bias" else decay).append(p)
        return [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}]
    groups_ = groups(body, train_body) + groups(top, True)
    return torch.optim.AdamW(groups_, betas=(0.95, 0.99), eps=1e-5)


def fit(model, opt, train, labels, epochs, peaks, pct_start, div, g, valid):
    steps_per_epoch = math.ceil(len(train) / BATCH)
    total, step = steps_per_epoch * epochs, 0
    errors = []
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(train), generator=g)
        for b in range(steps_per_epoch):
            idx = order[b * BATCH:(b + 1) * BATCH]
            for i, group in enumerate(opt.param_groups):
                lr, mom = one_cycle(step, total, peaks[i // 2], pct_start, div)
                group["lr"], group["betas"] = lr, (mom, 0.99)
            loss = F.cross_entropy(model(augmented(train[idx], g)), labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        errors.append(evaluate(model, *valid))
    return errors


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([F.softmax(model(x[i:i + BATCH]), 1) for i in range(0, len(x), BATCH)])


def evaluate(model, items, labels):
    return (predict(model, plain(items)).argmax(1) != labels).float().mean().item()


def main():
    data, body_file, kind, out = sys.argv[1:5]
    epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    lr = float(sys.argv[6]) if len(sys.argv) > 6 else 0.003
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 42
    started = time.perf_counter()
    # paddy's libtorch runs one intra-op thread per core; Debian's torch starts with one thread.
    torch.set_num_threads(int(os.environ.get("PEER_THREADS", os.cpu_count())))
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    classes, items, labels, test_ids, test, truth = load(data)
    order = torch.randperm(len(items), generator=g)
    cut = int(len(items) * 0.2)
    valid_idx, train_idx = order[:cut], order[cut:]
    train, train_labels = items[train_idx], labels[train_idx]
    valid = (items[valid_idx], labels[valid_idx])

    training_started = time.perf_counter()
    body = torch.jit.load(body_file)
    with torch.no_grad():
        nf = body.eval()(plain(items[:2])).flatten(1).shape[1]
    top = head(kind, nf, len(classes))
    model = nn.Sequential(body, nn.Flatten(), top)
    opt = optimizer(body, top, train_body=False)  # fine_tune: freeze (train_bn), fit_one_cycle(1, slice(lr), 0.99)
    errors = fit(model, opt, train, train_labels, 1, [lr / 10, lr], 0.99, 25, g, valid)
    base = lr / 2  # unfreeze, fit_one_cycle(epochs, slice(base/100, base), pct_start=0.3, div=5)
    opt = optimizer(body, top, train_body=True)
    errors += fit(model, opt, train, train_labels, epochs, [base / 100, base], 0.3, 5, g, valid)
    torch.save(model.state_dict(), os.path.join(out, "model.pt"))
    training = time.perf_counter() - training_started

    plain_probs = predict(model, plain(test))
    aug = torch.stack([predict(model, torch.cat([augmented(test[i:i + BATCH], g) for i in range(0, len(test), BATCH)]))
                       for _ in range(4)]).mean(0)
    probs = torch.lerp(aug, plain_probs, 0.25)
    predicted = probs.argmax(1)
    with open(os.path.join(out, "submission.csv"), "w") as f:
        f.write("image_id,label\n")
        for image_id, p in zip(test_ids, predicted.tolist()):
            f.write(f"{image_id},{classes[p]}\n")
    whole = time.perf_counter() - started
    accuracy = sum(int(p == t) for p, t in zip(predicted.tolist(), truth)) / len(truth)
    print(json.dumps({"head": kind, "training_s": round(training, 2), "whole_s": round(whole, 2),
                      "accuracy": accuracy, "valid_error": errors[-1], "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
