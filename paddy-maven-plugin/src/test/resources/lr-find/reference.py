#!/usr/bin/python3
"""Reference values for paddy's learning-rate range test (LrRangeTest, SmoothLoss, LrSuggestions).

What fastai 2.7 does in `Learner.lr_find`, redone here with PyTorch and NumPy because fastai is
not installed where paddy is built. Read from fastai's source and transcribed:

  fastai/callback/schedule.py  LRFinder (num_it < 6 -> 6; before_batch: sched_exp at
                               train_iter/num_it; after_batch: best first, then 4x best, then
                               train_iter >= num_it), lr_find (window [num_it//10:-5], NaN cut,
                               float32 tensors), valley, slide, minimum, steep.
                               fastai 2.7's nbs/14_callback.schedule.ipynb export; the four
                               suggestion functions and LRFinder.after_batch are the same in
                               github.com/fastai/fastai at 0a049e8a90b86d70860f68072698245a1ee787ca.
  fastai/learner.py            AvgSmoothLoss (torch.lerp(loss, val, beta), value = val/(1-beta**count)),
                               Recorder (order 50: records lr and smoothed loss).
  fastai/callback/core.py      TrainEvalCallback (order -10: train_iter += 1 first).

So after each batch: the step is counted, the smoothed loss and the lr are recorded, and only
then LRFinder decides to stop: the diverging step is in the curve.

Pass --fastai-source PATH (a fastai/callback/schedule.py, or any file holding fastai's valley,
slide, minimum and steep) to run fastai's own four functions, extracted with `ast`, on the same
tensors: any difference from the transcriptions below fails the run.

Expected values are computed in float64 (paddy computes in double); "fastai_float32" repeats
each range test as fastai really runs it (float32 losses, float32 tensors for the suggestions),
to show the float64 reading picks the same points.

Run:  /usr/bin/python3 reference.py [--fastai-source PATH]     (Debian's python3-torch, numpy)
Writes curves.csv (the raw losses fed to the tests) and expected.json beside this file.
"""
import argparse
import ast
import csv
import json
import math
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
BETA = 0.98
NUM_IT = 100


# --- the range test: LRFinder + Recorder + AvgSmoothLoss + TrainEvalCallback ------------------

def sched_exp(start, end, pos):
    return start * (end / start) ** pos


def range_test(raw, start_lr=1e-7, end_lr=10, num_it=NUM_IT, dtype=torch.float64):
    num_it = max(num_it, 6)
    avg, count, best = torch.tensor(0., dtype=dtype), 0, float('inf')
    lrs, losses = [], []
    for train_iter, loss in enumerate(raw):
        lr = sched_exp(start_lr, end_lr, train_iter / num_it)   # LRFinder.before_batch
        # ... the batch trains at lr; its loss is `loss'. after_batch, in callback order:
        train_iter += 1                                          # TrainEvalCallback, order -10
        count += 1                                               # Recorder, order 50
        avg = torch.lerp(torch.tensor(loss, dtype=dtype), avg, BETA)
        smooth = avg / (1 - BETA ** count)
        lrs.append(lr)
        losses.append(smooth)
        if smooth < best:                                        # LRFinder, order 60
            best = smooth
        if smooth > 4 * best:
            return lrs, losses, 'DIVERGED'
        if train_iter >= num_it:
            return lrs, losses, 'COMPLETED'
    raise ValueError('the raw curve ended before the range test did')


