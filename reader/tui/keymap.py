"""Every key binding with an id, where each is active, and the checks on a [keymap].

Nothing here lists readmark's screens or keys by hand: the bindings are read from
the classes in ``reader.tui`` (each ``Binding`` with an ``id`` may be remapped), so a
screen added later is covered as soon as it exists. Which bindings are active
together is worked out the same way: a screen's widgets are the widget classes its
module uses, and theirs in turn; a key press goes to the deepest of them first, then
outwards to the screen and (unless the screen is modal) the app. A remapped key is
refused where it would never reach its action on some screen where the original key
did, or where it would take the key from another action.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from reader.tui.keys import KeymapProblem, check_keys, normalise_keys, shown_key

#: Packages whose modules hold readmark's screens and widgets.
TUI_PACKAGES = ("reader.tui", "reader.tui.screens", "reader.tui.widgets", "reader.tui.reading")


@dataclass(frozen=True)
class BindingInfo:
    """One binding with an id, as declared (its default keys normalised)."""

    id: str
    keys: tuple[str, ...]
    action: str
    description: str
    owner: str  # where it acts, for people: "on the reading screen"


# ------------------------------------------------------------------- discovery
def _modules() -> list[object]:
    import importlib
    import pkgutil

    modules = []
    for package_name in TUI_PACKAGES:
        package = importlib.import_module(package_name)
        modules.append(package)
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            if not info.ispkg:
                modules.append(importlib.import_module(f"{package_name}.{info.name}"))
    return modules


@dataclass(frozen=True)
class _Node:
    cls: type
    bindings: tuple[Binding, ...]  # one per key, inherited ones included
    consumes_text: bool


@lru_cache(maxsize=1)
def _catalogue() -> tuple[tuple[BindingInfo, ...], tuple[tuple[_Node, ...], ...]]:
    """Every binding with an id, and every chain of nodes a key press goes through
    (outermost first)."""
    modules = _modules()
    defined: dict[type, object] = {}
    for module in modules:
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__):
                defined[value] = module
    nodes: dict[type, _Node] = {}

    def node(cls: type) -> _Node:
        if cls not in nodes:
            nodes[cls] = _Node(cls, tuple(_bindings_of(cls)),
                               cls.check_consume_key is not Widget.check_consume_key)
        return nodes[cls]

    def children(cls: type) -> list[type]:
        module = defined.get(cls)
        if module is None:  # Textual's own widgets: their children are not ours to know
            return []
        return [value for value in vars(module).values()
                if isinstance(value, type) and issubclass(value, Widget)
                and not issubclass(value, Screen) and not issubclass(cls, value)]

    apps = [cls for cls in defined if issubclass(cls, App)]
    chains: list[tuple[_Node, ...]] = []

    def walk(path: tuple[type, ...]) -> None:
        head = (node(apps[0]),) if apps and not issubclass(path[0], ModalScreen) else ()
        chains.append(head + tuple(node(cls) for cls in path))
        for child in children(path[-1]):
            if child not in path:
                walk((*path, child))

    for screen in (cls for cls in defined if issubclass(cls, Screen)):
        walk((screen,))
    infos: dict[str, BindingInfo] = {}
    for cls in defined:
        for binding in node(cls).bindings:
            if binding.id is None or binding.id in infos:
                if binding.id in infos and binding.key not in infos[binding.id].keys:
                    info = infos[binding.id]
                    infos[binding.id] = BindingInfo(info.id, (*info.keys, binding.key),
                                                    info.action, info.description, info.owner)
                continue
            infos[binding.id] = BindingInfo(
                binding.id, (binding.key,), binding.action,
                binding.tooltip or binding.description or binding.action, owner_name(cls))
    return tuple(sorted(infos.values(), key=lambda info: info.id)), tuple(chains)


def _bindings_of(cls: type) -> list[Binding]:
    """The bindings an instance of ``cls`` has, merged as Textual merges them: a key a
    subclass binds replaces what its bases bound to that key."""
    by_key: dict[str, list[Binding]] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, DOMNode)):
            continue
        if not klass.__dict__.get("_inherit_bindings", True):
            by_key.clear()
        own: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
            own.setdefault(binding.key, []).append(binding)
        for key in own:  # the subclass's keys, in its own order
            by_key.pop(key, None)
        by_key.update(own)
    bindings = [binding for group in by_key.values() for binding in group]
    if issubclass(cls, App) and cls.ENABLE_COMMAND_PALETTE:
        bindings.append(Binding(cls.COMMAND_PALETTE_BINDING, "command_palette",
                                "Command palette", priority=True))
    return bindings


def owner_name(cls: type) -> str:
    """Where a binding acts, for a message: "on the reading screen", "in the article
    view", "everywhere"."""
    if issubclass(cls, App):
        return "everywhere"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
    return f"on the {words}" if issubclass(cls, Screen) else f"in the {words}"


def binding_infos() -> tuple[BindingInfo, ...]:
    """Every binding with an id, sorted by id."""
    return _catalogue()[0]


