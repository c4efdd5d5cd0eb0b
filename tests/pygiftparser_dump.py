"""Run with a Python that has pygiftparser 1.1 (a separate environment: it pins an old Markdown that conflicts with
text2qti). Reads a GIFT file, prints what pygiftparser understood as JSON. Used by tests/test_instructor_export.py."""

import io
import json
import sys

from pygiftparser import parser

with open(sys.argv[1], encoding="utf-8") as handle:
    questions = parser.parseFile(io.StringIO(handle.read()))
out = []
for q in questions:
    item = {"title": q.title, "valid": q.valid, "category": q.cat, "kind": type(q.answers).__name__,
            "text": getattr(q, "text", ""), "general_feedback": q.generalFeedback}
    answers = getattr(q.answers, "answers", [])
    if item["kind"] == "NumericAnswerSet":
        item["numeric"] = [[a.value, a.tolerance] for a in answers]
    elif item["kind"] == "MatchingSet":
        item["pairs"] = [[a.question.strip(), a.answer.strip()] for a in answers]
    else:
        item["answers"] = [[a.answer, a.fraction, a.feedback] for a in answers]
    out.append(item)
print(json.dumps(out))
