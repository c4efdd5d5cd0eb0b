"""The quiz as self-contained HTML (+ a little JavaScript, no CDN) for readers without a kernel (nbviewer, static
HTML, an untrusted notebook in JupyterLab).

Every question and choice is readable even where scripts are stripped. In practice mode, where scripts run, a reader
can check an answer: the page holds only salted SHA-256 hashes of the right answers (computed here, compared in the
browser by a small SHA-256 in plain JavaScript, because ``crypto.subtle`` is missing on plain-http pages). That stops
casual spoilers, not a determined reader (few choices are easy to brute-force): graded work uses assessment mode,
whose HTML has no hashes at all. Explanations are never in this HTML; they need the live quiz.

Element ids derive from bank and question ids (nothing random), so the HTML is identical on every run (nbval).
"""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache

from ketamine_course.live.static_twin import STATIC_TWIN_MARKER
from ketamine_course.markdown import render_markdown
from ketamine_course.quiz.bank import Bank, MatchingQuestion, MultipleAnswerQuestion, Question, SingleChoiceQuestion
from ketamine_course.quiz.public import PublicQuestion

LEFT_CELL = 'style="text-align:left;vertical-align:middle;padding:0.2em 1em 0.2em 0"'
NO_KERNEL_NUMERIC = "Checking a number needs the live quiz: run this notebook in JupyterLab or on Binder."
STATIC_NOTE_PRACTICE = (
    "Reading without a running kernel? You can still check single-choice, multiple-answer and matching questions "
    "here. Explanations and sources appear in the live quiz (run the notebook in JupyterLab or on Binder)."
)
STATIC_NOTE_ASSESSMENT = "Assessment: answer in the live notebook and press Submit. No answers are shown here."

CSS = """
.course-quiz{border:1px solid #bbb;border-radius:6px;padding:0.6em 1em;margin:0.5em 0;max-width:60em;}
.course-quiz fieldset{border:none;border-top:1px solid #ddd;margin:0.6em 0;padding:0.4em 0;}
.course-quiz legend{font-weight:bold;padding:0 0.3em 0 0;}
.course-quiz label{display:block;margin:0.15em 0;}
.course-quiz .course-quiz-note{color:#444;font-size:0.92em;}
.course-quiz .course-quiz-feedback{font-weight:bold;min-height:1.2em;}
.course-quiz button{margin-top:0.3em;}
.course-quiz table{border-collapse:collapse;margin:0;}
.course-quiz td{padding:0.15em 0.6em 0.15em 0;text-align:left;}
"""


def _sha256_round_constants() -> list[int]:
    """SHA-256's K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes (exact)."""
    primes: list[int] = []
    candidate = 2
    while len(primes) < 64:
        if all(candidate % p for p in primes):
            primes.append(candidate)
        candidate += 1

    def icbrt(n: int) -> int:
        x = round(n ** (1 / 3))
        while x**3 > n:
            x -= 1
        while (x + 1) ** 3 <= n:
            x += 1
        return x

    return [icbrt(p << 96) & 0xFFFFFFFF for p in primes]


