"""How a regulation says who made it and when: the history lines under its title and a decree's head.

Regulations rarely carry a sign-off.  Their metadata stands at the top instead, in one of two shapes:

* history lines, one event each (as the national law database and its copies print them, sometimes in one
  parenthesis): ``2004年10月13日 国务院第66次常务会议通过`` / ``2004年10月20日 中华人民共和国国务院令第422号公布``
  / ``2019年2月12日 山东省第十三届人民代表大会常务委员会第十次会议批准`` / ``…修正`` / ``2004年12月1日 施行``;
* a decree's head (国务院令, 部门规章 and 地方政府规章 as published): ``中华人民共和国国务院令`` ``第444号``, the
  promulgation sentence, the signatory line ``总理 温家宝`` and the date on the line under it.

This module reads both into events; :mod:`ingest.metadata` decides what they mean for the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text.script import to_simplified
from ingest.text.wordlists import load

_CN = "一二三四五六七八九十百零〇"
_DATE = r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
# One event: its date, then what happened.  The acts are listed longest first (修正 before 正 …).
_ACTS = ("通过", "批准", "公布", "发布", "修正", "修订", "施行", "实施")
_EVENT = re.compile(rf"({_DATE})\s*(.*?)\s*({'|'.join(_ACTS)})")
_DECREE = re.compile(r"([\u4e00-\u9fff]{2,20}?)令\s*[(（]?\s*第\s*(\d{1,4})\s*号[)）]?")
# "…市第十九届人民代表大会常务委员会第十七次会议" → the standing committee; "国务院第28次常务会议" → 国务院.
_CONGRESS = re.compile(rf"^(.{{2,20}}?[省市区县州旗])?第[{_CN}\d]+届(人民代表大会常务委员会|人民代表大会)")
_MEETING = re.compile(rf"^经?(.{{2,30}}?)(?:第[{_CN}\d]+次)?"
                      r"(?:常务会议|部务会议|局务会议|委务会议|署务会议|主任会议|全体会议|会议)")
_REVISED_BY = re.compile(r"》\s*(修正|修订)\s*[)）。]?\s*$")  # revised by a named decision
ISSUE_ACTS = frozenset({"公布", "发布"})
REVISION_ACTS = frozenset({"修正", "修订"})
HEAD_LINES = 15  # history lines and a decree's head stand above the body


@dataclass(frozen=True)
class Event:
    """One dated act in a regulation's history: who (as named in the line), what, when."""

    date: str  # as written ("2004年10月20日")
    act: str  # 通过 / 批准 / 公布 / 发布 / 修正 / 修订 / 施行 / 实施
    body: str  # the acting body, normalised ("临沂市人民代表大会常务委员会", "国务院"); "" when not said
    number: str = ""  # the decree number an issue event names ("国务院令第422号")


def _body(actor: str) -> tuple[str, str]:
    """(body, decree number) of an event's actor text."""
    actor = actor.strip().removeprefix("经").strip()
    decree = _DECREE.search(actor)
    if decree:
        body = decree.group(1).removeprefix("中华人民共和国")
        return body, f"{body}令第{int(decree.group(2))}号"
    congress = _CONGRESS.match(actor)
    if congress:
        return (congress.group(1) or "") + congress.group(2), ""
    meeting = _MEETING.match(actor)
    if meeting:
        return meeting.group(1).removeprefix("中华人民共和国"), ""
    if actor and len(actor) <= 20 and not re.search(r"[，。；《]", actor):
        return actor.removeprefix("中华人民共和国"), ""  # "国务院发布" / "对外经济贸易部发布"
    return "", ""


def is_history_line(line: str) -> bool:
    """A line of a regulation's history: it opens (after a bracket) with a date followed by an act."""
    s = to_simplified(line.strip()).lstrip("（(")
    first = _EVENT.match(s)
    return bool(first and len(first.group(2)) <= 60)


def history(lines: list[str]) -> list[Event]:
    """The dated acts of the history lines in the head, in the order they are written."""
    events: list[Event] = []
    for line in lines[:HEAD_LINES]:
        if not is_history_line(line):
            continue
        s = to_simplified(line.strip())
        revised = _REVISED_BY.search(s)
        if revised and (first := _EVENT.match(s.lstrip("（("))):
            # "2019年12月27日 …通过并经2020年1月15日…批准的《…的决定》修正": one revision, dated by its first date
            events.append(Event(first.group(1), revised.group(1), _body(first.group(2))[0]))
            continue
        for m in _EVENT.finditer(s):
            if len(m.group(2)) > 60:
                continue
            body, number = _body(m.group(2)) if m.group(3) not in ("施行", "实施") else ("", "")
            events.append(Event(m.group(1), m.group(3), body, number))
    return events


_SIGNATORY = re.compile("^(" + "|".join(load("signatory_titles")) + r")[\s\u3000]*[\u4e00-\u9fff·]{2,4}$")


def is_signatory_line(line: str) -> bool:
    """"总理 李强" / "局　长　周伯华" / "总理温家宝": the official signing a decree."""
    return bool(_SIGNATORY.match(re.sub(r"[\s\u3000\u2003]+", "", to_simplified(line))))

