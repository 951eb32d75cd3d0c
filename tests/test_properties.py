"""Property tests: random consistent scenes and goals, random garbage.

- Every reachable goal over a random consistent scene gets a plan that the
  independent validator accepts; a goal that asks a region for more blocks
  than fit in it is refused with the reason, never planned.
- Any text at all given as a goal gets a structured answer, never an exception.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lam_robot.execution.capacity import over_capacity
from lam_robot.guardrail import GoalErrorCode, check_goal
from lam_robot.planning import plan_request
from lam_robot.scene import scene_from_dict
from lam_robot.validator import validate_plan

BLOCKS = ["red", "blue", "green", "yellow", "orange", "purple", "white"]
REGIONS = ["tray", "bin"]


@st.composite
def layouts(draw, blocks, may_hold=True):
    """A random physical arrangement: stacks on the table or in regions, maybe one block held."""
    order = draw(st.permutations(blocks))
    facts = []
    held = draw(st.sampled_from([None, *order])) if may_hold and draw(st.booleans()) else None
    below = None
    for block in order:
        if block == held:
            facts.append(f"(holding {block})")
            continue
        start_new = below is None or draw(st.integers(0, 2)) == 0
        if start_new:
            place = draw(st.sampled_from(["table", *REGIONS]))
            facts.append(f"(on-table {block})" if place == "table" else f"(in {block} {place})")
        else:
            facts.append(f"(on {block} {below})")
        below = block
    return facts


@st.composite
def scenes_and_goals(draw):
    n = draw(st.integers(1, 6))
    blocks = BLOCKS[:n]
    objects = {b: "block" for b in blocks} | {r: r for r in REGIONS}
    init = draw(layouts(blocks))
    target = draw(layouts(blocks, may_hold=False))
    chosen = draw(st.lists(st.sampled_from(target), min_size=1, max_size=len(target), unique=True))
    return {"objects": objects, "init": init}, "(and " + " ".join(chosen) + ")"


def _too_full(goal: str, scene, domain) -> bool:
    """Whether the goal asks a region for more blocks than stand in it side by side."""
    checked = check_goal(goal, scene, domain)
    return checked.ok and any(over_capacity(c, scene) for c in checked.goal.alternatives)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes_and_goals())
def test_reachable_goals_always_get_a_validated_plan(domain, case):
    data, goal = case
    scene = scene_from_dict(data, domain)
    result = plan_request(goal, scene, domain, "auto", timeout_s=20)
    if _too_full(goal, scene, domain):
        assert not result.ok and result.error["code"] == GoalErrorCode.OVER_CAPACITY.value, result.reason
        return
    assert result.ok, f"{goal} from {data['init']}: {result.reason}"
    assert validate_plan(result.plan, scene.facts, result.goal, domain).valid


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes_and_goals())
def test_fast_downward_agrees_on_random_problems(domain, case):
    data, goal = case
    scene = scene_from_dict(data, domain)
    result = plan_request(goal, scene, domain, "fd", timeout_s=20)
    if _too_full(goal, scene, domain):
        assert not result.ok
        return
    assert result.ok, result.reason
    assert validate_plan(result.plan, scene.facts, result.goal, domain).valid


WORDS = st.sampled_from(["and", "or", "not", "on", "on-table", "in", "clear", "holding", "handempty",
                         "forall", "exists", "red", "blue", "tray", "?x", "-", "block", "purple", "(", ")",
                         "imply", ":goal", "fly", "on red", "(on", "))"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_a_structured_answer(tower3, domain, text):
    result = check_goal(text, tower3, domain)
    assert result.ok or isinstance(result.error.code, GoalErrorCode)
    assert result.to_dict()["status"] in ("ok", "refused")


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25))
def test_malformed_goal_shapes_get_a_structured_answer(tower3, domain, words):
    text = "(" + " ".join(words) + ")"
    result = check_goal(text, tower3, domain)
    if not result.ok:
        assert result.error.message
    plan = plan_request(text, tower3, domain, "policy", timeout_s=5)
    assert plan.ok or plan.reason