@lru_cache(maxsize=1)
def quiz_script() -> str:
    """The page script: a SHA-256 (checked against hashlib by the browser tests) and the answer checker."""
    k = ",".join(f"0x{c:08x}" for c in _sha256_round_constants())
    return (
        """(function(){
if(!window.courseQuizCheck){
var K=[__K__];
function rr(v,a){return (v>>>a)|(v<<(32-a));}
function sha256hex(text){
 var b=new TextEncoder().encode(text),l=b.length,n=((l+9+63)>>6)<<6,m=new Uint8Array(n);m.set(b);m[l]=0x80;
 var bits=l*8;m[n-4]=(bits>>>24)&255;m[n-3]=(bits>>>16)&255;m[n-2]=(bits>>>8)&255;m[n-1]=bits&255;
 var H=[0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19],w=new Array(64),t;
 for(var i=0;i<n;i+=64){
  for(t=0;t<16;t++){w[t]=(m[i+4*t]<<24)|(m[i+4*t+1]<<16)|(m[i+4*t+2]<<8)|m[i+4*t+3];}
  for(t=16;t<64;t++){var s0=rr(w[t-15],7)^rr(w[t-15],18)^(w[t-15]>>>3),s1=rr(w[t-2],17)^rr(w[t-2],19)^(w[t-2]>>>10);
   w[t]=(w[t-16]+s0+w[t-7]+s1)|0;}
  var a=H[0],c=H[2],d=H[3],e=H[4],f=H[5],g=H[6],h=H[7],bb=H[1];
  for(t=0;t<64;t++){var t1=(h+(rr(e,6)^rr(e,11)^rr(e,25))+((e&f)^(~e&g))+K[t]+w[t])|0;
   var t2=((rr(a,2)^rr(a,13)^rr(a,22))+((a&bb)^(a&c)^(bb&c)))|0;h=g;g=f;f=e;e=(d+t1)|0;d=c;c=bb;bb=a;a=(t1+t2)|0;}
  H[0]=(H[0]+a)|0;H[1]=(H[1]+bb)|0;H[2]=(H[2]+c)|0;H[3]=(H[3]+d)|0;H[4]=(H[4]+e)|0;H[5]=(H[5]+f)|0;H[6]=(H[6]+g)|0;
  H[7]=(H[7]+h)|0;}
 return H.map(function(x){return ('00000000'+(x>>>0).toString(16)).slice(-8);}).join('');}
window.courseQuizSha256=sha256hex;
window.courseQuizCheck=function(form){ /* form: the question's container */
 var salt=form.getAttribute('data-salt'),type=form.getAttribute('data-type');
 var out=form.querySelector('.course-quiz-feedback');
 var show=function(ok,text){out.textContent=(ok?'\\u2714 ':'\\u2718 ')+text;};
 if(type==='single'||type==='multiple'){
  var ids=[];form.querySelectorAll('input:checked').forEach(function(x){ids.push(x.value);});
  if(!ids.length){out.textContent='Choose an answer first.';return;}
  ids.sort();var ok=sha256hex(salt+'|'+ids.join(','))===form.getAttribute('data-answer');
  show(ok,ok?'Correct.':'Not correct yet: try again.');
 }else if(type==='matching'){
  var hashes=form.getAttribute('data-answer').split(','),right=0,total=0,blank=false;
  form.querySelectorAll('select').forEach(function(s){total++;if(!s.value){blank=true;}
   if(hashes.indexOf(sha256hex(salt+'|'+s.name+'='+s.value))>=0){right++;}});
  if(blank){out.textContent='Match every item first.';return;}
  show(right===total,right+' of '+total+' matched correctly'+(right===total?'.':': try again.'));
 }
};
}
document.querySelectorAll('.course-quiz .course-quiz-check').forEach(function(b){
 if(b.getAttribute('data-bound')){return;}
 b.setAttribute('data-bound','1');
 b.addEventListener('click',function(){window.courseQuizCheck(b.closest('.course-quiz-question'));});
});
})();"""
    ).replace("__K__", k)


def _salt(bank: Bank, question_id: str) -> str:
    return hashlib.sha256(f"{bank.fingerprint}|{question_id}".encode()).hexdigest()[:16]


def answer_hash(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}|{token}".encode()).hexdigest()


def _answer_attributes(bank: Bank, question: Question) -> str:
    salt = _salt(bank, question.id)
    if isinstance(question, SingleChoiceQuestion | MultipleAnswerQuestion):
        value = answer_hash(salt, ",".join(sorted(question.correct_ids)))
    elif isinstance(question, MatchingQuestion):
        value = ",".join(sorted(answer_hash(salt, f"{i.id}={i.answer}") for i in question.items))
    else:
        return ""
    return f' data-salt="{salt}" data-answer="{value}"'


def _dom_id(*parts: str) -> str:
    return "cq-" + "-".join(parts)


