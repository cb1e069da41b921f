"""What residents read about their street reports: places, states and progress notices."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.hours import say_time
from bot.report_values import STATES
from bot.reports import Report
from bot.typography import french
from calendar_store.wording import MONTHS


def place_of(report: Report) -> str:
    """ "rue des Lilas", or "près de la position partagée" for a report without a street."""
    return report.street or "à l’endroit indiqué"


def public_text(report: Report, category: str) -> str:
    """What the public reads of a report (Open311): the text an agent approved, or a neutral
    sentence made from its category and place; never the resident's own words, which may
    name them, a neighbour or a phone number."""
    if report.public_description:
        return report.public_description
    where = report.street or "près de la position indiquée"
    return french(f"Signalement « {category} », {where}.")


def when(moment: Any, tz: ZoneInfo) -> str:
    """ "le 28 novembre à 21h"."""
    local = moment.astimezone(tz)
    day = "1er" if local.day == 1 else str(local.day)
    return f"le {day} {MONTHS[local.month - 1]} à {say_time(local.time())}"


def history(report: Report, tz: ZoneInfo) -> list[str]:
    """Each change of a report, oldest first: "pris en compte le 29 novembre à 9h"."""
    lines = []
    for change in report.changes:
        line = f"{STATES[change.status]} {when(change.at, tz)}"
        if change.comment:
            line += f" ({change.comment.rstrip('.')})"
        lines.append(line)
    return lines
