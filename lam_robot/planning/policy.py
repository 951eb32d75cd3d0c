"""A domain-aware planner for the tabletop domain: sound, fast, near-optimal.

Blocks-world style goals (``on``, ``on-table``, ``in``, ``clear``) are
solved by the classic strategy: a block is *well placed* when it rests on
its goal support and everything below it is well placed too. Repeatedly

1. move a misplaced clear block straight to its goal support when that
   support is ready (the table, a region, or a clear well-placed block);
2. otherwise put a misplaced clear block that sits on another block onto
   the table, preferring one that uncovers a block the goal needs.

Step 1 fixes a block for good and step 2 moves each block at most once
before its final move, so every block moves at most twice and the plan is
found in milliseconds for dozens of blocks. Every plan is still checked by
the independent validator; goals outside this fragment (``holding``,
negations) are declined so the caller falls back to Fast Downward.
"""

from __future__ import annotations

import time

from .base import Planner, PlanningTask, PlanResult, PlanStatus

_REQUIRED_ACTIONS = {"pick-from-table", "pick-from-block", "pick-from-region",
                     "place-on-table", "place-on-block", "place-in-region"}
_GOAL_PREDICATES = {"on", "on-table", "in", "clear", "handempty"}
TABLE = ("table",)


class TabletopPolicy(Planner):
    name = "policy"
    negative_goals = False

    def supports(self, task: PlanningTask) -> str | None:
        if not _REQUIRED_ACTIONS <= set(task.domain.actions):
            return "the policy planner only knows the tabletop domain"
        odd = {a.predicate for a in task.goal.positive} - _GOAL_PREDICATES
        if odd:
            return f"the policy planner does not handle goals on {', '.join(sorted(odd))}"
        return None

    def _solve(self, task: PlanningTask, timeout_s: float) -> PlanResult:
        start = time.perf_counter()
        domain, state, goal = task.domain, task.state, task.goal
        target: dict[str, tuple] = {}
        wanted_on: dict[str, str] = {}      # support block -> the block the goal puts on it
        must_clear: set[str] = set()
        for atom in goal.positive:
            if atom.predicate == "on":
                target[atom.args[0]] = ("block", atom.args[1])
                wanted_on[atom.args[1]] = atom.args[0]
            elif atom.predicate == "on-table":
                target[atom.args[0]] = TABLE
            elif atom.predicate == "in":
                target[atom.args[0]] = ("region", atom.args[1])
            elif atom.predicate == "clear":
                must_clear.add(atom.args[0])
        plan = []
        blocks = sorted(o for o, t in task.objects.items() if t == "block")
        unsupported = sorted(set(blocks) - set(_supports(state)))
        if unsupported:
            return PlanResult(PlanStatus.UNSUPPORTED, (), self.name, time.perf_counter() - start,
                              f"the state does not say where {unsupported[0]} rests; observe again")
        for _ in range(4 * len(blocks) + 4):
            if goal.holds_in(state):
                return PlanResult(PlanStatus.SOLVED, tuple(plan), self.name, time.perf_counter() - start)
            if time.perf_counter() - start > timeout_s:
                return PlanResult(PlanStatus.TIMEOUT, (), self.name, time.perf_counter() - start,
                                  f"no plan found within {timeout_s:g} s")
            support = _supports(state)
            well: dict[str, bool] = {}

            def well_placed(block: str) -> bool:
                if block in well:
                    return well[block]
                where = support.get(block)
                ok = where is not None and where != ("gripper",)
                if ok and block in target and where != target[block]:
                    ok = False
                if ok and where[0] == "block":
                    below = where[1]
                    ok = below not in must_clear and wanted_on.get(below, block) == block \
                        and well_placed(below)
                well[block] = ok
                return ok

            def ready(dest: tuple, mover: str) -> bool:
                if dest[0] != "block":
                    return True
                return dest[1] != mover and _clear(state, dest[1]) and well_placed(dest[1])

            movable = [b for b in blocks if (_clear(state, b) or support.get(b) == ("gripper",))
                       and not well_placed(b)]
            held = [b for b in movable if support.get(b) == ("gripper",)]
            direct = [b for b in held + movable if b in target and ready(target[b], b)]
            if direct:
                block, dest = direct[0], target[direct[0]]
            elif held:
                block, dest = held[0], TABLE
            else:
                stacked = [b for b in movable if support[b][0] == "block"]
                if not stacked:
                    return PlanResult(PlanStatus.UNSUPPORTED, (), self.name, time.perf_counter() - start,
                                      "the policy planner is stuck; use a search planner")

                # Uncover first what can go to its final place right after:
                # a block whose goal support is ready, or a well-placed goal
                # support that is covered. The closer it lies, the better.
                needed = {b for b in blocks if b in target and not well_placed(b)
                          and (target[b][0] != "block" or well_placed(target[b][1]))}
                needed |= {t[1] for t in target.values() if t[0] == "block" and well_placed(t[1])}
                needed |= must_clear

                def urgency(b: str) -> tuple:
                    depth, where = 1, support[b]
                    while where[0] == "block":
                        if where[1] in needed:
                            return (0, depth)
                        depth, where = depth + 1, support.get(where[1], TABLE)
                    return (1, 0)

                block, dest = min(stacked, key=lambda b: (urgency(b), b)), TABLE
            for step in _move(domain, support[block], block, dest):
                if not step.applicable(state):
                    return PlanResult(PlanStatus.ERROR, (), self.name, time.perf_counter() - start,
                                      f"policy produced an inapplicable step {step}")
                state = step.apply(state)
                plan.append(step)
        return PlanResult(PlanStatus.UNSUPPORTED, (), self.name, time.perf_counter() - start,
                          "the policy planner did not converge; use a search planner")


def _supports(state) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for atom in state:
        if atom.predicate == "on":
            out[atom.args[0]] = ("block", atom.args[1])
        elif atom.predicate == "on-table":
            out[atom.args[0]] = TABLE
        elif atom.predicate == "in":
            out[atom.args[0]] = ("region", atom.args[1])
        elif atom.predicate == "holding":
            out[atom.args[0]] = ("gripper",)
    return out


def _clear(state, block: str) -> bool:
    from ..symbolic.atoms import Atom

    return Atom("clear", (block,)) in state


def _move(domain, where: tuple, block: str, dest: tuple) -> list:
    steps = []
    if where == TABLE:
        steps.append(domain.ground_action("pick-from-table", (block,)))
    elif where[0] == "block":
        steps.append(domain.ground_action("pick-from-block", (block, where[1])))
    elif where[0] == "region":
        steps.append(domain.ground_action("pick-from-region", (block, where[1])))
    if dest == TABLE:
        steps.append(domain.ground_action("place-on-table", (block,)))
    elif dest[0] == "block":
        steps.append(domain.ground_action("place-on-block", (block, dest[1])))
    else:
        steps.append(domain.ground_action("place-in-region", (block, dest[1])))
    return steps
