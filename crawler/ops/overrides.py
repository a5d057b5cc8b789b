"""``--set NAME=VALUE``: checked against the setting's type before any work starts.

Scrapy reads a setting's value only when a component asks for it, so ``DOWNLOAD_DELAY=abc`` used to
surface as a traceback in the middle of the start-up, and the run went on or stopped depending on
who asked. Here each value is converted to the type of the setting's default (Scrapy's or
Tremplin's, the monitors' thresholds included): a value that does not convert is refused with one
line. A name no component declares is passed on as given, with a warning (a typo would otherwise
be silently ignored).
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from crawler.ops.monitors import MonitorConfig

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# The monitors read these with defaults of their own (MonitorConfig); the names follow its fields.
_MONITORS = MonitorConfig()
MONITOR_DEFAULTS = {f"TREMPLIN_MONITOR_{f.name.upper()}": getattr(_MONITORS, f.name) for f in fields(MonitorConfig)}
# Integers beyond this are no count, delay or limit anyone means (and overflow timers and SQLite).
MAX_INT = 2**53


class SettingValueError(ValueError):
    """A ``--set`` value that cannot be used; the message is one line."""


def convert(name: str, text: str, default: Any) -> Any:
    """Return ``text`` converted to the type of ``default``, or raise :class:`SettingValueError`."""
    kind = type(default)
    if default is None or kind is str:
        return text
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in _TRUE + _FALSE:
            return lowered in _TRUE
        raise SettingValueError(f"--set {name}: expected true or false, got {text!r}")
    if kind is int:
        # Delays and timeouts have integer defaults (DOWNLOAD_DELAY = 1) yet are read as numbers.
        try:
            value = int(text.strip())
        except ValueError:
            return convert(name, text, 0.0)
        if abs(value) > MAX_INT:
            raise SettingValueError(f"--set {name}: {_short(text)} is out of range")
        return value
    if kind is float:
        try:
            value = float(text.strip())
        except (ValueError, OverflowError):
            raise SettingValueError(f"--set {name}: expected a number, got {_short(text)}") from None
        if not math.isfinite(value):
            raise SettingValueError(f"--set {name}: expected a finite number, got {_short(text)}")
        if abs(value) > MAX_INT:
            raise SettingValueError(f"--set {name}: {_short(text)} is out of range")
        return value
    if isinstance(default, dict | list) or hasattr(default, "copy_to_dict"):
        expected = list if isinstance(default, list) else dict
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, expected):
            what = "a JSON list" if expected is list else "a JSON object"
            raise SettingValueError(f"--set {name}: expected {what}, got {_short(text)}")
        return value
    return text


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def check_overrides(assignments: list[str], settings: Any) -> tuple[dict[str, Any], list[str]]:
    """Return the typed overrides of ``--set`` assignments and the warnings to show.

    :raises SettingValueError: for a malformed assignment or a value of the wrong type.
    """
    overrides: dict[str, Any] = {}
    warnings: list[str] = []
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        name = name.strip()
        if not sep or not name:
            raise SettingValueError(f"--set expects NAME=VALUE, got {assignment!r}")
        if name in MONITOR_DEFAULTS:
            default = MONITOR_DEFAULTS[name]
        elif name in settings:
            default = settings.get(name)
        else:
            warnings.append(f"--set {name}: no Scrapy or Tremplin setting has this name; passed on as given")
            default = None
        overrides[name] = convert(name, text, default)
    return overrides, warnings
