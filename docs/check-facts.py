#!/usr/bin/env python3
"""Checks that the documentation still says everything the old one-page README said.

The README was split into a short README and the pages of docs/ (issue 21). This script cuts the
README of a given commit (by default f7c36ba, the last one-page README) into units: each sentence
of prose, each table row, each line of a code block, each heading. It normalises them (markdown
links to their text, no emphasis or quotes, one space, lower case) and prints every unit found
nowhere in the README and docs/*.md of the work tree, except those listed in REWRITTEN below,
which were rewritten on purpose (each says where the fact went). Exit status 1 when any other
unit is missing, and when a REWRITTEN entry is no longer missing (remove it then).

    python3 docs/check-facts.py [commit]

Run it from anywhere in the repository. It reads git's copy of the old README, nothing else.
"""
import pathlib
import re
import subprocess
import sys

OLD_COMMIT = sys.argv[1] if len(sys.argv) > 1 else "f7c36ba"

# Units of the old README rewritten on purpose, as normalise() prints them, with where the fact is now.
REWRITTEN = {
    # A link to a section of the one page became a link to a page; the text of the link is the same
    # but the words around it changed.
    "put it in an experiment project as `paddy.yaml`, unzip the competition's files into `data/`, export the body with the `features` lines above into `models/`, and run `mvn -b -pcuda package` on a gpu runner:":
        "docs/kaggle.md: 'the `Features` lines of Exporting a body' (the lines are on another page now)",
    "in the workflow above, that is the `ensemble` job: run `mvn -b deploy` there, with the key from the repository's secrets:":
        "docs/kaggle.md: 'In the workflow of A team of runners, that is the `ensemble` job'",
    "in the `deploy` phase maven runs `deploy:deploy` before the plugin's goals, so the project needs a `distributionmanagement` repository (the team's, above), or `maven.deploy.skip` (the example sets it: it has no team repository).":
        "docs/kaggle.md: '(the team's, see Caching, resuming, sharing)'",
    "- upload (`dev.paddy.submit`): the csv to kaggle, as the `kaggle` cli sends it (below).":
        "docs/internals.md: '(see Kaggle)'",
    "the same commit without `engine.nativeheap` (see native memory below) took 7 min 19 s there, training 364 s, with the same `submission.csv` byte for byte; before the bound lr finder skipped the members with a fixed lr it was 10 min 15 s on an avx2 machine.":
        "docs/example.md: '(see Native memory)', a link to docs/internals.md",
    # Issue 21's machine cache: the old facts stand, with the cache added to their sentences.
    "run it again and it trains nothing: every stage is cached by a hash of what determines it.":
        "README.md: '..., in `target/paddy` and in the machine cache outside it'",
    "parameters shared by the goals: `-dpaddy.manifest=<file>` (default `paddy.yaml`), `-dpaddy.outputdirectory=<dir>` (default `target/paddy`), `-dpaddy.members=a,b` (work on some members only; `ensemble`, `submit` and `upload` then skip), `-dpaddy.skip=true`.":
        "docs/goals.md: the same list with `-Dpaddy.cache` added",
    "everything lives under `target/paddy/` (one class, `io.outputlayout`, owns these paths):":
        "docs/caching-and-teams.md: 'The build's own view lives under `target/paddy/` ...; ... also kept in the machine cache'",
    # Issue 21's `paddy` packaging: the example left the root reactor, command 1 installs the plugin
    # first, command 2 names the archetype too; the pom packaging is the old form now.
    "# then the src-it maven builds):":
        "README.md: command 2's comment goes on: 'then the src-it Maven builds and the archetype's'",
    "mvn -b verify -pl paddy-maven-plugin -am":
        "README.md, docs/testing.md: '-pl paddy-maven-plugin,paddy-archetype -am'",
    "- `mvn -b verify -pl paddy-maven-plugin -am` (command 2) runs the fast tier, then the three tagged tiers with maven-failsafe-plugin (106 tests: the fault tests, training, memory planning, the browser), then the six src-it builds.":
        "docs/testing.md: the same with the archetype's IT",
    "an experiment is a maven project (packaging `pom`) with a `paddy.yaml` and the plugin bound to the build (see `example-project/pom.xml`):":
        "docs/goals.md: 'The paddy packaging', and 'The old form still works: <packaging>pom</packaging> ...'",
    "mvn -b -pcuda -dskiptests -pl example-project -am package # the example on the gpu":
        "docs/goals.md: the GPU commands after the reactor change",
    "mvn -b -pcuda verify -pl paddy-maven-plugin -am # all tests, including the gpu group":
        "docs/goals.md: the GPU commands after the reactor change",
    "`-dpaddy.kaggle.url=<address>` sends to another address (a proxy; the fake kaggle of the tests).":
        "docs/kaggle.md: a proxy is now set by settings.xml or HTTPS_PROXY (issue 21), not by paddy.kaggle.url",
    "- `mvn -b test -pl paddy-maven-plugin -am` (surefire) runs the fast tier only: 371 tests, about 30 s on 2 cores from a clean `target/`, compile included.":
        "docs/testing.md: '371 tests at first, 417 since issue 21 ...'",
    "on a fresh clone on a 2-core machine (avx-512) `.ci/run` took 6 min 17 s (about 1 min compile and fast tier, 3 1/2 min failsafe, 1 1/2 min src-it); the same day, 10 min 21 s with only the two thresholds of `engine.nativeheap` (see native memory), and 10 min 50 to 14 1/2 min on other days before it.":
        "docs/testing.md: the same figures, with issue 21's 7 min 45 s between them",
    # Issue 19: the example's figures under portable numerics, and the worker JVM in two lists.
    "on a quiet 2-core machine (amd epyc with avx-512) command 1 takes 2 min 50 s from a clean `target/`: compiling the plugin and starting maven about 14 s, memory probe 20 s, the lr finder for `pretrained` (the one member with `lr: find`) 4 s, training 121 s (resnet18-a 30 s, resnet18-b 29 s, convnext 52 s, pretrained 9 s), tta 10 s, ensemble, submission and report 1.2 s.":
        "docs/example.md: rewritten for issue 19 (the example under numerics: portable and parallel: 2; the earlier figures under 'Before issue 19')",
    "run again without a change, it takes 16 s and trains nothing.":
        "docs/example.md: rewritten for issue 19 (the example under numerics: portable and parallel: 2; the earlier figures under 'Before issue 19')",
    "the figures below were measured on the avx2 machine; on the avx-512 one the members score 0.8190, 0.8360, 0.7970 and 0.8920 and the ensemble 0.8700 (issue 19: the instruction set changes the arithmetic).":
        "docs/example.md: rewritten for issue 19 (the example under numerics: portable and parallel: 2; the earlier figures under 'Before issue 19')",
    "[info] resnet18-a resnet18 1.00 0.2067 0.8180":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "[info] resnet18-b resnet18 1.00 0.1800 0.8300":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "[info] convnext convnext_atto 1.00 0.2333 0.7830":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "[info] pretrained fashion-body.pt 1.00 0.1500 0.8920":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "[info] ensemble 0.8690":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "with equal weights the three weaker members outvote the best one here (0.8690 against 0.8920); a member's `weight:` (the seed notebook counts its best family twice) is the lever, chosen by validation error, not by the test set.":
        "docs/example.md: the table and the comparison with the portable example's figures (issue 19)",
    "what you can fix fails the build with a message that names the file, the member or the image and says what to do, and no stack trace: a manifest problem (`file:line:col`), a csv problem (`file:line`), missing or unreadable test images, an unknown member name, a member that fits no memory budget, a `weights:` file that is not parameters of that architecture or not a usable torchscript body (found before any member trains; the message shows the export lines), a member that runs out of memory while training or predicting (its micro-batch and what to change), a full disk (the file, what it needs and what is free), kaggle refusing a submission (credentials, rules, competition name, daily limit, no network).":
        "docs/goals.md: the same list with a member whose worker JVM crashed (issue 19)",
    "| `members/<name>/model.params`, `training.json` | trained weights (crc32c in `training.json`), per-epoch metrics, the inputs the key was hashed from | arch (or a torchscript body's content hash and head), accum, every training setting (normalisation included), valid_pct, seed, initial weights' hash, data fingerprint, plugin and engine versions; with targets after `label`, those and the labels csv's hash (a member of `[label]` keeps the key it had) |":
        "docs/caching-and-teams.md: the same row with `numerics: portable` in the key and the recorded environment (issue 19)",
    # The README's goal table keeps one short line a goal; the full rows are in docs/goals.md, as
    # they were. The README's layout block gained lines for the new files (docs/, LICENSE, ...).
}


