"""Times as the logs keep them and as admins read them: one rule for every log and table.

Why: the refused-question log wrote server-local times without a zone, the audit log UTC; side by
side in the admin app they could not be compared.  Every log now stores an aware ISO time in UTC
(:func:`stamp`); every table shows it in the configured zone with the zone named (:func:`shown`,
``POLICYBOT_TIMEZONE``, default Asia/Shanghai).  Entries written before this (no zone) were written
in the server's local time and are read as such.
"""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"


def stamp() -> str:
    """Now, for a log: ``2026-12-04T18:40:00+00:00``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def zone(name: str) -> ZoneInfo:
    """The zone called ``name``; raises ``ValueError`` naming it when the system does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"未知的时区：{name}（例如 Asia/Shanghai、UTC）") from exc


def shown(value: object, zone_name: str = DEFAULT_ZONE) -> str:
    """A logged time in ``zone_name`` with the zone named: ``2026-12-05 02:40:00 Asia/Shanghai``;
    what is no time at all is returned as it is."""
    text = str(value or "")
    try:
        t = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.astimezone()  # written in the server's local time
    return f"{t.astimezone(zone(zone_name)):%Y-%m-%d %H:%M:%S} {zone_name}"
