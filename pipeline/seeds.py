"""Reading `seeds/*.toml`: what to watch, on which schedule, and where to send what changed.

Seeds are the user's contract with keika, so every mistake in them is reported with the file,
the line and the key, and unknown keys are errors rather than silently ignored typos.
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.domain.errors import SeedError
from pipeline.domain.seed import DEFAULTS_ONLY_KEYS, PAGE_DEFAULTS, PAGE_ONLY_KEYS, Seed, SeedSet
from pipeline.schedules import SCHEDULE_HELP, check_schedule
from pipeline.selectors import Selectors  # it owns what a valid profile is

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
SELECTOR_KEYS = ("content", "entry", "date", "body", "title", "updated", "page_id")
# `${NAME}` in a notify target: expanded from the environment only when sending.
SECRET_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MASK = "***"
# A host name as allow_hosts takes it (compared with a redirect's host): no scheme, port, path.
HOST_RE = re.compile(r"^[^\s/:@?#\[\]]+$")
_URL_BAD_CHARS_RE = re.compile(r"[\s\x00-\x1f\x7f]")

log = logging.getLogger("keika.seeds")


def literal_password(target: str) -> bool:
    """Whether a URL carries its password in clear (not `${NAME}`, not already masked)."""
    try:
        password = urlsplit(target).password
    except ValueError:
        return False
    return bool(password) and password != MASK and not SECRET_RE.fullmatch(password or "")


def mask_password(target: str) -> str:
    """The URL with a literal password replaced by `***` (anything else unchanged)."""
    if not literal_password(target):
        return target
    parts = urlsplit(target)
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:{MASK}@{host}").geturl()


def default_seeds_path() -> Path:
    return Path("seeds")


def load_seeds(path: Path | str | None = None) -> SeedSet:
    """Load one TOML file, or every `*.toml` in a folder (sorted), into a SeedSet."""
    path = Path(path) if path is not None else default_seeds_path()
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise SeedError(f"{path}: no *.toml seed files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise SeedError(f"{path}: no such seed file or folder")
    seeds: list[Seed] = []
    contact: str | None = None
    for file in files:
        file_set = _load_file(file)
        seeds.extend(file_set.seeds)
        contact = contact or file_set.contact
    seen: dict[str, str] = {}
    for seed in seeds:
        if seed.key in seen:
            raise SeedError(
                f"{seed.source}: key {seed.key!r} is already used by a page in {seen[seed.key]}"
            )
        seen[seed.key] = seed.source
    return SeedSet(tuple(seeds), contact, tuple(str(f) for f in files))


def _load_file(file: Path) -> SeedSet:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SeedError(f"{file}: cannot read the seed file ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedError(
            f"{file}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the seed file as UTF-8 (TOML requires it)"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{file}: {exc}") from exc
    locate = _Locator(file, text)
    unknown = set(data) - {"page", "defaults"}
    if unknown:
        name = sorted(unknown)[0]
        raise SeedError(
            f"{locate(name)}: unknown table or key {name!r} (expected [defaults] and [[page]])"
        )
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SeedError(f"{locate('defaults')}: [defaults] must be a table")
    for name in defaults:
        if name not in PAGE_DEFAULTS and name not in DEFAULTS_ONLY_KEYS:
            raise SeedError(f"{locate(name, 'defaults')}: unknown key {name!r} in [defaults]")
    merged_defaults = {**PAGE_DEFAULTS, **{k: v for k, v in defaults.items() if k in PAGE_DEFAULTS}}
    contact = defaults.get("contact")
    if contact is not None and not (
        isinstance(contact, str) and (contact.startswith("mailto:") or "@" in contact)
    ):
        _check_url(contact, lambda: locate("contact", "defaults"), "contact")
    pages = data.get("page", [])
    if not isinstance(pages, list):
        raise SeedError(f"{locate('page')}: use [[page]] (an array of tables), not [page]")
    seeds = [
        _make_seed(raw, merged_defaults, file, lambda key, i=i: locate(key, "page", i))
        for i, raw in enumerate(pages)
    ]
    return SeedSet(tuple(seeds), contact)


def _make_seed(raw: dict[str, Any], defaults: dict[str, Any], file: Path, where) -> Seed:  # type: ignore[no-untyped-def]
    for name in raw:
        if name not in PAGE_DEFAULTS and name not in PAGE_ONLY_KEYS:
            raise SeedError(f"{where(name)}: unknown key {name!r} in [[page]]")
    for name in PAGE_ONLY_KEYS:
        if name not in raw:
            raise SeedError(f"{where(None)}: [[page]] needs a {name!r}")
    values = {**defaults, **raw}
    key = values["key"]
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise SeedError(
            f"{where('key')}: key {key!r} must be lowercase letters, digits, '-', '_' or '.'"
        )
    _check_url(values["url"], lambda: where("url"), "url")
    checks: dict[str, tuple[type | tuple[type, ...], str]] = {
        "schedule": (str, "a cron expression or 'every 30m'"),
        "timezone": (str, "a timezone name such as 'Asia/Tokyo'"),
        "notify": (list, "a list of Apprise URLs"),
        "selectors": (dict, "a table of CSS selectors"),
        "obey_robots": (bool, "true or false"),
        "allow_hosts": (list, "a list of host names"),
        "timeout": ((int, float), "a number of seconds"),
        "max_size": (int, "a number of bytes"),
        "fail_alert_after": (int, "a whole number of crawls"),
        "notify_moved": (bool, "true or false"),
        "notify_page": (bool, "true or false"),
        "enabled": (bool, "true or false"),
        "name": ((str, type(None)), "a string"),
    }
    for name, (kind, what) in checks.items():
        value = values[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SeedError(f"{where(name)}: {name} must be {what}, not {value!r}")
    if isinstance(values["notify"], list) and not all(isinstance(u, str) for u in values["notify"]):
        raise SeedError(f"{where('notify')}: notify must be a list of strings")
    for target in values["notify"]:
        if literal_password(target):
            log.warning(
                "%s: notify target %s holds a password in clear: use ${NAME} and set NAME in "
                "the environment (the outbox keeps it masked and reads it from here when sending)",
                where("notify"),
                mask_password(target),
            )
    for host in values["allow_hosts"]:
        if not isinstance(host, str) or not HOST_RE.match(host):
            raise SeedError(
                f"{where('allow_hosts')}: allow_hosts must be a list of host names "
                f"(such as 'www.city.example.jp'), not {host!r} in it"
            )
    if not math.isfinite(values["timeout"]):
        raise SeedError(
            f"{where('timeout')}: timeout must be a finite number of seconds, "
            f"not {values['timeout']!r}"
        )
    for name in values["selectors"]:
        if name not in SELECTOR_KEYS:
            raise SeedError(
                f"{where('selectors')}: unknown selector {name!r} "
                f"(known: {', '.join(SELECTOR_KEYS)})"
            )
    if values["selectors"]:
        try:
            Selectors.from_mapping(values["selectors"])
        except SeedError as exc:
            raise SeedError(f"{where('selectors')}: {exc}") from exc
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SeedError(f"{where('timezone')}: unknown timezone {values['timezone']!r}") from exc
    problem = check_schedule(values["schedule"], values["timezone"])
    if problem:
        raise SeedError(
            f"{where('schedule')}: page {key!r}: bad schedule {values['schedule']!r} "
            f"({SCHEDULE_HELP}): {problem}"
        )
    if values["timeout"] <= 0 or values["max_size"] <= 0 or values["fail_alert_after"] < 1:
        bad = next(n for n in ("timeout", "max_size", "fail_alert_after") if values[n] <= 0)
        raise SeedError(f"{where(bad)}: {bad} must be positive")
    return Seed(
        key=key,
        url=values["url"],
        schedule=values["schedule"].strip(),
        timezone=values["timezone"],
        notify=tuple(values["notify"]),
        selectors=dict(values["selectors"]),
        obey_robots=values["obey_robots"],
        allow_hosts=tuple(values["allow_hosts"]),
        timeout=float(values["timeout"]),
        max_size=values["max_size"],
        fail_alert_after=values["fail_alert_after"],
        notify_moved=values["notify_moved"],
        notify_page=values["notify_page"],
        enabled=values["enabled"],
        name=values["name"],
        source=str(file),
    )


def _check_url(value: Any, where, name: str) -> None:  # type: ignore[no-untyped-def]
    if isinstance(value, str) and _URL_BAD_CHARS_RE.search(value):
        raise SeedError(
            f"{where()}: {name} {value!r} contains a space or control character "
            "(write a space as %20)"
        )
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        port_ok = parts is not None and (parts.port is None or parts.port > 0)
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise SeedError(f"{where()}: {name} must be an http(s) URL, not {value!r}")


class _Locator:
    """Finds the line a key stands on, so errors can say `file:line`."""

    def __init__(self, file: Path, text: str) -> None:
        self.file = file
        self.lines = text.splitlines()
        # Line numbers (1-based) where each [[page]] / [defaults] header stands.
        self.pages = [i + 1 for i, ln in enumerate(self.lines) if ln.strip() == "[[page]]"]
        self.defaults = next(
            (i + 1 for i, ln in enumerate(self.lines) if ln.strip() == "[defaults]"), None
        )

    def __call__(self, key: str | None, table: str | None = None, index: int = 0) -> str:
        start, end = 1, len(self.lines)
        if table == "page" and index < len(self.pages):
            start = self.pages[index]
            later = [n for n in (*self.pages[index + 1 :], self.defaults or 0) if n > start]
            end = min(later) - 1 if later else len(self.lines)
        elif table == "defaults" and self.defaults:
            start = self.defaults
            later = [n for n in self.pages if n > start]
            end = min(later) - 1 if later else len(self.lines)
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*[=.]|^\s*\[+\s*{re.escape(key)}\b")
            for number in range(start, end + 1):
                if pattern.search(self.lines[number - 1]):
                    return f"{self.file}:{number}"
        return f"{self.file}:{start}"