def lr_find_window(lrs, losses, num_it, dtype):
    """lr_find's slice and NaN cut; fastai's tensor() makes both float32, `dtype' here."""
    lrs = torch.tensor(lrs[num_it // 10:-5], dtype=dtype)
    losses = torch.tensor([float(x) for x in losses[num_it // 10:-5]], dtype=dtype)
    nans = torch.nonzero(torch.isnan(losses.view(-1)))
    if len(nans) > 0:
        cut = int(nans.min())
        lrs, losses = lrs[:cut], losses[:cut]
    return lrs, losses


# --- the suggestions, transcribed (same operations, same order, same tensor types) -------------

def valley(lrs, losses, num_it):
    n = len(losses)
    start, end = 0, 0
    longest = [1] * n          # longest strictly decreasing subsequence ending at each point
    for i in range(1, n):
        for j in range(0, i):
            if losses[i] < losses[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
            if longest[end] < longest[i]:      # inside the j loop as in fastai (same result as after it)
                end = i
                start = end - longest[end]
    third = (end - start) / 3
    k = start + int(third) + int(third / 2)   # -1 wraps to the last point, as in fastai
    return float(lrs[k]), (float(lrs[k]), losses[k])


def slide(lrs, losses, num_it, lr_diff=15, thresh=.005, adjust_value=1.):
    y = losses.detach().cpu().numpy()
    grad = np.gradient(y)
    right = -1
    left = right - lr_diff
    chosen = lrs[left]                       # IndexError below lr_diff + 1 points
    while left >= -len(y) and abs(grad[right] - grad[left]) > thresh:
        chosen = lrs[left]
        right -= 1
        left -= 1
    lr = float(chosen) * adjust_value
    return lr, (lr, np.interp(np.log10(lr), np.log10(lrs), y))


def minimum(lrs, losses, num_it):
    lr = lrs[losses.argmin()].item()
    nearest = min(range(len(lrs)), key=lambda i: abs(lrs[i] - lr))
    return lr / 10, (lr, losses[nearest])


def steep(lrs, losses, num_it):
    slopes = (losses[1:] - losses[:-1]) / (lrs[1:].log() - lrs[:-1].log())
    lr = lrs[slopes.argmin()].item()
    nearest = min(range(len(lrs)), key=lambda i: abs(lrs[i] - lr))
    return lr, (lr, losses[nearest])


TRANSCRIBED = {'valley': valley, 'slide': slide, 'steep': steep, 'minimum': minimum}


def outcome(fn, lrs, losses, num_it, **kwargs):
    try:
        lr, (point_lr, point_loss) = fn(lrs, losses, num_it, **kwargs)
        return {'lr': float(lr), 'point_lr': float(point_lr), 'point_loss': float(point_loss)}
    except (IndexError, ValueError, RuntimeError) as e:
        return {'error': type(e).__name__}


def suggestions(functions, lrs, losses, num_it):
    return {name: outcome(fn, lrs, losses, num_it) for name, fn in functions.items()}


# --- fastai's own functions, for the cross-check -----------------------------------------------

def load_fastai(path):
    tree = ast.parse(Path(path).read_text())
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in TRANSCRIBED]
    found = {node.name for node in wanted}
    if found != set(TRANSCRIBED):
        raise SystemExit(f'{path}: missing {sorted(set(TRANSCRIBED) - found)}')
    namespace = {'np': np, 'torch': torch, 'to_np': lambda t: t.detach().cpu().numpy()}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(path), 'exec'), namespace)
    return {name: namespace[name] for name in TRANSCRIBED}


def same(a, b):
    if a.keys() != b.keys():
        return False
    return all(a[k] == b[k] or (isinstance(a[k], float) and math.isnan(a[k]) and math.isnan(b[k])) for k in a)


# --- inputs ------------------------------------------------------------------------------------

def f32(values):
    """Raw losses as a float32 model produces them, so float64 and float32 runs see the same input."""
    return [float(np.float32(v)) for v in values]


def curves():
    steps = np.arange(NUM_IT)
    log_lr = np.log10(1e-7) + 8 * steps / NUM_IT
    rng = np.random.RandomState(11)
    u = 2.3 - 1.9 / (1 + np.exp(-2.2 * (log_lr + 4.5))) + 0.5 * np.exp(3 * (log_lr + 1.5))
    u_noisy = u + rng.normal(0, 0.05, NUM_IT)
    nan_tail = u + rng.normal(0, 0.05, NUM_IT)
    nan_tail[70:] = np.nan                     # the weights blew up at step 70
    early = 2.3 - 0.01 * steps + np.where(steps >= 15, np.exp(np.minimum(0.8 * (steps - 15), 50)) - 1, 0)
    early = early + rng.normal(0, 0.02, NUM_IT)
    monotone = 0.1 + 2.2 * np.exp(-0.03 * steps)
    return {
        'u_shape': f32(u_noisy),
        'monotone': f32(monotone),
        'nan_tail': f32(nan_tail),
        'early_divergence': f32(early),
    }


RANGE_TESTS = [  # name, raw curve, num_it
    ('u_shape', 'u_shape', 100),
    ('monotone', 'monotone', 100),
    ('nan_tail', 'nan_tail', 100),
    ('early_divergence', 'early_divergence', 100),
    ('num_it_3', 'monotone', 3),
]


def window_lrs(n):
    return [sched_exp(1e-7, 10, i / NUM_IT) for i in range(10, 10 + n)]


WINDOWS = {  # hand-made windows, given straight to the suggestion functions
    'empty': [],
    'single_point': [1.5],
    'two_points': [2.0, 1.0],
    'dip_then_rise': [2.0, 1.0, 3.0, 4.0, 5.0, 6.0],
    'tied_minimum': [3.0, 1.0, 2.0, 1.0, 4.0],
    'linear_20': [2.0 - 0.05 * i for i in range(20)],
    'plateau_then_drop': [1.0] * 10 + [1.0 - 0.1 * k for k in range(1, 8)],
}

SLIDE_VARIANTS = [  # range test window, lr_diff, thresh, adjust_value
    ('u_shape', 5, 0.02, 0.7),
    ('u_shape', 15, 0.005, 0.5),
    ('monotone', 10, 0.001, 3.0),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--fastai-source', help="fastai's schedule.py, to check the transcriptions against")
    args = parser.parse_args()
    fastai = load_fastai(args.fastai_source) if args.fastai_source else None
    mismatches = []

    def checked(where, lrs, losses, num_it):
        ours = suggestions(TRANSCRIBED, lrs, losses, num_it)
        if fastai:
            theirs = suggestions(fastai, lrs, losses, num_it)
            for name in ours:
                if not same(ours[name], theirs[name]):
                    mismatches.append(f'{where} {name}: transcribed {ours[name]}, fastai {theirs[name]}')
        return ours

    raw = curves()
    with open(HERE / 'curves.csv', 'w', newline='') as out:
        writer = csv.writer(out, lineterminator='\n')
        writer.writerow(['step', *raw])
        for step in range(NUM_IT):
            writer.writerow([step, *(repr(raw[name][step]).replace('nan', 'NaN') for name in raw)])

    expected = {'range_tests': [], 'windows': [], 'slide_variants': []}
    windows64 = {}
    for name, curve, num_it in RANGE_TESTS:
        lrs, losses, state = range_test(raw[curve], num_it=num_it)
        w_lrs, w_losses = lr_find_window(lrs, losses, num_it, torch.float64)
        windows64[name] = (w_lrs, w_losses, num_it)
        lrs32, losses32, state32 = range_test(raw[curve], num_it=num_it, dtype=torch.float32)
        w32 = lr_find_window(lrs32, losses32, num_it, torch.float32)
        expected['range_tests'].append({
            'name': name, 'curve': curve, 'start_lr': 1e-7, 'end_lr': 10, 'num_it': num_it,
            'state': state, 'lrs': lrs, 'losses': [float(x) for x in losses],
            'window': len(w_lrs),
            'suggestions': checked(name, w_lrs, w_losses, num_it),
            'fastai_float32': {
                'state': state32, 'steps': len(lrs32), 'window': len(w32[0]),
                'suggestions': checked(name + ' (float32)', *w32, num_it),
            },
        })
    for name, losses in WINDOWS.items():
        lrs = torch.tensor(window_lrs(len(losses)), dtype=torch.float64)
        losses = torch.tensor(losses, dtype=torch.float64)
        expected['windows'].append({
            'name': name, 'lrs': lrs.tolist(), 'losses': losses.tolist(),
            'suggestions': checked(name, lrs, losses, NUM_IT),
        })
    for name, lr_diff, thresh, adjust in SLIDE_VARIANTS:
        lrs, losses, num_it = windows64[name]
        ours = outcome(slide, lrs, losses, num_it, lr_diff=lr_diff, thresh=thresh, adjust_value=adjust)
        if fastai:
            theirs = outcome(fastai['slide'], lrs, losses, num_it, lr_diff=lr_diff, thresh=thresh, adjust_value=adjust)
            if not same(ours, theirs):
                mismatches.append(f'slide variant {name} {lr_diff} {thresh} {adjust}: {ours} vs {theirs}')
        expected['slide_variants'].append({
            'range_test': name, 'lr_diff': lr_diff, 'thresh': thresh, 'adjust_value': adjust, 'suggestion': ours,
        })
    (HERE / 'expected.json').write_text(json.dumps(expected, indent=1) + '\n')

    for test in expected['range_tests']:
        s, s32 = test['suggestions'], test['fastai_float32']['suggestions']
        print(f"{test['name']:18} {test['state']:9} {len(test['lrs']):3} steps, window {test['window']:3}:",
              ', '.join(f"{k}={v['lr']:.6g}" if 'lr' in v else f"{k}={v['error']}" for k, v in s.items()),
              '| float32 agrees' if all(k in s32 and ('lr' in v) == ('lr' in s32[k])
                                        and (('lr' not in v) or math.isclose(v['lr'], s32[k]['lr'], rel_tol=1e-6))
                                        for k, v in s.items()) else '| float32 DIFFERS')
    if fastai:
        print('fastai cross-check:', 'all identical' if not mismatches else f'{len(mismatches)} mismatches')
    for line in mismatches:
        print('  ' + line)
    raise SystemExit(1 if mismatches else 0)


if __name__ == '__main__':
    main()
