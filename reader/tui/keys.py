"""Keys as Textual names them: normalising a keymap's keys, telling a key from a typo,
and showing one to a person. Light on purpose: the app checks its config's keys with
this before the first screen (reader.tui.keymap, which knows every binding, waits)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from textual.keys import Keys, _character_to_key, key_to_character

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
#: Names Textual gives keys: its special keys, and the printable characters' names
#: ("slash", "number_sign", ...).
_KEY_NAMES = frozenset(key.value for key in Keys if not key.value.startswith("<")) | frozenset(
    _character_to_key(chr(code)) for code in range(33, 127))
_SHOWN = {"question_mark": "?", "space": "space"}


class KeymapProblem(NamedTuple):
    """What is wrong with one [keymap] entry."""

    binding_id: str
    problem: str


def normalise_keys(keys: str) -> tuple[str, ...]:
    """Keys as Textual compares them ("?" is "question_mark"), in the order given."""
    return tuple(_character_to_key(key) if len(key) == 1 else key
                 for key in (piece.strip() for piece in keys.split(",")) if key)


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, normalised) is not a key Textual can report, or None."""
    *modifiers, base = key.split("+")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"{modifier!r} is not a modifier (use {', '.join(MODIFIERS[:4])})"
    if not base:
        return f"{key!r} has no key after the modifier"
    # Any Unicode name is a "key" to Textual ("banana" is the banana emoji); only the
    # names of keys a keyboard has are taken: a character other than those is written as is.
    if len(base) == 1 or base in _KEY_NAMES:
        return None
    return f"{base!r} is not a key name (such as y, Y, ctrl+y, f2, space, enter, question_mark)"


def check_keys(keymap: Mapping[str, str]) -> list[KeymapProblem]:
    """Keys that are not keys (a cheap check, for before the first screen)."""
    problems = []
    for binding_id, keys in keymap.items():
        bad = next((problem for problem in map(key_problem, normalise_keys(keys)) if problem),
                   None)
        if bad:
            problems.append(KeymapProblem(binding_id, f'"{binding_id}" = "{keys}": {bad}'))
    return problems


def shown_key(key: str) -> str:
    """One key as a person reads it: "?" rather than "question_mark"."""
    character = key_to_character(key) if "+" not in key else None
    if (character is not None and character.isprintable() and character != " "
            and (len(key) == 1 or _character_to_key(character) == key)):
        return character
    return _SHOWN.get(key, key)


def shown_keys(keys: Iterable[str]) -> str:
    """Keys as a person reads them, comma-separated."""
    return ", ".join(shown_key(key) for key in keys)
