"""A scene-specific trigram language model for speech recognition.

The JSGF grammar is strict: a word outside it cannot be heard, and a wrong
word inside it costs nothing extra. A trigram model estimated from
instructions *generated* from the scene (its colours, kinds and names, the
translator's verbs, relations and polite wrappers) is softer: likely word
orders are cheap, unusual ones possible. Nothing from the test instructions
is used to build it. Written as ARPA text, which pocketsphinx reads.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from typing import Callable, Iterable

from ..scene import Scene

DISCOUNT = 0.5

_VERBS_PLACE = ["put", "place", "move", "set", "stack", "drop", "lay", "get", "take", "bring", "lift"]
_REL_BLOCK = ["on", "onto", "on top of", "on to", "under", "to"]
_REL_REGION = ["in", "into", "inside", "to", "on"]
_POLITE_HEAD = ["", "", "", "please", "could you", "can you", "would you", "robot", "i want you to",
                "i would like you to", "now", "could you please", "can you please", "would you mind"]
_POLITE_TAIL = ["", "", "", "please", "thanks", "thank you", "for me", "now"]


def _refs(scene: Scene, kind: str) -> list[str]:
    out = []
    for name, obj in scene.objects.items():
        if obj.type != kind:
            continue
        words = [w for w in name.replace("-", "_").split("_") if w.isalpha()]
        if obj.color:
            noun = obj.kind if obj.type == "region" and obj.kind else "block"
            out += [f"the {obj.color} {noun}", f"the {obj.color} one", obj.color, f"the {obj.color} {noun}"]
        if obj.type == "region" and obj.kind:
            out += [f"the {obj.kind}", f"the {' '.join(words)}"]
        if obj.type == "block" and obj.kind:
            out += [f"the {obj.kind}"]
        if words and not obj.color:
            out += [f"block {' '.join(words)}", f"the {' '.join(words)}"]
    return out or ["it"]


def scene_sentences(scene: Scene, n: int = 4000, seed: int = 0) -> list[str]:
    """Instructions generated from the scene's vocabulary (a corpus for :func:`arpa_from_sentences`)."""
    rng = random.Random(seed)
    blocks = _refs(scene, "block")
    regions = _refs(scene, "region")
    colors = sorted({o.color for o in scene.objects.values() if o.color})

    def obj():
        return rng.choice(blocks + ["it", "everything", "all the blocks", "both blocks", "the other block"])

    def clause():
        k = rng.random()
        if k < 0.35:
            return f"{rng.choice(_VERBS_PLACE)} {obj()} {rng.choice(_REL_BLOCK)} {rng.choice(blocks)}"
        if k < 0.55 and regions:
            return f"{rng.choice(_VERBS_PLACE)} {obj()} {rng.choice(_REL_REGION)} {rng.choice(regions)}"
        if k < 0.62:
            return f"{rng.choice(['put', 'place', 'set', 'move'])} {obj()} on the table"
        if k < 0.68:
            return f"{rng.choice(['pick up', 'grab', 'hold', 'lift', 'take'])} {rng.choice(blocks)}"
        if k < 0.72:
            return f"{rng.choice(['clear', 'uncover'])} {rng.choice(blocks)}"
        if k < 0.76:
            return f"take {rng.choice(blocks)} off {rng.choice(blocks)}"
        if k < 0.79 and regions:
            return f"{rng.choice(['empty', 'unload'])} {rng.choice(regions)}"
        if k < 0.86:
            chain = rng.sample(blocks, min(3, len(blocks)))
            return "stack " + " on ".join(chain)
        if k < 0.92 and colors:
            c = rng.sample(colors, min(3, len(colors)))
            forms = [f"build a tower with {c[0]} at the bottom then " + " then ".join(c[1:]),
                     f"{c[0]} at the bottom " + " ".join(f"then {x}" for x in c[1:]),
                     "from top to bottom " + " ".join(c), "from bottom to top " + " ".join(c),
                     f"make a stack with {c[0]} at the bottom and {c[-1]} on top"]
            return rng.choice(forms)
        target = rng.choice(blocks + regions)
        rel = "in" if target in regions else "on"
        state = rng.choice(["should be", "goes", "needs to be", "is", ""])
        head = rng.choice(["i want", "make sure", "i would like", ""])
        return " ".join(w for w in (head, rng.choice(blocks), state, rel, target) if w)

    out = []
    for _ in range(n):
        parts = [clause()]
        while rng.random() < 0.3 and len(parts) < 3:
            parts.append(rng.choice(["and", "then", "and then"]) + " " + clause())
        text = " ".join(p for p in (rng.choice(_POLITE_HEAD), " ".join(parts), rng.choice(_POLITE_TAIL)) if p)
        out.append(text)
    return out


def arpa_from_sentences(sentences: Iterable[str], known_word: Callable[[str], bool] | None = None) -> str:
    """A trigram model with absolute discounting and back-off, as ARPA text."""
    uni: Counter = Counter()
    bi: Counter = Counter()
    tri: Counter = Counter()
    for text in sentences:
        words = text.split()
        if known_word is not None and not all(known_word(w) for w in words):
            continue
        seq = ["<s>"] + words + ["</s>"]
        uni.update(seq)
        bi.update(zip(seq, seq[1:]))
        tri.update(zip(seq, seq[1:], seq[2:]))
    total = sum(c for w, c in uni.items() if w != "<s>")
    vocab = sorted(uni)
    p_uni = {w: (uni[w] + 1) / (total + len(vocab)) for w in vocab}

    def bows(higher: Counter, order: int, lower_prob: Callable):
        hist_count: dict = defaultdict(int)
        followers: dict = defaultdict(list)
        for gram, c in higher.items():
            hist_count[gram[:-1]] += c
            followers[gram[:-1]].append(gram[-1])
        probs = {gram: (c - DISCOUNT) / hist_count[gram[:-1]] for gram, c in higher.items()}
        weights = {}
        for hist, ws in followers.items():
            alpha = DISCOUNT * len(ws) / hist_count[hist]
            denom = 1.0 - sum(lower_prob(hist[1:] + (w,)) for w in ws)
            weights[hist] = alpha / denom if denom > 1e-9 else 1.0
        return probs, weights

    p_bi, bow_uni = bows(bi, 2, lambda g: p_uni[g[-1]])
    p_tri, bow_bi = bows(tri, 3, lambda g: p_bi.get(g, bow_uni.get(g[:-1], 1.0) * p_uni[g[-1]]))

    def lg(x: float) -> str:
        return f"{math.log10(x):.4f}" if x > 0 else "-99.0000"

    lines = ["\\data\\", f"ngram 1={len(vocab)}", f"ngram 2={len(p_bi)}", f"ngram 3={len(p_tri)}", "",
             "\\1-grams:"]
    for w in vocab:
        prob = "-99.0000" if w == "<s>" else lg(p_uni[w])
        lines.append(f"{prob}\t{w}\t{lg(bow_uni.get((w,), 1.0))}")
    lines += ["", "\\2-grams:"]
    for gram, p in sorted(p_bi.items()):
        lines.append(f"{lg(p)}\t{' '.join(gram)}\t{lg(bow_bi.get(gram, 1.0))}")
    lines += ["", "\\3-grams:"]
    for gram, p in sorted(p_tri.items()):
        lines.append(f"{lg(p)}\t{' '.join(gram)}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
