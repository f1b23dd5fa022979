"""The example body's architecture with fresh (untrained) weights, for one comparison only: the
same member fine-tuned from this file instead of fashion-body.pt trains the same architecture
from scratch, at the same epochs, so the two scores show what pretraining gives. Not used by the
example; the output is not committed.

    /usr/bin/python3 example-project/models/make_untrained_body.py /tmp/fashion-body-untrained.pt
"""
import os
import sys
import types

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
module = types.ModuleType("fashion_body")
module.__file__ = os.path.join(HERE, "make_body.py")
sys.modules["fashion_body"] = module
exec(compile(open(module.__file__).read(), module.__file__, "exec"), module.__dict__)

torch.manual_seed(2024)  # make_body.py's seed: the same initial weights its pretraining started from
body = module.FashionBody().eval()
torch.jit.save(torch.jit.script(body), sys.argv[1])
print(f"{sys.argv[1]}: untrained {type(body).__name__}, {sum(p.numel() for p in body.parameters())} parameters")
