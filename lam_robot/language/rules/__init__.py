"""The rule translator: a small semantic parser from English to goal literals.

No model, no network, deterministic. The parser reads an instruction as a
sequence of clauses ("put the red block on the blue one, then clear the
green one"); each clause is a verb frame (place, pick up, clear, take off,
empty, build a tower) or a state description ("the red block should be in
the tray"). Noun phrases are *references*, resolved against the scene's
objects by colour, kind, type and name words, with quantifiers ("all",
"both", "every", "the other"), coordination ("the red and blue blocks"),
locative restrictors ("the block on the table") and pronouns ("it",
"them"). Clauses are read in order and the final state they describe is the
goal, so "pick up the red block and put it in the tray" asks only for
``(in red tray)``.

A reference that matches nothing is refused; a definite reference that
matches several objects produces a clarifying question listing them. The
goal text the parser builds goes through the guardrail like any model output.

Modules, in the order a parse uses them:

- :mod:`.words`: the fixed word lists; :mod:`.base`: ``Ref``, ``Clause`` and the parse-stopping exceptions.
- :mod:`.scene_repairs`, :mod:`.tokens`, :mod:`.repairs`, :mod:`.rewrites`: text and token clean-up
  (homophones, small talk, spelling, disfluencies, self-corrections, passives, possessives); :mod:`.shorthand`:
  terse engineer notation ("stack b-g-r, base blue", "white: bowl -> plate").
- :mod:`.lexicon` and :mod:`.resolver`: the scene's vocabulary and reference resolution.
- :mod:`.parser`: the clause parser, built from the mixins in :mod:`.place_frames`, :mod:`.take_frames`,
  :mod:`.towers`, :mod:`.tower_names` (one stack among several, counting along a stack), :mod:`.states`,
  :mod:`.noun_phrases` and :mod:`.restrictors`.
- :mod:`.goals`: clauses to goal literals; :mod:`.instruction`: :func:`parse_instruction`, the entry point.
"""

from .instruction import detect_injection, parse_instruction
from .words import BLOCK_NOUNS, COLOR_WORDS, REGION_SYNONYMS

__all__ = ["BLOCK_NOUNS", "COLOR_WORDS", "REGION_SYNONYMS", "detect_injection", "parse_instruction"]
