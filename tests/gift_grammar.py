"""A strict reader for Moodle's GIFT format, written for the tests from the format's description — independent of
the course's writer (which it checks). Strict: an unknown escape, an unescaped control character inside text, an
unclosed brace or an answer block of no known type is an error (raise GiftSyntaxError naming the line).

Grammar handled (the subset the course writes, plus what would make a mistake visible):
    // comment line
    $CATEGORY: path
    ::title::[format]question text {answers}
answers: ``=right`` / ``~wrong`` with optional ``%weight%`` and ``#feedback``; matching ``=item -> option``;
numeric ``#value:tolerance`` or ``#min..max``; general feedback ``####text``. Questions are separated by blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CONTROL = set("~=#{}:")
ESCAPABLE = CONTROL | {"\\", "n"}


class GiftSyntaxError(ValueError):
    pass


@dataclass
class GiftAnswer:
    right: bool
    weight: float | None
    text: str
    feedback: str | None


@dataclass
class GiftQuestion:
    line: int
    category: str | None
    title: str
    text_format: str | None
    text: str
    kind: str  # "choice", "matching", "numeric"
    answers: list[GiftAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    numeric: tuple[float, float] | None = None
    general_feedback: str | None = None


def _chars(text: str, line: int) -> list[tuple[str, bool]]:
    """(character, escaped) pairs; an unknown escape is an error."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            if i + 1 >= len(text) or text[i + 1] not in ESCAPABLE:
                raise GiftSyntaxError(f"line {line}: unknown escape {text[i:i + 2]!r}")
            out.append(("\n" if text[i + 1] == "n" else text[i + 1], True))
            i += 2
        else:
            out.append((text[i], False))
            i += 1
    return out


def _plain(chars: list[tuple[str, bool]], line: int, what: str, allow: str = "") -> str:
    for c, escaped in chars:
        if not escaped and c in CONTROL and c not in allow:
            raise GiftSyntaxError(f"line {line}: unescaped {c!r} in {what}")
    return "".join(c for c, _ in chars).strip()


def _split(chars: list[tuple[str, bool]], seps: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Split at unescaped separator characters, keeping which one started each part."""
    parts: list[tuple[str, list[tuple[str, bool]]]] = [("", [])]
    for c, escaped in chars:
        if not escaped and c in seps:
            parts.append((c, []))
        else:
            parts[-1][1].append((c, escaped))
    return parts


def _find(chars: list[tuple[str, bool]], target: str) -> int:
    for i in range(len(chars) - len(target) + 1):
        if all(chars[i + j] == (t, False) for j, t in enumerate(target)):
            return i
    return -1


def _parse_block(block: str, line: int, category: str | None) -> GiftQuestion:
    chars = _chars(block, line)
    if chars[:2] != [(":", False), (":", False)]:
        raise GiftSyntaxError(f"line {line}: a question must start with ::title::")
    end_title = _find(chars[2:], "::")
    if end_title < 0:
        raise GiftSyntaxError(f"line {line}: title not closed with ::")
    title = _plain(chars[2:2 + end_title], line, "title")
    rest = chars[4 + end_title:]
    text_format = None
    if rest and rest[0] == ("[", False):
        close = next(i for i, (c, _) in enumerate(rest) if c == "]")
        text_format = "".join(c for c, _ in rest[1:close])
        if text_format not in ("html", "markdown", "plain", "moodle"):
            raise GiftSyntaxError(f"line {line}: unknown text format [{text_format}]")
        rest = rest[close + 1:]
    opens = [i for i, (c, e) in enumerate(rest) if c == "{" and not e]
    closes = [i for i, (c, e) in enumerate(rest) if c == "}" and not e]
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        raise GiftSyntaxError(f"line {line}: expected exactly one {{answers}} block")
    if _plain(rest[closes[0] + 1:], line, "text after the answers"):
        raise GiftSyntaxError(f"line {line}: text after the answer block")
    text = _plain(rest[: opens[0]], line, "question text")
    inner = rest[opens[0] + 1: closes[0]]
    general = None
    at = _find(inner, "####")
    if at >= 0:
        general = _plain(inner[at + 4:], line, "general feedback")
        inner = inner[:at]
    question = GiftQuestion(line, category, title, text_format, text, "choice", general_feedback=general)
    stripped = [(c, e) for c, e in inner]
    while stripped and stripped[0][0].isspace():
        stripped.pop(0)
    if stripped and stripped[0] == ("#", False):
        question.kind = "numeric"
        body = _plain(stripped[1:], line, "numeric answer", allow=":")
        match = re.fullmatch(r"(-?[\d.]+(?:e-?\d+)?):([\d.]+(?:e-?\d+)?)", body)
        if not match:
            raise GiftSyntaxError(f"line {line}: numeric answer {body!r} is not value:tolerance")
        question.numeric = (float(match[1]), float(match[2]))
        return question
    parts = _split(inner, "=~")
    if _plain(parts[0][1], line, "answer block"):
        raise GiftSyntaxError(f"line {line}: text before the first answer")
    for sep, part in parts[1:]:
        arrow = _find(part, "->")
        if arrow >= 0:
            if sep != "=":
                raise GiftSyntaxError(f"line {line}: a matching pair must start with '='")
            question.kind = "matching"
            question.pairs.append((_plain(part[:arrow], line, "matching item"),
                                   _plain(part[arrow + 2:], line, "matching option")))
            continue
        weight = None
        if part and part[0] == ("%", False):
            close = next((i for i, (c, e) in enumerate(part[1:], 1) if c == "%" and not e), -1)
            if close < 0:
                raise GiftSyntaxError(f"line {line}: weight not closed with %")
            weight = float("".join(c for c, _ in part[1:close]))
            part = part[close + 1:]
        pieces = _split(part, "#")
        if len(pieces) > 2:
            raise GiftSyntaxError(f"line {line}: more than one feedback in an answer")
        feedback = _plain(pieces[1][1], line, "feedback") if len(pieces) == 2 else None
        question.answers.append(GiftAnswer(sep == "=", weight, _plain(pieces[0][1], line, "answer"), feedback))
    if question.kind == "matching" and question.answers:
        raise GiftSyntaxError(f"line {line}: matching pairs mixed with choices")
    if question.kind == "choice" and len(question.answers) < 2:
        raise GiftSyntaxError(f"line {line}: a choice question needs at least two answers")
    return question


def parse_gift(text: str) -> list[GiftQuestion]:
    questions, category = [], None
    block: list[str] = []
    start = 0

    def flush() -> None:
        if block:
            questions.append(_parse_block("\n".join(block), start, category))
            block.clear()

    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        line = raw.rstrip()
        if line.startswith("//"):
            continue
        if line.startswith("$CATEGORY:"):
            flush()
            category = line.removeprefix("$CATEGORY:").strip()
            continue
        if not line.strip():
            flush()
            continue
        if not block:
            start = number
        block.append(line)
    return questions