def normalise(text):
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)   # [text](url) -> text
    text = text.replace("**", "").replace('"', "")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text


def units(markdown):
    """(line number, unit) for every sentence, table row, code line and heading."""
    lines = markdown.split("\n")
    out = []
    in_code = False
    paragraph, start = [], 0

    def flush():
        nonlocal paragraph
        if paragraph:
            text = " ".join(l.strip() for l in paragraph)
            # Sentences end at '. ', '! ' or '? ' before a capital, a backtick, a digit or a bracket.
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z`(0-9\[*])", text):
                if sentence.strip():
                    out.append((start, sentence))
        paragraph = []

    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            if line.strip():
                out.append((number, line))
            continue
        if not line.strip():
            flush()
        elif line.startswith("|"):
            flush()
            if not re.fullmatch(r"\|[-| :]*\|?", line.strip()):
                out.append((number, line))
        elif line.startswith("#"):
            flush()
            out.append((number, line.lstrip("#")))
        elif re.match(r"\s*(- |\d+\. )", line):
            flush()
            paragraph, start = [line], number
        else:
            if not paragraph:
                start = number
            paragraph.append(line)
    flush()
    return out


def main():
    root = pathlib.Path(subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip())
    old = subprocess.check_output(["git", "show", f"{OLD_COMMIT}:README.md"], text=True, cwd=root)
    pages = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    haystack = normalise("\n".join(p.read_text(encoding="utf-8") for p in pages))
    # A code line or table row is also looked for with its cells' spacing collapsed.
    missing, rewritten_found = [], set()
    checked = 0
    for number, unit in units(old):
        text = normalise(unit)
        if len(text) < 3:
            continue
        checked += 1
        if text in haystack:
            if text in REWRITTEN:
                rewritten_found.add(text)
            continue
        if text in REWRITTEN:
            continue
        missing.append((number, text))
    for number, text in missing:
        print(f"README.md@{OLD_COMMIT}:{number}: not found: {text}")
    for text in sorted(rewritten_found):
        print(f"listed as rewritten but found as it was (remove it from REWRITTEN): {text}")
    print(f"{checked} units of the old README checked against {len(pages)} pages: "
          f"{len(missing)} missing, {len(REWRITTEN) - len(rewritten_found)} rewritten on purpose")
    return 1 if missing or rewritten_found else 0


if __name__ == "__main__":
    sys.exit(main())