def question_html(view: PublicQuestion, dom_prefix: str, answer_attributes: str = "", checkable: bool = False) -> str:
    qid = _dom_id(dom_prefix, view.id)
    prompt = render_markdown(view.prompt)
    parts = [f'<div class="course-quiz-question" id="{qid}" data-type="{view.type}"{answer_attributes}>',
             f"<fieldset><legend>Question {view.number} <small>({view.difficulty})</small></legend>", prompt]
    if view.type in ("single", "multiple"):
        kind = "radio" if view.type == "single" else "checkbox"
        if view.type == "multiple":
            parts.append("<p><em>Select all that apply.</em></p>")
        for choice_id, text in view.choices:
            parts.append(f'<label><input type="{kind}" name="{qid}" value="{html.escape(choice_id)}"> '
                         f"{render_markdown(text, inline=True)}</label>")
    elif view.type == "numeric":
        parts.append(f'<label>Answer <input type="text" inputmode="decimal" name="{qid}-value" size="10"> '
                     f"{html.escape(view.unit or '')}</label>")
    elif view.type == "matching":
        options = "".join(f'<option value="{html.escape(o)}">{html.escape(t)}</option>' for o, t in view.options)
        # notebook CSS right-aligns table cells: items read as a left-aligned list, each with its dropdown
        parts.append('<table class="course-quiz-matching" style="margin-left:0">')
        for item_id, text in view.items:
            select_id = f"{qid}-{item_id}"
            parts.append(f'<tr><td {LEFT_CELL}><label for="{select_id}">{render_markdown(text, inline=True)}</label>'
                         f'</td><td {LEFT_CELL}><select id="{select_id}" name="{html.escape(item_id)}">'
                         f'<option value="">— choose —</option>{options}</select></td></tr>')
        parts.append("</table>")
    parts.append("</fieldset>")
    if checkable and view.type != "numeric":
        parts.append('<button type="button" class="course-quiz-check">Check</button>')
    if checkable and view.type == "numeric":
        parts.append(f'<p class="course-quiz-note">{html.escape(NO_KERNEL_NUMERIC)}</p>')
    parts.append('<p class="course-quiz-feedback" role="status" aria-live="polite"></p></div>')
    return "\n".join(parts)


def quiz_html(
    title: str,
    views: list[PublicQuestion],
    dom_prefix: str,
    bank: Bank | None = None,
    questions: list[Question] | None = None,
) -> str:
    """The whole quiz. With ``bank`` and ``questions`` (practice), questions carry answer hashes and Check buttons;
    without them (assessment) the HTML holds questions and choices only."""
    practice = bank is not None and questions is not None
    by_id = {q.id: q for q in questions} if practice else {}
    body = [
        question_html(v, dom_prefix, _answer_attributes(bank, by_id[v.id]) if practice else "", checkable=practice)
        for v in views
    ]
    note = STATIC_NOTE_PRACTICE if practice else STATIC_NOTE_ASSESSMENT
    script = f"<script>{quiz_script()}</script>" if practice else ""
    return (
        f'<div class="course-quiz" id="{_dom_id(dom_prefix)}" data-course-quiz="{html.escape(dom_prefix)}" '
        f'{STATIC_TWIN_MARKER}="quiz">'
        f"<style>{CSS}</style><h3>{html.escape(title)}</h3>"
        f'<p class="course-quiz-note">{html.escape(note)}</p>\n' + "\n".join(body) + f"\n{script}</div>"
    )


def quiz_plain_text(title: str, views: list[PublicQuestion]) -> str:
    """A readable plain-text form (GitHub previews, terminals, an untrusted notebook's text/plain)."""
    lines = [title, "=" * len(title)]
    for v in views:
        lines.append(f"\nQuestion {v.number} ({v.difficulty}): {v.prompt.strip()}")
        if v.type == "multiple":
            lines.append("  (select all that apply)")
        for letter, (_, text) in zip("abcdefghijklmnop", v.choices, strict=False):
            lines.append(f"  {letter}) {text}")
        if v.type == "numeric":
            lines.append(f"  answer in {v.unit}")
        if v.items:
            lines.append("  match each item with one option: " + "; ".join(t for _, t in v.options))
            lines += [f"  - {text}" for _, text in v.items]
    return "\n".join(lines)