# --------------------------------------------------------------------- checks
def check_keymap(keymap: Mapping[str, str]) -> list[KeymapProblem]:
    """What is wrong with ``keymap`` (binding id -> keys): unknown ids, keys that are
    not keys, and keys that clash on some screen. Empty when all is well.

    The first call imports every screen and widget module (tens of milliseconds), so
    the app runs it after its first screen is up.
    """
    if not keymap:
        return []
    infos = {info.id: info for info in binding_infos()}
    problems = check_keys(keymap)
    reported: set[str] = {problem.binding_id for problem in problems}
    normalised: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in infos:
            close = difflib.get_close_matches(binding_id, list(infos), n=1, cutoff=0.6)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(KeymapProblem(binding_id, f'"{binding_id}" is not a binding id'
                                          f"{hint}; readmark config lists them"))
            reported.add(binding_id)
        elif binding_id not in reported:
            normalised[binding_id] = normalise_keys(keys)
    # Shorter chains first: a clash with the focused view says more than one in a panel.
    for chain in sorted(_catalogue()[1], key=len):
        for problem in _chain_problems(chain, normalised, keymap):
            if problem.binding_id not in reported:
                reported.add(problem.binding_id)
                problems.append(problem)
    return problems


def _keys_in(binding: Binding, keymap: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    if binding.id is not None and binding.id in keymap:
        return keymap[binding.id]
    return (binding.key,)


def _printable(key: str) -> bool:
    character = key_to_character(key)
    return character is not None and character.isprintable() and "+" not in key


def _same(one: Binding, other: Binding) -> bool:
    """The same binding (one id, or one action) declared twice, not two bindings."""
    return (one.id is not None and one.id == other.id) or one.action == other.action


def _winner(chain: tuple[_Node, ...], key: str, keymap: Mapping[str, tuple[str, ...]],
            ) -> tuple[Binding, _Node] | None:
    """The binding a press of ``key`` reaches in this chain, or None (typed as text,
    or unbound). Priority bindings first (outermost first), then deepest first."""
    for node in chain:
        for binding in node.bindings:
            if binding.priority and key in _keys_in(binding, keymap):
                return binding, node
    for node in reversed(chain):
        for binding in node.bindings:
            if key in _keys_in(binding, keymap):
                return binding, node
        if node.consumes_text and _printable(key):
            return None
    return None


def _chain_problems(chain: tuple[_Node, ...], keymap: Mapping[str, tuple[str, ...]],
                    written: Mapping[str, str]) -> Iterable[KeymapProblem]:
    defaults: Mapping[str, tuple[str, ...]] = {}
    for node in chain:
        for binding in node.bindings:
            if binding.id not in keymap:
                continue
            # Only where the binding works with its own keys must it work with the new.
            reached = any(_reaches(_winner(chain, key, defaults), binding)
                          for key in _default_keys(chain, binding.id))
            if not reached:
                continue
            for key in keymap[binding.id]:
                won = _winner(chain, key, keymap)
                if won is None:
                    yield KeymapProblem(binding.id, f'"{binding.id}" = "{written[binding.id]}":'
                                        f" {shown_key(key)} would be typed into the text "
                                        f"box {node_name(chain)}")
                    break
                other, where = won
                if not _same(other, binding):
                    yield KeymapProblem(binding.id, _clash(binding.id, written[binding.id],
                                                           key, other, where))
                    break
                # The key reaches this binding; does it take the key from another?
                taken = _taken(chain, key, binding, keymap)
                if taken is not None:
                    other, where = taken
                    yield KeymapProblem(binding.id, _clash(binding.id, written[binding.id],
                                                           key, other, where))
                    break


def _default_keys(chain: tuple[_Node, ...], binding_id: str | None) -> list[str]:
    return [binding.key for node in chain for binding in node.bindings
            if binding.id == binding_id]


def _reaches(won: tuple[Binding, _Node] | None, binding: Binding) -> bool:
    return won is not None and _same(won[0], binding)


def _taken(chain: tuple[_Node, ...], key: str, binding: Binding,
           keymap: Mapping[str, tuple[str, ...]]) -> tuple[Binding, _Node] | None:
    """Another binding that ``key`` reached before the keymap and no longer does."""
    before = _winner(chain, key, {})
    if before is None or _same(before[0], binding):
        return None
    other = before[0]
    if other.id is not None and other.id in keymap and key not in keymap[other.id]:
        return None  # that binding was given other keys: the key is free
    return before


def _clash(binding_id: str, written: str, key: str, other: Binding, where: _Node) -> str:
    what = other.description or other.action
    name = f" ({other.id})" if other.id else ""
    return (f'"{binding_id}" = "{written}": {shown_key(key)} already does {what}{name} '
            f"{owner_name(where.cls)}")


def node_name(chain: tuple[_Node, ...]) -> str:
    screen = next((node.cls for node in chain if issubclass(node.cls, Screen)), None)
    return owner_name(screen) if screen is not None else ""
