"""Scenes: the objects on the table and the facts that hold between them.

A scene is the typed world state every stage exchanges: YAML on disk, JSON
on a ROS topic, :class:`Scene` in memory. The simulator adds poses, the
perception stage produces scenes from images, the planner starts from one.

Scene file format::

    objects:
      red:   {type: block, color: red}
      blue:  {type: block, color: blue}
      tray:  {type: region, kind: tray}
    init: ["(on-table blue)", "(on red blue)"]

``clear`` and ``handempty`` follow from the other facts and are derived when
omitted. An inconsistent scene is rejected with a message naming the fact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .errors import LamError, SceneError
from .symbolic.atoms import Atom, parse_atom
from .symbolic.domain import Domain
from .symbolic.problem import problem_pddl

#: Region kinds people name; ``type: tray`` is shorthand for ``type: region, kind: tray``.
REGION_KINDS = ("tray", "bin", "zone", "box", "basket", "bowl", "plate")
SUPPORT_PREDICATES = ("on", "on-table", "in", "holding")


@dataclass(frozen=True)
class SceneObject:
    """One named thing in the scene.

    Attributes:
        name: the PDDL object name (lower case, e.g. ``red`` or ``red_block``).
        type: the PDDL type (``block`` or ``region``).
        color: colour word people use for it, if any.
        kind: for regions, what it is (tray, bin, zone); for blocks, the shape word.
        size: edge length in metres for blocks, footprint side for regions.
        attributes: anything else a stage attached (pose, mass, tracking id).
    """

    name: str
    type: str
    color: str | None = None
    kind: str | None = None
    size: float | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def describe(self) -> str:
        """Words a person would use: ``the red block``, ``the tray``."""
        noun = self.kind or self.type
        if self.type == "region" and self.kind:
            noun = self.kind
        words = [w for w in (self.color, noun) if w]
        return "the " + " ".join(words) if words else self.name

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"type": self.type}
        for key in ("color", "kind", "size"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data.update(self.attributes)
        return data


@dataclass(frozen=True)
class Scene:
    """Objects plus the complete set of facts that hold now.

    Attributes:
        objects: every object by name, in file order.
        facts: the full symbolic state, derived facts included.
        name: a label for logs.
    """

    objects: Mapping[str, SceneObject]
    facts: frozenset
    name: str = ""

    @property
    def object_types(self) -> dict[str, str]:
        return {n: o.type for n, o in self.objects.items()}

    @property
    def blocks(self) -> list[str]:
        return [n for n, o in self.objects.items() if o.type == "block"]

    @property
    def regions(self) -> list[str]:
        return [n for n, o in self.objects.items() if o.type == "region"]

    def support_of(self, block: str) -> str | None:
        """What ``block`` rests on: a block or region name, ``"table"``, ``"gripper"``, or None."""
        for fact in self.facts:
            if fact.args[:1] == (block,):
                if fact.predicate in ("on", "in"):
                    return fact.args[1]
                if fact.predicate == "on-table":
                    return "table"
                if fact.predicate == "holding":
                    return "gripper"
        return None

    def with_facts(self, facts: Iterable[Atom], domain: Domain | None = None) -> "Scene":
        """The same objects in another state (checked, derived facts recomputed)."""
        return replace(self, facts=complete_facts(self.objects, facts, domain))

    def to_dict(self) -> dict:
        base = {a for a in self.facts if a.predicate not in ("clear", "handempty")}
        return {
            "name": self.name,
            "objects": {n: o.to_dict() for n, o in self.objects.items()},
            "init": [str(a) for a in sorted(base)],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    def to_problem_pddl(self, goal_pddl: str, domain_name: str = "tabletop") -> str:
        """A PDDL problem for this state and a goal: what external planners read."""
        return problem_pddl(self.object_types, self.facts, goal_pddl, domain_name, self.name or "task")


def _object_from_spec(name: str, spec: Any) -> SceneObject:
    if not isinstance(name, str) or not name:
        raise SceneError(f"object names must be non-empty strings, got {name!r}")
    pddl_name = name.strip().lower()
    if not pddl_name.replace("-", "").replace("_", "").isalnum() or not pddl_name[0].isalpha():
        raise SceneError(f"object name {name!r} is not a PDDL name (letters, digits, '-', '_')")
    if spec is None:
        spec = {}
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, Mapping):
        raise SceneError(f"object {name}: expected a mapping such as {{type: block, color: red}}, got {spec!r}")
    spec = dict(spec)
    obj_type = str(spec.pop("type", "block")).lower()
    kind = spec.pop("kind", None)
    if obj_type in REGION_KINDS:
        kind = kind or obj_type
        obj_type = "region"
    color = spec.pop("color", None)
    size = spec.pop("size", None)
    try:
        size = float(size) if size is not None else None
    except (TypeError, ValueError):
        raise SceneError(f"object {name}: size must be a number in metres, got {size!r}") from None
    return SceneObject(pddl_name, obj_type, str(color).lower() if color else None,
                       str(kind).lower() if kind else None, size, spec)


def complete_facts(objects: Mapping[str, SceneObject], facts: Iterable[Atom],
                   domain: Domain | None = None) -> frozenset:
    """Check ``facts`` for consistency and add the derived ``clear``/``handempty``.

    Raises:
        SceneError: naming the first offending fact.
    """
    facts = set(facts)
    types = {n: o.type for n, o in objects.items()}
    for fact in sorted(facts):
        _check_fact(fact, types, domain)
    supports: dict[str, list[Atom]] = {}
    below: dict[str, list[str]] = {}
    held = []
    for fact in sorted(facts):
        if fact.predicate in SUPPORT_PREDICATES:
            supports.setdefault(fact.args[0], []).append(fact)
        if fact.predicate == "on":
            x, y = fact.args
            if x == y:
                raise SceneError(f"{fact}: a block cannot rest on itself")
            below.setdefault(y, []).append(x)
        if fact.predicate == "holding":
            held.append(fact.args[0])
    for block in (n for n, t in types.items() if t == "block"):
        found = supports.get(block, [])
        if not found:
            raise SceneError(f"block {block} has no support: say (on-table {block}), "
                             f"(on {block} OTHER), (in {block} REGION) or (holding {block})")
        if len(found) > 1:
            raise SceneError(f"block {block} is in two places at once: {found[0]} and {found[1]}")
    for support, on_top in below.items():
        if len(on_top) > 1:
            raise SceneError(f"two blocks on {support}: (on {on_top[0]} {support}) and (on {on_top[1]} {support})")
        if support in held:
            raise SceneError(f"(on {on_top[0]} {support}) while the gripper holds {support}")
    if len(held) > 1:
        raise SceneError(f"the gripper holds two things: (holding {held[0]}) and (holding {held[1]})")
    _check_no_cycles(facts)
    clear = {Atom("clear", (b,)) for b, t in types.items()
             if t == "block" and b not in below and b not in held}
    for fact in facts:
        if fact.predicate == "clear" and fact not in clear:
            raise SceneError(f"{fact} contradicts the scene: something is on {fact.args[0]} or it is held")
        if fact.predicate == "handempty" and held:
            raise SceneError(f"(handempty) contradicts (holding {held[0]})")
    facts = {f for f in facts if f.predicate not in ("clear", "handempty")} | clear
    if not held:
        facts.add(Atom("handempty"))
    return frozenset(facts)


def _check_fact(fact: Atom, types: Mapping[str, str], domain: Domain | None) -> None:
    for arg in fact.args:
        if arg not in types:
            raise SceneError(f"{fact} names unknown object {arg!r}; the scene has: {', '.join(types)}")
    if domain is None:
        return
    if fact.predicate not in domain.predicates:
        raise SceneError(f"{fact}: unknown predicate {fact.predicate!r}; "
                         f"the domain has: {', '.join(sorted(domain.predicates))}")
    params = domain.predicates[fact.predicate]
    if len(params) != len(fact.args):
        raise SceneError(f"{fact}: {fact.predicate} takes {len(params)} arguments, got {len(fact.args)}")
    for (_, ptype), arg in zip(params, fact.args):
        if not domain.is_subtype(types[arg], ptype):
            raise SceneError(f"{fact}: {arg} is a {types[arg]}, {fact.predicate} expects a {ptype}")


def _check_no_cycles(facts) -> None:
    on = {f.args[0]: f.args[1] for f in facts if f.predicate == "on"}
    for start in on:
        seen = [start]
        node = on.get(start)
        while node is not None:
            if node in seen:
                chain = " on ".join(seen[seen.index(node):] + [node])
                raise SceneError(f"blocks stacked in a cycle: {chain}")
            seen.append(node)
            node = on.get(node)


def scene_from_dict(data: Mapping, domain: Domain | None = None, name: str = "") -> Scene:
    """Build and check a scene from parsed YAML/JSON.

    Raises:
        SceneError: on any malformed or inconsistent content.
    """
    if not isinstance(data, Mapping):
        raise SceneError(f"a scene is a mapping with 'objects' and 'init', got {type(data).__name__}")
    raw_objects = data.get("objects")
    if not isinstance(raw_objects, Mapping) or not raw_objects:
        raise SceneError("a scene needs a non-empty 'objects' mapping")
    objects: dict[str, SceneObject] = {}
    for raw_name, spec in raw_objects.items():
        obj = _object_from_spec(raw_name, spec)
        if obj.name in objects:
            raise SceneError(f"object {obj.name} is named twice")
        if domain is not None and obj.type not in domain.types and obj.type != "object":
            raise SceneError(f"object {obj.name} has type {obj.type!r}; the domain knows: "
                             f"{', '.join(sorted(domain.types))}")
        objects[obj.name] = obj
    raw_init = data.get("init", [])
    if not isinstance(raw_init, (list, tuple)):
        raise SceneError("'init' must be a list of facts such as \"(on-table red)\"")
    facts = []
    for item in raw_init:
        try:
            facts.append(parse_atom(str(item)))
        except LamError as exc:
            raise SceneError(f"bad fact {item!r} in init: {exc}") from None
    return Scene(objects, complete_facts(objects, facts, domain), str(data.get("name") or name))


def read_yaml(path: Path, error: type[LamError] = SceneError, what: str = "scene"):
    """Parse a YAML file, turning I/O and syntax problems into ``error`` with the path in it."""
    try:
        return yaml.safe_load(Path(path).read_text())
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path} is not valid YAML: {exc}") from None


def load_scene(path: str | Path, domain: Domain | None = None) -> Scene:
    """Read a scene (or a scenario, which extends the scene format) from YAML.

    Raises:
        SceneError: unreadable file, bad YAML or an inconsistent scene.
    """
    path = Path(path)
    data = read_yaml(path)
    if isinstance(data, Mapping) and "scene" in data and "objects" not in data:
        data = data["scene"]
    return scene_from_dict(data, domain, name=path.stem)


def scene_from_json(text: str, domain: Domain | None = None) -> Scene:
    """Parse a scene sent as JSON (or YAML) text, e.g. on a ROS topic."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SceneError(f"scene text is neither JSON nor YAML: {exc}") from None
    return scene_from_dict(data, domain)
