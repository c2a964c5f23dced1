"""Rules-based screening of member text for triage: ``crisis``, ``concern`` or ``none``.

``screen(text, language)`` is pure (no Django, no I/O, no model) and fast enough to run on
every post and message. It helps humans triage; it never blocks, hides or delays anything
a person writes, and it never stands between a person and help (ARCHITECTURE.md §4).

Levels
------
``crisis``  someone should look now: suicidal or self-harm intent (including passive wishes
            to be dead and recent attempts), an overdose happening now or planned, intent to
            harm someone, a goodbye message, or someone else at risk *right now* ("my friend
            is not breathing", "she says she wants to kill herself").
``concern`` a peer should check in: strong cravings, thinking about using, a recent return to
            use, hopelessness, isolation, risky situations (a dealer, a bought bottle), a
            recent overdose or suicide of someone close, and the softened crisis cases below.
``none``    everything else, including idioms, recovery stories about the distant past and
            harm-reduction talk ("how do I use Narcan?").

Every flagged message lists its reasons: ``Reason(rule, phrase)`` where ``phrase`` is the
matched text exactly as written (original case, accents and spelling) and ``rule`` is the
rule name, with a qualifier when context changed the level:

``suicidal_intent``, ``self_harm``, ``overdose``, ``overdose_emergency``, ``harm_to_others``,
``others_at_risk``, ``goodbye``, ``method_research``, ``means``, ``suicide_plan``,
``preparation``, ``burden`` (crisis rules); ``recent_overdose``, ``craving``,
``return_to_use``, ``risky_situation``, ``hopelessness``, ``isolation`` (concern rules).
Qualifiers: ``.negated`` ("I'm not going to kill myself, don't worry"), ``.joking`` ("kms lol
this homework"), ``.recent`` (a past event within days: "tried to kill myself last night"
stays crisis; "my friend od'd last week" is concern), ``.past`` (a past event with no time
given: "my cousin killed himself" is concern).

How a careful human triager was modelled (decisions for the hard cases)
----------------------------------------------------------------------
* **Negation softens, it does not clear.** A negated crisis statement ("I'm not going to kill
  myself, don't worry", "I would never hurt myself but...", "sometimes I think about suicide
  but I'd never do it", "...but I'm safe tonight") is ``concern``: the person raised it, so a
  peer should check in, but it is not an alarm. Negation is looked for in the same clause
  (up to about six words before the match; "not okay", "not sure", "can't stop", "no one" are
  not negations), and "safety statements" up to 80 characters after the match. A negated
  *concern* ("no cravings today", "I'm not hopeless anymore", "I don't feel lonely since...")
  is ``none``, as is a negated crisis phrase with "anymore/no longer" ("I don't want to die
  anymore"). A hedge right after the negation ("I'm not going to use tonight... probably")
  cancels it.
* **Time.** Markers of the distant past ("two years ago", "used to", "in 2016", "when I was
  using", "rock bottom", "last year", "hace dos años", "antes") in the same clause turn a match
  off: recovery stories are ``none``. For a verb in the past tense ("overdosed", "tried to",
  "wanted to", "tuve") the whole sentence counts, and so do recovery markers anywhere in the
  message ("grateful", "5 years clean", "my story", "survived"). Present intent is never
  turned off by a sobriety date elsewhere ("I'm 2 years clean and I want to die" is crisis).
  Thoughts "creeping back"/"coming back" later in the message undo the distant-past reading.
  Recent past (yesterday, last night, last week, on Saturday, three weeks ago) keeps a suicide
  attempt or self-harm at ``crisis`` but makes an overdose, a threat or someone else's death
  ``concern``; "20 minutes ago", "just" and "right now" count as now. "I took a whole bottle
  of my pills" is crisis (that is how people report an overdose in progress); "I overdosed"
  with no time is ``concern``, "my friend od'd last week" is ``concern``.
* **Other people.** Someone else in danger *now* is ``crisis`` (the writer needs help
  helping them: naloxone, 911, 988). Someone else's past overdose or suicide is ``concern``
  when recent or undated (grief and exposure raise risk), ``none`` when distant. Talk about
  the topic (documentaries, Overdose Awareness Day, suicide-prevention training, "Suicide
  Squad") is ``none``.
* **Idioms** are masked before matching: "killing me", "dying to see you", "killed it",
  "to die for", "I'd rather die than...", "scared me to death", "od'd on cookies",
  "me muero de hambre", "me está matando", accidents ("cut myself shaving"). Idioms about a
  substance are still cravings ("I'd kill for a drink", "dying for a drink").
* **Jokes.** With a laughing marker (lol, haha, jaja, 😂, 💀) and no "not joking", suicide or
  self-harm talk is ``concern`` (on a recovery platform a joke about killing yourself still
  merits a check-in) and a threat to someone else is dropped ("gonna kill my brother if he
  eats my leftovers 😂" is ``none``).
* **Combinations, not just phrases.** Some signs count only together: a place or a means
  ("standing on the overpass", "holding my dad's gun") with despair or intent anywhere in the
  message; a veiled plan ("I'm going to fix that tonight", "I know what I have to do.") with
  despair; signs of an overdose ("can't feel my face", "he's blue", "gurgling", "won't
  respond") with talk of taking something. Alone, each is too common to be an alarm.
* **Goodbye messages** need finality, not just a farewell: a strong sign ("this is goodbye",
  "by the time you read this", "won't be around much longer", "tell my kids I love them") or
  two signs of finality, or one with a farewell word ("last post", "thank you for everything",
  "sorry for everything", "take care of my dog", "giving away all my stuff"). Plans ("see you
  Thursday", "for now", "of the day", "vacation") cancel the weak signs.
* **Warning signs, not sentences.** The later crisis families follow the clinical warning
  signs (988 / AFSP / Columbia C-SSRS) and pair a cue with what makes it a sign: method
  research ("ways to die", "how many X would it take to..."), means with a quantity or an
  intent (stockpiling pills; a rope or gun bought, with a place, a time or finality), a plan
  (a decision with a date, time or place, cancelled by a wedding, party or move), preparatory
  acts (goodbye letters, notes left to be found, "take care of my kids for me"; putting
  affairs in order or a will count only with a second sign), farewells ("nice knowing you",
  "the last you'll hear from me", "said my goodbyes", as goodbye signs), burdensomeness with
  finality ("won't be a problem much longer", life insurance) and intentional overdose
  ("the whole bag by myself", "everything in my medicine cabinet"). A goodbye letter to
  alcohol is a recovery exercise, not a note.
* **Spelling and slang.** Text is casefolded, accents are stripped for matching, curly quotes
  straightened, and runs of three or more of the same letter collapse to one ("sooo",
  "dieee"). Patterns allow common misspellings (sucidal, kil myself, my self) and slang (kms,
  unalive, od/od'd/oding, sewerslide, dope sick).
* **Languages.** English and Spanish patterns always both run, whatever ``language`` says,
  because people mix languages; ``language`` is a hint kept for the interface and future
  languages. Spanish covers crisis terms fully and the common concern terms.

Speed
-----
Python's ``re`` tries every alternative at every position, so each rule is split into
pattern parts (``_Part``); a part runs only when the message has a word starting with one
of its stems (first three letters), and one starting with one of its ``also`` stems if it
has them. A part that runs is tried only at the word starts where one of its prefixes (read
off the pattern at import) begins, and the context patterns skip texts that lack every word
they need. Tests check that none of this changes an answer. ``bench/screening.py`` measures
screenings per second: short messages are well over the target, but posts of about 170
characters are not yet (about 6,500 a second of CPU time): the context checks of each match
(time words, negation, clause breaks) now cost about as much as finding the matches.

Limits
------
Only the first ``MAX_SCAN_CHARS`` (10,000) characters are scanned, and context around a match
is read at most 300 characters each way (at most 50 matches per pattern part), so a very long
text stays fast; anything after the cap is not screened (a person still reads it). Empty or
whitespace-only text is ``none``.

Rules miss what they have not been shown. On the labelled set in ``tests/safety/`` the rules
meet the targets on everything used to build them, but on messages written after each
version was finished crisis recall was only about 0.5 to 0.7 (veiled plans, new slang,
indirect wording), with no false crisis alarms. ``tests/safety/screening_fresh.py``, written
by someone who has not read the rules, is the honest figure (``bench/screening.py``). Screening sorts the queue for humans; it is not a
safety net by itself, and an ML stage or human review of every message may still be needed.
"""

from __future__ import annotations

import bisect
import enum
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate, repeat
from operator import or_
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["MAX_SCAN_CHARS", "Level", "Reason", "Screening", "screen"]

MAX_SCAN_CHARS = 10_000


class Level(str, enum.Enum):  # noqa: UP042 -- the agreed interface; str() of a member stays "Level.CRISIS"
    CRISIS = "crisis"
    CONCERN = "concern"
    NONE = "none"


@dataclass(frozen=True)
class Reason:
    rule: str
    phrase: str


@dataclass(frozen=True)
class Screening:
    level: Level
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict:
        return {
            "level": self.level.value,
            "reasons": [{"rule": reason.rule, "phrase": reason.phrase} for reason in self.reasons],
        }


_RANK = {Level.NONE: 0, Level.CONCERN: 1, Level.CRISIS: 2}
_NONE = Screening(Level.NONE, ())

# --------------------------------------------------------------------------- normalising

_SPECIAL_CHARS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u2026": "...",
}


class _FoldTable(dict):
    """``str.translate`` table built lazily: casefold, strip accents, straighten quotes."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters that do not map to exactly one char

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = _SPECIAL_CHARS.get(char)
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", char.casefold())
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(mapped) != 1:
            self.irregular.add(char)
        self[code] = mapped
        return mapped


_FOLD = _FoldTable()
_TRIPLE = re.compile(r"([^\W\d_])\1\1+")


def _normalise(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return (normalised text, start map, end map); maps are None when offsets are unchanged."""
    if text.isascii():
        norm = text.lower().replace("`", "'")
    else:
        norm = text.translate(_FOLD)
        if len(norm) != len(text) or (_FOLD.irregular and any(c in _FOLD.irregular for c in text)):
            return _normalise_slow(text)
    if _TRIPLE.search(norm) is None:
        return norm, None, None
    return _normalise_slow(text)


def _normalise_slow(text: str) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    starts: list[int] = []
    for i, char in enumerate(text):
        for c in char.translate(_FOLD):
            chars.append(c)
            starts.append(i)
    out: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    n = len(chars)
    j = 0
    while j < n:
        k = j
        while k + 1 < n and chars[k + 1] == chars[j]:
            k += 1
        run = k - j + 1
        if run >= 3 and chars[j].isalpha():
            out.append(chars[j])
            out_starts.append(starts[j])
            out_ends.append(starts[k] + 1)
        else:
            for m in range(j, k + 1):
                out.append(chars[m])
                out_starts.append(starts[m])
                out_ends.append(starts[m] + 1)
        j = k + 1
    return "".join(out), out_starts, out_ends


# --------------------------------------------------------------------------- gated patterns
#
# Python's ``re`` tries every alternative at every position, so one big pattern per rule is
# slow. Each rule is split into parts; a part runs only when the text has a word starting
# with one of the part's stems (the first three letters, or the whole word when shorter).
# Every match of a part must contain such a word: tests check that gated screening gives
# the same answers as running every part.

_TOKEN = re.compile(r"[a-z0-9][a-z0-9']*")


_STEM_BITS: dict[str, int] = {}  # stem -> bits of the parts it opens


class _Part:
    """Alternatives that run when a word starts with one of ``stems`` (and, if given, one of ``also``)."""

    __slots__ = ("also", "bit", "need", "pattern", "stems")
    _count = 0

    def __init__(self, stems: str, *alternatives: str, also: str = "") -> None:
        self.stems = frozenset(stems.split())
        self.also = frozenset(also.split())
        self.bit = self._register(self.stems)
        self.need = self.bit | (self._register(self.also) if self.also else 0)
        self.pattern = re.compile("|".join(f"(?:{a})" for a in alternatives))

    @staticmethod
    def _register(stems: frozenset[str]) -> int:
        bit = 1 << _Part._count
        _Part._count += 1
        for stem in stems:
            _STEM_BITS[stem] = _STEM_BITS.get(stem, 0) | bit
        return bit


# The tokens of _TOKEN cut to three characters, so the stems come out of one C loop.
_TOKEN_STEM = re.compile(r"([a-z0-9][a-z0-9']{0,2})[a-z0-9']*")


def _gate(norm: str) -> int:
    return reduce(or_, map(_STEM_BITS.get, _TOKEN_STEM.findall(norm), repeat(0)), 0)


class _Group:
    """Items carrying a part, in their original order, and the index of each part's bit."""

    def __init__(self, items: list[tuple[_Rule, _Part]]) -> None:
        self.items = items
        self.by_bit = {part.bit: index for index, (_, part) in enumerate(items)}


_SUICIDE_STEMS = "suu sui suc sus"
# Stems of every word _SUBST and _USE_CONTEXT can match (second gates for parts built on them).
_SUBST_STEMS = (
    "dri bee boo alc win vod whi teq rum liq sho use usi hig dru was loa lit mes fuc bla ham fad sto sma smo sco rel pic dop"
    " her fen met cra cok coc pil oxy xan bar per wee hit bum lin rus buz"
)
_USE_STEMS = (
    "too tak did don use usi sho sno smo dra dru hig dos pil fen her dop xan oxy per bar ben met cok coc opi alc vod boo"
    " ove od od' o tom con pas dro"
)
_MYSELF_STEMS = "mys sel sle mes sef"

_IDIOMS: tuple[_Part, ...] = (
    _Part(
        "kil",
        r"\bkil+ing\s+me\b",
        r"\b(?:going\s+to|gonna|gunna|will|would|could|might|'ll|is|are)\s+(?:\w+\s+)?kil+\s+me\b(?!\s+now\s+please)",
        r"\bkil+(?:ed|ing|s|in'?)?\s+it\b",
        r"\bkil+(?:ed|ing|s)?\s+(?:time|two\s+birds|the\s+(?:vibe|mood|game|lights|engine|workout|buzz))\b",
        r"\bkil+ed\s+off\b",
        r"\bkil+er\b",
    ),
    _Part(
        "dyi dye die",
        r"\bdying\s+(?:to|of|from)\s+(?:see|know|meet|hear|try|go|get|tell|read|watch|find|laugh\w*|boredom|embarrassment"
        r"|curiosity|cuteness|heat|cold|hunger)\b",
        r"\bdy(?:e|ing)\s+(?:my|her|his|their|your)\s+hair\b",
        r"\b(?:nearly|almost)\s+died\s+(?:laughing|of\s+laughter)\b",
        r"\bdied\s+(?:laughing|of\s+laughter)\b",
        r"\bto\s+die\s+for\b",
        r"\bdie\s+(?:of|from)\s+(?:embarrassment|laughter|laughing|boredom|shame|cringe|cuteness|happiness)\b",
        r"\b(?:phone|battery|laptop|car)\s+(?:is\s+)?dying\b",
    ),
    _Part(
        "die dea",
        r"\b(?:i'?d|i\s+would|rather)\s+(?:\w+\s+)?(?:die|be\s+dead)\s+than\b",
    ),
    _Part(
        "dea",
        r"\bdead\s+(?:tired|serious|ass|asleep|battery)\b",
        r"\b(?:scared|bored|worried|loved?|freezing)\s+(?:me\s+|him\s+|her\s+|them\s+)?to\s+death\b",
        r"\bthe\s+death\s+of\s+me\b",
        r"\bover\s+my\s+dead\s+body\b",
    ),
    _Part(
        "ove od' ode odi",
        r"\b(?:overdosed|overdosing|od'?d|oded|od'?ing)\s+on\s+(?!(?:fent\w*|heroin|pills|xan\w*|oxy\w*|meth|coke|cocaine"
        r"|crack|dope|alcohol|booze|benzos?|opioids|percs?|his|her|my|their|something|drugs?|it|them|that|this|the|a|an"
        r"|purpose|accident|(?:mon|tues|wednes|thurs|fri|satur|sun)day|christmas|new|last|weekend)\b)\w+",
    ),
    _Part(
        _SUICIDE_STEMS,
        r"\bsu+i?[cs]+ide?\s+(?:squad|prevention|awareness|hotline|lifeline|line|rates?|statistics|stats|training)\b",
    ),
    _Part(
        "cut bur hur acc",
        r"\b(?:cut|burn(?:ed|t)?|hurt)\s+my\s?self\s+(?:\w+\s+){0,3}?(?:shaving|cooking|chopping|baking|gardening|playing"
        r"|lifting|running|working\s+out|by\s+accident|(?:at|in)\s+(?:the\s+)?(?:gym|kitchen|work|practice)"
        r"|on\s+(?:a|the|some)\s+(?:stove|oven|glass|can|paper|counter|table|edge|pan|iron))",
        r"\b(?:cut|burn(?:ed|t)?|hurt)\s+my\s?self\s+accidentally\b|\baccidentally\s+(?:cut|burn(?:ed|t)?|hurt)\s+my\s?self\b",
    ),
    _Part(
        "cra sug cho foo car",
        r"\bcrav\w*\s+(?:for\s+|some\s+)?(?:sugar|sweets|chocolate|carbs|sunshine|sun|coffee|pizza|food|junk\s+food|salt|salty"
        r"|ice\s+cream|attention|connection|affection|hugs|routine|structure|peace|quiet|adventure|sleep|tacos|burgers)\b",
        r"\b(?:sugar|chocolate|food|carb|sweet|snack)\s+crav\w*",
    ),
    _Part(
        "mue mor mat",
        r"\bme\s+muero\s+de\s+(?:hambre|ganas|risa|sueno|verguenza|frio|calor|aburrimiento|sed|miedo|amor|curiosidad)\b",
        r"\bme\s+mori\s+de\s+(?:risa|verguenza|miedo|hambre)\b",
        r"\bmuert[oa]s?\s+de\s+(?:risa|cansancio|hambre|sueno|miedo|frio|verguenza|calor)\b",
        r"\bme\s+(?:esta|estan)\s+matando\b",
        r"\bme\s+mata(?:s|n)?\s+de\s+risa\b",
    ),
)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


# --------------------------------------------------------------------------- shared pieces

_MYSELF = r"(?:my\s?self|my\s?slef|mysef|myslf|meself|my\s?sefl)"
_SUICIDE = r"su+i?[cs]+ide?"
_PERSON = (
    r"(?:him|her|them|you|u|some(?:one|body)|every(?:one|body)|people"
    r"|that\s+(?:guy|man|woman|dude|girl|bitch|bastard|motherfucker|asshole|prick|piece\s+of\s+shit)"
    r"|the\s+(?:guy|man|woman|dude|dealer|bitch|bastard|cops?)"
    r"|my\s+(?:\w+\s+)?(?:ex|dad|father|stepdad|step\s+dad|mom|mum|mother|stepmom|brother|sister|wife|husband"
    r"|boyfriend|girlfriend|partner|boss|landlord|roommate|neighbou?r|dealer|sponsor|cousin|uncle|aunt|son"
    r"|daughter|kids?|family|coworker|manager))"
)
_SUBST = (
    r"(?:a\s+|some\s+|one\s+|another\s+|just\s+one\s+)?(?:drinks?\b|drinking|beers?|booze|alcohol|wine|vodka|whiske?y"
    r"|tequila|rum\b|liquor|shots?\b"
    r"|use\b(?!\s+(?:my|the|a|an|this|that|these|those|it|them|her|his|our|your|their|of|to|some|any|coping"
    r"|tools|skills|help|advice|support|more|less)\b)"
    r"|using\b(?!\s+(?:my|the|a|an|this|that|it|them|coping|tools|skills)\b)"
    r"|get\s+(?:high|drunk|wasted|loaded|lit|messed\s+up|fucked\s+up|blasted|hammered|faded|stoned|smashed)"
    r"|getting\s+(?:high|drunk|wasted|loaded|lit|stoned|hammered|smashed)"
    r"|smoke\b(?!\s+(?:alarm|detector|signal)\b)|smoking|score\b|relaps\w*"
    r"|pick\s+up\b(?!\s+(?:my|the|a|an|some|groceries|kids|phone|shifts?|where|the\s+phone)\b)"
    r"|picking\s+up\b(?!\s+(?:my|the|an?\s+(?:shift|package|prescription|order|friend|kid|car|coffee|book)|some\s+"
    r"(?:groceries|food|shifts)|groceries|kids|phone|shifts?|where|after)\b)"
    r"|shoot\s+up|shooting\s+up|dope\b|heroin|fent\w*|meth\b|crack\b|coke\b|cocaine|pills\b|oxy\w*|xan(?:ax|s)\b"
    r"|bars\b|percs?\b|weed\b|a\s+hit\b|a\s+bump\b|a\s+line\b|drugs\b|getting\s+high|being\s+high"
    r"|the\s+(?:rush|high|buzz)\b|(?:going|go)\s+out\s+drinking\b|go\s+drinking\b)"
)
_DESIRE = (
    r"(?:want(?:s|ed|ing)?(?:\s+(?:to|2))?|wanna|wana|need(?:s|ing)?(?:\s+to)?|gonna|going\s+to|thinking\s+(?:about|of)"
    r"|think\s+about|thought\s+about|tempted\s+to|close\s+to|about\s+to|dying\s+for|kill\s+for"
    r"|(?:could|can)\s+(?:really\s+)?(?:go\s+for|use)|miss(?:ing)?|itching\s+to|fantasi[sz]ing\s+about"
    r"|can'?t\s+stop\s+thinking\s+about|urges?\s+to|crave|craving|obsessing\s+(?:about|over)"
    r"|jonesing\s+for|fiending\s+for|plan(?:ning)?\s+(?:to|on))"
)
_DESIRE_STEMS = "wan nee gon goi thi tho tem clo abo dyi kil cou can mis itc fan urg cra obs jon fie pla"
_TAKE = (
    r"(?:took|take|taking|taken|swallowed|swallow|swallowing|downed|popped|pop|snorted|shot|did|do)(?:\s+up)?\s+"
    r"(?:(?:a|the|my)\s+(?:whole|entire)\s+(?:bottle|pack|packet|box|script|prescription|strip|bag)"
    r"|all\s+(?:of\s+)?(?:my|the|her|his|their|your)\s+(?:\w+\s+)?(?:pills|meds|medications?|xan\w*|oxy\w*|percs?|bars"
    r"|tabs|tablets|benzos?|prescriptions?|script|dope|stash|klonopin|seroquel|valium|ambien|sleeping\s+pills)\b"
    r"|all\s+of\s+(?:them|those|these|it)\b|them\s+all\b|every\s+(?:single\s+)?(?:pill|tablet|one\s+of)"
    r"|the\s+rest\s+of\s+(?:my|the|her|his)\s+(?:pills|bottle|meds|script)"
    r"|(?:way\s+)?too\s+(?:much|many)\b(?!\s+(?:time|of\s+(?:my|your)\s+time|on|work|stuff|responsibility|classes"
    r"|shifts|notes|photos|pictures|selfies|naps)\b)"
    r"|(?:like\s+|about\s+|around\s+|maybe\s+|over\s+|almost\s+)?\d+\s+(?:of\s+(?:my|them|the|those|her|his)|pills|tabs"
    r"|tablets|bars|xan\w*|percs?|oxy\w*|benzos?|klonopin|valium|vicodin|seroquel|tramadol|ambien|mg|\w+\s+pills)"
    r"|(?:a\s+)?(?:bunch|handful|fistful|ton|lot)\s+of\s+(?:pills|tabs|my|them|xanax|\w+\s+pills)"
    r"|everything\s+i\s+(?:have|had|got|'ve\s+got)|double\s+(?:my|the)\s+dose)"
    r"(?!\s+(?:as\s+(?:prescribed|directed)|on\s+(?:time|schedule)|with\s+(?:food|water|breakfast|lunch|dinner|meals?))\b)"
)


class _Rule:
    __slots__ = ("forbids", "name", "negated", "parts", "past", "present", "recent", "requires", "self_directed")

    def __init__(
        self,
        name: str,
        levels: tuple[Level, Level, Level],
        *parts: _Part,
        self_directed: bool = False,
        requires: re.Pattern[str] | None = None,
        forbids: re.Pattern[str] | None = None,
    ) -> None:
        self.name = name
        self.present, self.recent, self.past = levels  # by when the event happened
        self.negated = Level.CONCERN if self.present is Level.CRISIS else Level.NONE
        self.parts = parts
        self.self_directed = self_directed  # jokes and safety statements soften it
        self.requires = requires  # the message must also match this (e.g. talk of a substance)
        self.forbids = forbids  # ...and must not match this (a date picked for a wedding is not a plan)


C, W = Level.CRISIS, Level.CONCERN

_INTENT_OR_DESPAIR = re.compile(
    r"\b(?:jump|jumping|end\s+it|end\s+this|die|dying|goodbye|can'?t\s+(?:do|take)\s+(?:this|it)|(?:do|take)\s+(?:this|it)\s+any\s?more"
    r"|done|going\s+to|gonna|for\s+an"
    r"\s+hour|for\s+hours|want\s+to|no\s+point|hopeless|tonight|sorry|saltar|tirarme|aventarme|voy\s+a|no\s+puedo|adios"
    r"|ya\s+no|quiero)\b"
)
_DISTRESS = re.compile(
    r"\b(?:burden|hopeless|worthless|better\s+off|nobody|no\s+one|can'?t\s+do\s+this|done|tired\s+of|pain|sorry|failure"
    r"|waste\s+of\s+space|hate\s+myself|give\s+up|no\s+point|goodbye)\b"
)

# Signs of an overdose that count only when the message also talks of taking something.
_USE_CONTEXT = re.compile(
    r"\b(?:took|taken|take|did|done|used|using|shot|snorted|smoked|drank|drunk|high|dose|pills?|fent\w*|heroin|dope|xan\w*"
    r"|oxy\w*|percs?|bars|benzos?|meth|coke|cocaine|opioids?|alcohol|vodka|booze|overdos\w*|od|tome|tomo|consumio|consumi"
    r"|pastillas|droga\w*|fentanilo|heroina)\b"
)

_RULES: tuple[_Rule, ...] = (
    _Rule(
        "suicidal_intent",
        (C, C, W),
        _Part(
            _MYSELF_STEMS,
            rf"\b(?:(?:tried|try(?:ing)?|attempted|wanted|want(?:ing)?|thought\s+about|think(?:ing)?\s+(?:about|of))\s+"
            rf"(?:to\s+)?)?(?:kil+(?:ing)?|unaliv(?:e|ing)|end(?:ing)?|off(?:ing)?|hang(?:ing)?|shoot(?:ing)?|drown(?:ing)?"
            rf"|poison(?:ing)?|suffocat(?:e|ing)|gas(?:sing)?)\s+{_MYSELF}\b",
        ),
        _Part("kms", r"\bkms+\b"),
        _Part("una sel sew", r"\bunaliv(?:e|ing|ed)\s+(?:me|my\s?self)\b|\bself[\s-]?delet\w*|\bsewer\s?slide\w*"),
        _Part(
            _SUICIDE_STEMS,
            r"\bsu+i?[cs]+i+d(?:al|le|ial)\b",
            rf"\b(?:commit(?:ting)?|comit|attempt(?:ed|ing)?|think(?:ing)?\s+(?:about|of)|thought\s+(?:about|of)"
            rf"|thoughts\s+(?:of|about)|talk(?:s|ing|ed)?\s+about|consider(?:ing|ed)?|contemplat\w+|plan(?:ning|ned)?"
            rf"|research(?:ing)?|googl(?:e|ed|ing))\s+(?:\w+\s+)?{_SUICIDE}\b",
            rf"\b{_SUICIDE}\s+(?:note|plan|attempt|letter|method)s?\b",
        ),
        _Part(
            "die",
            r"(?<!makes\sme\s)(?<!make\sme\s)\b(?:want(?:s|ed)?\s+(?:to|2)|wanna|wana|wish(?:ing)?\s+(?:i\s+could|to)|ready\s+to"
            r"|going\s+to|gonna|should(?:\s+just)?|let\s+me|hope\s+i|i\s+(?:would|could)\s+just|just\s+want\s+to|i\s+want\s+to"
            r"|deserve\s+to|need\s+to|prefer\s+to|i'?d\s+rather)\s+(?:just\s+)?die+\b(?!\s+(?:of|from|laughing|than)\b)",
        ),
        _Part(
            "wis",
            r"\bwish(?:ing)?\s+(?:i\s+)?(?:was|were|could\s+be|'?d\s+be)\s+dead\b|\bwish\s+i\s+(?:had\s+|'?d\s+)?died\b"
            r"|\bwish\s+i\s+(?:was|were)\s*n'?t\s+(?:alive|here|born)\b|\bwish\s+i\s+(?:was|were|had\s+been)\s+never\s+born\b",
        ),
        _Part(
            "bet hap eas fin rel",
            r"\b(?:better|happier|easier|fine|relieved)\b[^.!?\n]{0,30}?\b(?:without\s+me(?:\s+around)?|if\s+i\s+"
            r"(?:just\s+|was\s+|were\s+)?(?:was|were|wasn'?t|weren'?t|was\s+not|were\s+not)\s*(?:here|around|alive|gone|dead"
            r"|not\s+here)|if\s+i\s+(?:just\s+)?(?:died|disappeared|was\s+gone|never\s+woke\s+up|didn'?t\s+exist))\b",
            r"\bbetter\s+off\s+dead\b",
            r"\bbetter\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were|wasn'?t|weren'?t|died|was\s+dead|was\s+gone"
            r"|wasn'?t\s+here|wasn'?t\s+around))\b",
        ),
        _Part(
            "wan",
            r"\b(?:don'?t|dont|do\s+not|no\s+longer|never)\s+(?:really\s+)?(?:want(?:\s+to|\s+2)?|wanna|wana)\s+(?:to\s+)?"
            r"(?:live|be\s+alive|exist|go\s+on|keep\s+living|be\s+here\s+any\s?more|be\s+around\s+any\s?more)\b"
            r"(?!\s+like\s+(?:this|that)\b)",
            r"\b(?:don'?t|dont|do\s+not)\s+feel\s+like\s+(?:living|being\s+alive|existing)\b",
            r"\bwant(?:s)?\s+(?:it|this|everything)\s+(?:all\s+)?to\s+(?:be\s+over|end|stop)\b",
        ),
        _Part(
            "rea",
            r"\b(?:(?:don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+(?:see|find|think\s+of|have)\s+(?:any|a|one)\s+(?:single\s+)?"
            r"|no\s+|any\s+)reasons?\s+(?:left\s+)?(?:for\s+me\s+)?(?:to|for)\s+(?:live|living|go\s+on|keep\s+(?:living|going)"
            r"|be\s+(?:alive|here)|stay\s+alive)\b",
        ),
        _Part("not lef", r"\bnothing\s+(?:left\s+)?to\s+live\s+for\b|\bnothing\s+left\s+for\s+me\s+here\b"),
        _Part(
            "liv",
            r"\b(?:stop|quit)\s+living\b|\bdone\s+living\b",
        ),
        _Part(
            "poi rea use",
            r"\bno\s+point\s+(?:in\s+)?(?:living|being\s+alive|going\s+on|to\s+(?:life|living))\b",
            r"\b(?:no|what'?s\s+the|what\s+is\s+the|whats\s+the)\s+(?:point|reason|use)\s+(?:in\s+|of\s+)?(?:me\s+|my\s+)?"
            r"(?:being|staying)\s+(?:here|alive|around)\b",
        ),
        _Part(
            "wor",
            r"\b(?:life|living)\s+(?:is\s*n'?t|isnt|ain'?t|is\s+not|not)\s+worth\s+(?:living|it)\b|\bnot\s+worth\s+living\b",
        ),
        _Part("tir sic", r"\b(?:tired|sick)\s+of\s+(?:living|being\s+alive|existing)\b"),
        _Part(
            "end",
            r"\b(?:end(?:ing)?|ended)\s+(?:it\s+all|my\s+(?:own\s+)?life|things\s+(?:for\s+good|tonight|now)|my\s+suffering)\b",
            r"\b(?:want(?:\s+to)?|wanna|going\s+to|gonna|ready\s+to|about\s+to|plan(?:ning)?\s+(?:to|on)|decided\s+to|i'?m|im|i\s+am"
            r"|(?:keep\s+)?think(?:ing)?\s+(?:about|of)|consider(?:ing)?|contemplat(?:e|ing)"
            r"|i'?ll|will|just|gotta|have\s+to|need\s+to)\s+(?:just\s+)?end(?:ing)?\s+(?:it|things|everything)\b"
            r"(?!\s+with\b)",
        ),
        _Part(
            "sle for",
            r"\b(?:want|wanna|wish\s+i\s+could|just\s+want\s+to|going\s+to)\s+(?:to\s+)?(?:just\s+)?sleep\s+(?:forever"
            r"|for\s+ever|and\s+never\s+wake)\b",
        ),
        _Part("lif", r"\b(?:take|taking|took)\s+my\s+(?:own\s+)?life\b"),
        _Part(
            "wak",
            r"\b(?:go\s+to\s+sleep|fall\s+asleep|sleep|want|wish|hope|pray|rather)\b[^.!?\n]{0,25}?\b(?:never|not|don'?t"
            r"|won'?t)\s+wake\s+up\b|\band\s+(?:never|not)\s+wake\s+up\b|\b(?:don'?t|do\s+not|dont)\s+want\s+to\s+wake\s+up\b",
            r"\b(?:make\s+sure|so\s+(?:that\s+)?|then|hope|hoping|pray|praying|wish|rather)\b[^.!?\n]{0,25}?\bi\s+(?:don'?t|won'?t"
            r"|never|do\s+not|will\s+not)\s+(?:ever\s+)?wake\s+up\b",
            r"\b(?:enough|so\s+as)\s+to\s+(?:not|never)\s+wake\s+up\b|\b(?:enough|so)\s+(?:that\s+)?i\s+(?:don'?t|won'?t|never)\s+wake\s+up\b",
        ),
        _Part(
            "dis van exi",
            r"\b(?:want|wanna|wish\s+i\s+could)\s+(?:to\s+)?(?:just\s+)?(?:disappear|vanish)\s+(?:forever|for\s+good"
            r"|permanently|and\s+never\s+(?:come\s+back|return|be\s+found))|\b(?:stop|cease)\s+(?:to\s+)?exist(?:ing)?\b|\bnot\s+exist\s+any\s?more\b"
            r"|\bdon'?t\s+want\s+to\s+exist\b",
        ),
        _Part(
            "wou",
            r"\b(?:no\s?(?:one|body)|(?:(?:don'?t|do\s+not)\s+(?:think|feel\s+like|believe)\s+)?(?:anyone|anybody))\s+would\s+"
            r"(?:even\s+)?(?:notice|care|miss\s+me)\s+if\s+i\s+(?:was|were"
            r"|wasn'?t|weren'?t|died|disappeared|killed|was\s+gone|were\s+gone|didn'?t\s+exist|never\s+woke|left\s+this)\b",
        ),
        _Part(
            "wak dan saf tru",
            r"\bif\s+i\s+(?:don'?t|do\s+not|never|didn'?t)\s+wake\s+up\b[^.!?\n]{0,20}?\b(?:fine|okay|ok|relief|for\s+the\s+best"
            r"|better|good)\b",
            r"\bi'?m\s+(?:a\s+)?danger\s+to\s+myself\b|\b(?:not|don'?t\s+feel)\s+safe\s+(?:with|around|from)\s+myself\b"
            r"|\bdon'?t\s+trust\s+myself\s+(?:right\s+now|tonight|alone|to\s+be\s+alone)\b",
        ),
        _Part(
            "che ton kno ove pro bur dea wor com pea per out tak pai fun",
            r"\bi'?m\s+checking\s+out\b(?=\s*(?:[.!,;]|$|for\s+good|tonight|early|permanently|of\s+(?:life|here|this\s+world)))"
            r"|\btime\s+(?:for\s+me\s+)?to\s+check\s+out\b(?!\s+(?:the|a|this|that|my|our)\b)",
            r"\btonight'?s\s+the\s+night\b|\btonight\s+is\s+the\s+night\b",
            r"\bi\s+(?:know|knew)\s+what\s+i'?(?:m|\s+am)?\s*(?:going\s+to|gonna)\s+do\s+with\s+(?:it|them|the\s+(?:gun|pills|rope))\b",
            r"\b(?:it'?ll|it\s+will)\s+(?:all\s+)?be\s+over\s+soon\b|\bwon'?t\s+be\s+(?:a|your|anyone'?s)\s+(?:problem|burden)"
            r"\s+(?:much\s+longer|anymore|any\s+more|for\s+long)\b|\b(?:you|y'?all|nobody|no\s+one)\s+(?:won'?t|will\s+not|will\s+never)"
            r"\s+have\s+to\s+(?:deal\s+with|worry\s+about)\s+me\b",
            r"\band\s+not\s+(?:coming|come)\s+back\b|\bmade\s+my\s+peace\b|\bpermanent\s+solution\b"
            r"|\bwant\s+out\s+(?:for\s+good|of\s+(?:this\s+life|life|this\s+world))\b|\blet\s+it\s+take\s+me\b"
            r"|\bend\s+the\s+pain\s+(?:for\s+good|forever|permanently)\b",
            r"\b(?:picturing|imagining|planning|planned|thinking\s+about|fantasi[sz]ing\s+about)\s+my\s+(?:own\s+)?(?:funeral|death)\b",
        ),
        _Part(
            "gun rop noo pil pis rif ene",
            r"\b(?:bought|got|have|loaded|grabbed|found|picked\s+up)\s+(?:a|the|my|dad'?s|his)\s+(?:gun|pistol|rifle|rope|noose)\b"
            r"[^\n]{0,60}?\b(?:tonight|today|going\s+to\s+do|what\s+i'?m\s+going|ready|it'?s\s+time|for\s+me|for\s+myself)\b",
            r"\b(?:enough|all\s+the)\s+(?:pills|xan\w*|oxy\w*|meds|sleeping\s+pills|fent\w*|dope|heroin)\s+(?:saved|stashed|to\s+"
            r"(?:make\s+sure|do\s+it|end|die|not\s+wake|never\s+wake|kill))\b|\b(?:pills|meds)\s+(?:are\s+)?(?:saved|ready|lined\s+up)"
            r"\s+(?:for\s+tonight|for\s+later|tonight)\b",
        ),
        _Part(
            "kil",
            r"\b(?:want|wish|need|hope|pray)\s+(?:someone|somebody|something|god|a\s+\w+)\s+(?:to|would|will)\s+kil+\s+me\b",
        ),
        _Part(
            "jum fro tra wal",
            r"\bjump(?:ing)?\s+(?:off|from)\s+(?:the|a|my)\s+(?:\w+\s+)?(?:bridge|roof|building|ledge|cliff|balcony|overpass"
            r"|parking\s+garage|tower)|\b(?:jump|step|walk|throw\s+myself)\s+in\s+front\s+of\s+(?:a|the)\s+(?:train|bus"
            r"|truck|car)|\bwalk\s+into\s+traffic\b",
            r"\b(?:on|at)\s+(?:the|a)\s+(?:bridge|roof|rooftop|ledge|edge)\b[^.!?\n]{0,60}\bjump\b",
            r"\bwalk(?:ing)?\s+into\s+(?:the\s+)?(?:ocean|sea|lake|river|water|traffic|woods)\b[^.!?\n]{0,30}?\b(?:not|never)\s+"
            r"(?:coming|come)\s+(?:back|out)\b|\bwalk(?:ing)?\s+into\s+(?:the\s+)?(?:ocean|sea|lake|river)\s+(?:tonight|and\s+"
            r"(?:keep|never|not))\b",
        ),
        _Part(
            "hea bra mou tem blo sli",
            r"\b(?:gun|bullet|pistol|barrel)\s+(?:in|to|through|against)\s+my\s+(?:head|brain|mouth|temple)\b"
            r"|\bblow\s+my\s+(?:brains?|head)\s+(?:out|off)\b|\bslit\s+my\s+(?:wrists?|throat)\b",
        ),
        _Part(
            "gun pis rif kni bla raz rop noo",
            r"\b(?:gun|pistol|rifle|knife|blade|razor|rope|noose)\s+(?:in\s+my\s+(?:lap|hand|mouth)|to\s+my\s+head"
            r"|right\s+here|next\s+to\s+me|ready)\b|\bnoose\b",
        ),
        _Part(
            "pur dri dro cra ste",
            r"\bcrash(?:ing)?\s+my\s+car\s+on\s+purpose\b|\b(?:drive|driving|drove|crash|crashing|steer|steering)\s+"
            r"(?:my\s+car\s+|my\s+truck\s+)?(?:into|off|of)\s+(?:a|the)\s+(?:wall|tree|bridge|cliff|truck|river|lake|ocean"
            r"|overpass|semi|train)\b",
        ),
        _Part(
            "tho",
            r"\b(?:those|the|these|my|dark|suicidal)\s+thoughts\s+(?:are|have\s+been|keep|started)\s+(?:coming|creeping)\s+back\b",
        ),
        # Spanish
        _Part(
            "mor mat sui qui aca des dej",
            r"\b(?:me\s+)?(?:quiero|quisiera|voy\s+a|deseo|necesito|pienso|pensando\s+en|ganas\s+de|prefiero)\s+"
            r"(?:morir(?:me)?|matarme|suicidarme|quitarme\s+la\s+vida|acabar\s+con\s+(?:todo|mi\s+vida)"
            r"|desaparecer\s+para\s+siempre|dejar\s+de\s+existir)\b",
            r"\bme\s+(?:quiero|voy\s+a)\s+(?:morir|matar|suicidar)\b",
            r"\bsuicid(?:arme|arse|a|as)\b|\b(?:pensando|pienso|pensar)\s+en\s+(?:el\s+)?suicidio\b",
            r"\bquitarme\s+la\s+vida\b",
        ),
        _Part("can har", r"\b(?:cansad[oa]|hart[oa])\s+de\s+(?:vivir|estar\s+viv[oa]|la\s+vida)\b", also="viv vid"),
        _Part("irm ir", r"\b(?:quiero\s+irme|me\s+quiero\s+ir|irme)\s+de\s+este\s+mundo\b", also="mun"),
        _Part(
            "qui",
            r"\b(?:ya\s+)?no\s+quiero\s+(?:seguir\s+)?(?:vivir|viviendo|estar\s+viv[oa]|existir|despertar(?:me)?|estar\s+aqui"
            r"|seguir\s+aqui|estar\s+en\s+este\s+mundo)\b",
        ),
        _Part(
            "aho col tir peg cor ave ech dor pas lis",
            r"\b(?:ahorcarme|colgarme|me\s+voy\s+a\s+(?:ahorcar|colgar|tirar)|tirarme\s+(?:de|del|por)|pegarme\s+un\s+tiro"
            r"|cortarme\s+las\s+venas|aventarme\s+(?:de|del|por|al)|me\s+voy\s+a\s+aventar|echarme\s+(?:a|al|del)\s+"
            r"(?:las\s+vias|el\s+tren|puente))\b",
            r"\b(?:dormir(?:me)?|dormirme)\s+y\s+(?:no\s+(?:despertar(?:me)?|volver\s+a\s+despertar)|nunca\s+despertar)\b"
            r"|\bpastillas\s+(?:ya\s+)?listas\b|\blistas\s+las\s+pastillas\b",
        ),
        _Part("val", r"\bno\s+vale\s+la\s+pena\s+(?:vivir|seguir\s+viviendo)\b"),
        _Part(
            "mej oja est",
            r"\b(?:estarian|estaria|estan|serian?)\s+mejor\s+sin\s+mi\b",
            r"\bmejor\s+(?:me\s+muero|muert[oa])\b|\bojala\s+(?:estuviera|estuviese|me\s+muriera|no\s+despertara"
            r"|no\s+despierte)\b|\b(?:quisiera|quiero|prefiero)\s+estar\s+muert[oa]\b",
        ),
        self_directed=True,
    ),
    # A veiled plan ("I'm going to fix that tonight") counts when the message also speaks of despair.
    _Rule(
        "suicidal_intent",
        (C, C, W),
        _Part(
            "fix sol tak end dea kno",
            r"\b(?:going\s+to|gonna|will|i'?ll|about\s+to)\s+(?:fix|solve|take\s+care\s+of|end|deal\s+with)\s+(?:that|this|it"
            r"|everything|the\s+problem)\s+(?:tonight|for\s+good|once\s+and\s+for\s+all|permanently|soon)\b",
            r"\bi\s+(?:know|knew)\s+what\s+i'?(?:m|\s+am)?\s*(?:going\s+to|gonna|have\s+to|need\s+to)\s+do\b(?=\s*(?:[.!]|$"
            r"|now\b|tonight\b))",
        ),
        self_directed=True,
        requires=_DISTRESS,
    ),
    # Someone at a place or with a means, when the message also speaks of despair or intent.
    _Rule(
        "suicidal_intent",
        (C, C, W),
        _Part(
            "sta sit i'm im i bee",
            r"\b(?:standing|sitting|i'?m|i\s+am|been)\s+(?:on|at|in|by)\s+(?:the|a|this)\s+(?:edge\s+of\s+(?:the|a)\s+)?"
            r"(?:bridge|overpass|roof|rooftop|ledge|tracks|train\s+tracks|cliff|balcony|edge|parking\s+garage)\b",
            also="bri ove roo led tra cli bal edg par",
        ),
        _Part(
            "hol fou got too loa sta loo",
            r"\b(?:holding|found|got\s+out|took\s+out|loaded|staring\s+at|looking\s+at)\s+(?:a|the|my|his|her|dad'?s|mom'?s)\s+"
            r"(?:(?:dad|father|mom|brother|husband|partner|roommate|grandpa|grandfather)'?s\s+)?(?:gun|pistol|rifle|shotgun|razor"
            r"|blade|rope|noose)\b",
            also="gun pis rif sho raz bla rop noo",
        ),
        _Part(
            "gun pis kni raz bla rop pil",
            r"\b(?:gun|pistol|knife|razor|blade|rope|pills)\s+(?:is\s+|are\s+)?(?:in\s+front\s+of\s+me|on\s+the\s+table|in\s+my\s+hand)\b",
            also="fro tab han",
        ),
        _Part(
            "est",
            r"\bestoy\s+(?:en|parad[oa]\s+en|sobre)\s+(?:el|la|un|una)\s+(?:puente|azotea|techo|vias|orilla|cornisa)\b",
            also="pue azo tec via ori cor",
        ),
        self_directed=True,
        requires=_INTENT_OR_DESPAIR,
    ),
    _Rule(
        "self_harm",
        (C, C, W),
        _Part(
            _MYSELF_STEMS,
            rf"\b(?:cut(?:ting)?|burn(?:ing|ed|t)?|hurt(?:ing)?|harm(?:ing)?|stab(?:bing)?|scratch(?:ing)?|hit(?:ting)?"
            rf"|punish(?:ing)?|starv(?:e|ing))\s+{_MYSELF}\b",
        ),
        _Part("sel", r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*"),
        _Part(
            "cut raz scr pic car pun hit ban bur",
            r"\b(?:been|started|start|keep|kept|i'?m|im|am|was)\s+cutting\b(?!\s+(?:back|down|out|off|carbs|sugar|ties"
            r"|the|my\s+hair|hair|onions|class|corners|it)\b)|\bcutting\s+again\b",
            r"\b(?:want(?:\s+to)?|wanna|going\s+to|gonna|urges?\s+to|need\s+to)\s+cut\b(?!\s+(?:back|down|out|off|ties"
            r"|the|my\s+hair|hair|carbs|sugar|class|corners|it|them|him|her|in|loose|costs)\b)",
            r"\bcut(?:ting)?\s+my\s+(?:arms?|wrists?|legs?|thighs?|skin)\b|\brazor\s+blades?\b",
            r"\bi\s+(?:cut|burned|burnt)\s+(?:again|deeper|tonight|last\s+night|today|this\s+morning)\b|\bcut\s+deeper\b",
            r"\b(?:scratch\w*|cut\w*|pick\w*|carv\w*|punch\w*|hit\w*|bang\w*|burn\w*)\s+(?:at\s+|into\s+)?my\s+(?:arms?|wrists?"
            r"|legs?|skin|thighs?|head|face|hands?|stomach)\s+(?:until|till|til|'til)\s+(?:it|they|i)\s+(?:bleeds?|bled|bleeding"
            r"|hurts?|pass\s+out)\b|\bcarv\w*\s+into\s+my\s+(?:skin|arms?|legs?)\b",
        ),
        # Spanish
        _Part(
            "cor las hac aut",
            r"\b(?:me\s+)?(?:voy\s+a|quiero|necesito|ganas\s+de)\s+(?:cortar(?:me)?|lastimar(?:me)?|hacer(?:me)?\s+dano)\b"
            r"|\bhacerme\s+dano\b|\bme\s+estoy\s+cortando\b|\bautolesion\w*",
            r"\bme\s+(?:corte|lastime|queme|hice\s+dano)\b(?!\s+(?:el\s+pelo|el\s+cabello|el\s+dedo|con\s+(?:el\s+)?papel"
            r"|cocinando|afeitando|en\s+la\s+cocina)\b)",
        ),
        self_directed=True,
    ),
    _Rule(
        "overdose",
        (C, W, C),
        _Part("ove od' odi o", r"\b(?:overdosing|od'?ing|o\.d\.'?ing|oding)\b"),
        _Part(
            "ove od o od' ode odi",
            r"\b(?:going\s+to|gonna|want\s+to|wanna|plan(?:ning)?\s+(?:to|on)|about\s+to|ready\s+to|try(?:ing)?\s+to"
            r"|will|i'?ll|might|should)\s+(?:just\s+)?(?:overdose|od|o\.d\.?)(?:\s+on\s+purpose)?\b",
        ),
        _Part("too tak swa dow pop sno sho did do", rf"\b{_TAKE}"),
        _Part(
            "unt til dea",
            r"\b(?:drink|drinking|use|using|drug|drugging|smoke|smoking|shoot|shooting|party|partying)\s+(?:my\s?self|me)\s+"
            r"to\s+death\b",
            r"\b(?:drink|use|shoot|smoke|party|drug|take\s+pills)\s+(?:my\s?self\s+)?(?:until|till|til|'til)\s+i\s+"
            r"(?:die|don'?t\s+wake|stop\s+breathing|can'?t\s+wake|pass\s+out\s+(?:for\s+good|forever))\b",
        ),
        _Part(
            "sho onc tak use do sno smo",
            r"\b(?:shoot|use|do|snort|smoke|take)\s+(?:up\s+)?(?:everything\s+(?:i\s+have|i'?ve\s+got|i\s+got|left)|it\s+all\s+at\s+once"
            r"|the\s+whole\s+(?:bag|gram|stash|thing)\s+at\s+once)\b|\bshoot\s+(?:up\s+)?(?:everything|it\s+all|all\s+of\s+it)\b"
            r"|\b(?:do|use|take)\s+(?:it|them)\s+all\s+at\s+once\b"
            r"|\btake\s+them\s+all\b",
        ),
        _Part(
            "sav sto hoa col",
            r"\b(?:saving|stockpiling|hoarding|collecting)\s+(?:up\s+)?(?:my\s+|all\s+my\s+)?(?:pills|meds|medication|tabs"
            r"|pain\s+meds)\b",
        ),
        _Part(
            "how let hot",
            r"\bhow\s+many\s+(?:pills|tabs|\w+s)\s+(?:it\s+takes|does\s+it\s+take|would\s+it\s+take|to\s+(?:die|kill|od"
            r"|overdose))\b|\blethal\s+dose\b|\bhot\s+shot\b|\bhow\s+much\s+(?:\w+\s+)?(?:would|does\s+it|will)\s+"
            r"(?:it\s+)?take\s+to\s+(?:die|od|overdose|kill)\b",
        ),
        # Spanish
        _Part(
            "pas pil tom tra",
            r"\b(?:tome|tomo|tomar|tomarme|tomarse|trague|tragar|tragarme)\s+(?:\w+\s+){0,3}?(?:todas|todos|entero|entera"
            r"|frasco|caja|monton|muchas|punado|\d+)\b(?:\s+\w+){0,3}?\s+(?:pastillas|pildoras|pastis)\b",
            r"\b(?:tome|tomo|tomar|tomarme|tomarse|trague|tragar|tragarme)\s+(?:\w+\s+){0,3}?(?:pastillas|pildoras"
            r"|pastis)\s+(?:\w+\s+){0,2}?(?:de\s+golpe|que\s+tengo|que\s+tenia|entero|enteras|todas)\b",
        ),
        _Part(
            "sob",
            r"\b(?:tengo|tiene|es|esta\s+teniendo|estoy\s+teniendo)\s+una\s+sobredosis\b|\b(?:quiero|voy\s+a)\s+"
            r"(?:tener\s+una\s+)?sobredosis\b",
        ),
        self_directed=True,
    ),
    _Rule(
        "overdose_emergency",
        (C, W, W),
        _Part("bre", r"\b(?:is\s*n'?t|isnt|not|stopped|no\s+longer|barely|aren'?t)\s+breathing\b"),
        _Part(
            "lip blu",
            r"\blips?\s+(?:are\s+|is\s+|turning\s+|turned\s+|going\s+)?(?:blue|purple|gr[ae]y)\b|\bturning\s+blue\b",
        ),
        _Part("unr", r"\bunresponsive\b(?!\s+(?:to\s+(?:texts?|messages?|emails?|calls?)|lately|for\s+days)\b)"),
        _Part(
            "wak", r"\b(?:won'?t|wont)\s+wake\s+up\b|\bcan'?t\s+(?:wake|get)\s+(?:him|her|them)\s+(?:up|to\s+wake)\b"
        ),
        _Part(
            "nar",
            r"\bneeds?\s+narcan\s+(?:now|asap|fast|right\s+now)\b|\bwhere\s+(?:can\s+i\s+get|is)\s+(?:the\s+)?narcan\b",
        ),
        _Part("res des lab", r"\bno\s+(?:esta\s+)?respira\b|\bno\s+(?:se\s+)?despierta\b|\blabios\s+morados\b"),
    ),
    _Rule(
        "overdose_emergency",
        (C, W, C),
        _Part(
            "can che hea pas res sei foa pin tur thi gur sno mak blu gra gre pur",
            r"\bcan'?t\s+(?:feel\s+my\s+(?:face|legs?|arms?|body|hands?|feet|lips|chest)|breathe|stay\s+awake"
            r"|keep\s+(?:my|his|her|their)\s+eyes\s+open)\b",
            r"\b(?:heart|chest)\s+(?:is\s+)?(?:racing|pounding|hurts|hurting|stopping|slowing|feels\s+(?:weird|wrong|tight))\b"
            r"|\bchest\s+pains?\b",
            r"\b(?:is|he'?s|she'?s|they'?re|are)\s+passed\s+out\b|\bpassed\s+out\s+and\s+(?:won'?t|isn'?t|can'?t|not)\b",
            r"\b(?:won'?t|wont|isn'?t|not|aren'?t)\s+respond(?:ing)?\b(?!\s+to\s+(?:my\s+)?(?:texts?|messages?|calls?|emails?))",
            r"\b(?:he'?s|she'?s|they'?re|is|are|went|turned|turning|going|looks)\s+(?:all\s+)?(?:blue|gr[ae]y|purple)\b"
            r"|\bgurgl\w*|\bsnoring\s+(?:weird|funny|loud|strange)|\bmaking\s+(?:a|this|that|these|weird|strange)\s+(?:\w+\s+)?"
            r"(?:noises?|sounds?)\b|\bseiz(?:ing|ure)\b|\bfoaming\b|\bpinpoint\s+pupils\b|\bturning\s+(?:gray|grey|pale)\b"
            r"|\bi\s+think\s+i'?m\s+dying\b",
            also=_USE_STEMS,
        ),
        _Part(
            "res rea sie des",
            r"\bno\s+(?:responde|reacciona)\b|\bno\s+siento\s+(?:las\s+piernas|la\s+cara|los\s+brazos|el\s+cuerpo)\b"
            r"|\bse\s+desmayo\b",
            also=_USE_STEMS,
        ),
        requires=_USE_CONTEXT,
    ),
    _Rule(
        "harm_to_others",
        (C, W, W),
        _Part(
            "kil mur sta sho str cho hur jum bea",
            rf"\b(?:going\s+to|gonna|gunna|gona|will|i'?ll|want\s+to|wanna|about\s+to|ready\s+to|plan(?:ning)?\s+to"
            rf"|i\s+swear\s+i'?ll|should)\s+(?:\w+\s+)?(?:kil+|murder|stab|shoot|strangle|choke|hurt|jump"
            rf"|beat\s+(?:the\s+\w+\s+out\s+of|up))\s+{_PERSON}\b",
            r"\bshoot\s+up\s+(?:the|my|a)\s+(?:school|work|office|church|meeting|place|party|clinic)\b",
        ),
        _Part(
            "dea end reg",
            r"\b(?:he'?s|she'?s|you'?re|they'?re|he\s+is|she\s+is|you\s+are)\s+(?:a\s+)?dead\s+(?:man|woman|meat)\b"
            r"|\b(?:going\s+to|gonna|will|i'?ll)\s+end\s+(?:him|her|them)\b"
            r"|\b(?:going\s+to|gonna|will|i'?ll)\s+make\s+(?:him|her|them)\s+regret\s+(?:it|this|that)\b[^.!?\n]{0,30}?\b(?:gun"
            r"|knife|kill|hurt|bleed)\b",
        ),
        _Part(
            "gun kni rif sho pis wea glo",
            r"\b(?:gun|knife|rifle|shotgun|pistol|weapon|glock)\b[^.!?\n]{0,50}\b(?:make\s+(?:them|him|her|everyone|em)"
            r"\s+pay|kill|shoot|stab|hurt)\b",
            r"\bmake\s+(?:them|him|her|everyone|em)\s+pay\b[^.!?\n]{0,50}\b(?:gun|knife|rifle|weapon)\b",
        ),
        # Spanish
        _Part(
            "mat las apu dis",
            r"\b(?:lo|la|los|las|te)\s+voy\s+a\s+(?:matar|apunalar|lastimar|disparar)\b"
            r"|\b(?:voy\s+a|quiero)\s+(?:matarlo|matarla|matarlos|matarte|lastimarlo|lastimarla|apunalarlo)\b",
        ),
    ),
    _Rule(
        "others_at_risk",
        (C, W, W),
        _Part(
            "him her the",
            r"\b(?:kil+(?:s|ing|ed)?|kild|end(?:s|ing|ed)?|hang(?:s|ing|ed)?|hung|shoot(?:s|ing)?|shot"
            r"|unaliv(?:e|es|ing|ed))\s+(?:him|her|them)\s?sel(?:f|ves)\b",
            also="kil end han hun sho una",
        ),
        _Part("lif", r"\b(?:end|ends|ending|ended|take|takes|taking|took)\s+(?:his|her|their)\s+(?:own\s+)?life\b"),
        _Part(
            "mat sui qui",
            r"\bse\s+(?:quiere|va\s+a)\s+(?:matar|suicidar)\b|\bse\s+(?:mato|suicido|quito\s+la\s+vida)\b",
        ),
    ),
    # ------------------------------------------------------------------ warning-sign families
    # Built around the clinical warning signs (988 / AFSP / Columbia C-SSRS) rather than
    # remembered sentences: each part pairs a cue word with what makes it a sign (a means
    # with a quantity or an intent, a decision with a date or a place, a note with who it
    # is for), so new wording of the same sign is caught.
    _Rule(
        "method_research",
        (C, C, W),
        _Part(
            "way met",
            rf"\b(?:(?:painless|easiest|easy|quickest|quick|fastest|best|surest|least\s+painful|peaceful|clean)\s+"
            rf"(?:ways?|methods?)\s+(?:to\s+)?(?:go|die|do\s+it|end\s+it|check\s+out|kill|od|overdose|commit|unalive)"
            rf"|ways?\s+to\s+(?:die|kill\s+(?:my|ur|your|one)\s?sel[fv]|end\s+(?:it|my\s+life|things)|commit\s+{_SUICIDE}"
            rf"|unalive|off\s+my\s?self|od\s+on\s+purpose)|(?:painless|suicide)\s+methods?)\b",
        ),
        _Part(
            "how",
            rf"\bhow\s+to\s+(?:kill\s+(?:my|ur|your|one)\s?sel[fv]|commit\s+{_SUICIDE}|end\s+my\s+(?:own\s+)?life"
            rf"|(?:die|od|overdose)\s+(?:painlessly|quickly|fast|peacefully|in\s+my\s+sleep|on\s+purpose)|unalive\s+my\s?self"
            rf"|hang\s+my\s?self|tie\s+a\s+noose)\b",
        ),
        _Part(
            "how",
            r"\bhow\s+(?:many|much)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|those\s+|her\s+|his\s+)?(?:\w+\s+){0,2}?"
            r"(?:(?:it|would\s+it|does\s+it|will\s+it)\s+(?:would\s+|will\s+)?(?:takes?|need)|it'?d\s+take|would\s+be"
            r"|is|are|to\s+take)\s+(?:to\s+)?(?:be\s+)?(?:lethal|fatal|deadly|enough\s+to\s+(?:die|kill|not\s+wake|od)"
            r"|die|kill\s+(?:a\s+person|someone|me|my\s?self|you)|not\s+wake(?:\s+up)?|never\s+wake(?:\s+up)?"
            r"|stop\s+(?:my\s+|your\s+|a\s+)?heart|end\s+it)\b",
            r"\bhow\s+many\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|those\s+)?(?:\w+\s+)?(?:pills|tabs|tablets|meds|capsules|sleeping"
            r"\s+pills|tylenol|advil|xanax|xans|oxys?|percs|bars|benadryl|ambien|seroquel)\s+(?:it\s+(?:would|will)\s+take"
            r"|it\s+takes|would\s+it\s+take|it'?d\s+take|would\s+(?:do\s+it|kill|be\s+enough))\b",
            also="pil tab tyl adv xan oxy per bar ben amb ser med cap sle let fat dea die kil wak nev sto hea end eno",
        ),
        _Part(
            "goo sea loo res rea",
            r"\b(?:googl\w*|search\w*|look\w*\s+up|research\w*|read\w*\s+(?:up\s+)?(?:on|about))\s+(?:\w+\s+){0,2}?"
            rf"(?:{_SUICIDE}|lethal\s+doses?|overdose\s+amounts?|how\s+(?:long|much|many)\b[^.!?\n]{{0,30}}?\b(?:to\s+die"
            r"|lethal|fatal|to\s+(?:od|overdose)|would\s+take|it\s+takes)|bridges?\s+(?:high|tall)\s+enough)\b",
        ),
        _Part(
            "let fat dea",
            r"\b(?:lethal|fatal|deadly)\s+(?:dose|doses|amount|dosage|amounts)\b(?!\s+of\s+(?:naloxone|narcan)\b)",
        ),
        # Spanish
        _Part(
            "com for man bus cua",
            r"\b(?:como|formas?\s+de|maneras?\s+de)\s+(?:matarme|suicidarme|quitarme\s+la\s+vida|ahorcarme|colgarme"
            r"|morir(?:me)?\s+sin\s+dolor|morir\s+rapido)\b",
            r"\bcuantas\s+(?:\w+\s+)?(?:pastillas|pildoras)\s+(?:se\s+necesitan|necesito|hacen\s+falta|son\s+mortales)\b",
            also="mat sui qui aho col mor pas pil",
        ),
        self_directed=True,
    ),
    _Rule(
        "means",
        (C, C, W),
        _Part(
            "sto hoa sta sav jun gua acu squ",
            r"\b(?:stockpil\w*|hoard\w*|stash(?:ed|ing)|sav(?:e|ed|ing)\s+up|squirrel\w*\s+away|juntando|guardando|acumulando"
            r"|junte|guarde|acumule)\s+(?:up\s+)?(?:all\s+)?(?:of\s+)?(?:my\s+|her\s+|his\s+|the\s+|some\s+|mis\s+|las\s+|unas\s+)?"
            r"(?:\w+'?s\s+)?(?:old\s+|leftover\s+|extra\s+|spare\s+)?(?:pills|meds|medications?|tabs|tablets|oxy\w*|xan\w*|percs?"
            r"|morphine|opioids?|sleeping\s+pills|insulin|benzos?|klonopin|seroquel|ambien|painkillers|pastillas|pildoras"
            r"|medicinas|medicamentos)\b",
        ),
        _Part(
            "hol kee kep hid",
            r"\b(?:hold\w*\s+on(?:to|\s+to)|keep\w*|kept|hid\w*|hiding)\s+(?:all\s+)?(?:my\s+|her\s+|his\s+|the\s+)?(?:\w+'?s\s+)?"
            r"(?:old\s+|leftover\s+|extra\s+)?(?:pills|meds|oxy\w*|xan\w*|morphine|opioids?|sleeping\s+pills|insulin|gun"
            r"|pistol|rope|painkillers)\s+(?:\w+\s+){0,2}?(?:for\s+when\s+i'?m\s+ready|for\s+(?:the\s+)?(?:right\s+time|day"
            r"|night|end)|just\s+in\s+case|for\s+later|for\s+tonight|for\s+myself)\b",
        ),
        self_directed=True,
    ),
    _Rule(
        "means",
        (C, C, W),
        # A means in hand counts with a sign that it is meant for the writer (a place, a time, finality).
        _Part(
            "bou buy got get ord pic gra fou com con",
            r"\b(?:bought|buy(?:ing)?|got|gotten|getting|ordered|picked\s+up|grabbed|found|compre|consegui)\s+(?:me\s+|myself\s+)?"
            r"(?:a|an|the|some|una|un|mi)\s+(?:new\s+)?(?:\w+\s+)?(?:gun|pistol|rifle|shotgun|rope|noose|razor\s+blades?"
            r"|blades?|charcoal|helium|soga|cuerda|pistola|arma)\b(?:\s+(?:off|from)\s+(?:\w+\s+){1,3}?)?",
            also="kno tre bri spo nee goo lon muc ton tim don end gon rea las noc aca ter mat col cua com",
        ),
        self_directed=True,
        requires=re.compile(
            r"\b(?:i\s+know\s+(?:which|where|when|how|what\s+i'?m)|(?:which|what)\s+(?:tree|bridge|spot)|won'?t\s+(?:be\s+)?need"
            r"|for\s+(?:good|long|much\s+longer)|tonight|it'?s\s+time|goodbye|done\s+with\s+(?:life|everything|it\s+all)"
            r"|end\s+it|when\s+i'?m\s+(?:gone|ready)|ready\s+to\s+(?:go|die|end)|last\s+(?:night|day)\s+(?:on\s+earth|alive)"
            r"|ya\s+se\s+(?:donde|cuando|como)|esta\s+noche|para\s+(?:acabar|terminar|matarme|colgarme))\b"
        ),
    ),
    _Rule(
        "suicide_plan",
        (C, C, W),
        _Part(
            "pla dat tim day spo how whe met",
            r"\b(?:a|the|my)\s+(?:plan|method)\s+(?:and|&)\s+(?:a|the)\s+(?:date|time|day|place|spot)\b",
            r"\b(?:have|got|'ve\s+got|picked|chose|chosen|set|decided\s+on|figured\s+out|worked\s+out|planned|know"
            r"|knew)\s+(?:out\s+)?(?:exactly\s+)?(?:the\s+|a\s+)?(?:place|date|time|day|spot|how|when|where|method)\s+"
            r"(?:and|&)\s+(?:the\s+|a\s+)?(?:place|date|time|day|spot|how|when|where|method)\b"
            r"(?!\s+(?:to|for)\s+(?:meet|the\s+(?:wedding|party|meeting|interview|move|trip|surgery)|our|my\s+(?:wedding"
            r"|party|interview|move|trip|birthday|court)))",
        ),
        # A date chosen with nothing it is for ("I have a date picked. The 14th.").
        _Part(
            "dat day",
            r"\b(?:(?:have|got|'ve\s+got)\s+(?:a|the|my)\s+(?:date|day)\s+(?:picked|chosen|set|planned)(?:\s+out)?"
            r"|(?:picked|chose|chosen|set|decided\s+on)\s+(?:a|the|my)\s+(?:date|day))\b(?=\s*(?:[.,;:]|$|already))",
        ),
        _Part(
            "ton tod tom fin wee soo kno rea tim onc",
            r"\b(?:tonight|today|tomorrow|this\s+weekend|soon|finally)\b[^.!?\n]{0,25}?\b(?:going\s+to|gonna|gunna|imma|ima"
            r"|i'?ma|will|i'?ll)\s+(?:finally\s+)?(?:do\s+it|go\s+through\s+with\s+it)\b(?=\s*(?:[.,]|$|for\s+real|this\s+time))",
            r"\b(?:going\s+to|gonna|will|i'?ll|imma)\s+(?:finally\s+)?(?:do\s+it|go\s+through\s+with\s+it)\s+(?:tonight|for\s+real"
            r"|this\s+time|once\s+and\s+for\s+all)\b",
            r"\bi\s+know\s+exactly\s+(?:how|when|where)\b(?:\s+(?:and|&)\s+(?:how|when|where))?\s+(?:i'?m|i\s+am)\s+(?:going\s+to"
            r"|gonna)\s+do\s+it\b",
            also="do go",
        ),
        # Spanish
        _Part(
            "fec lug hor dia pla",
            r"\b(?:tengo|ya\s+tengo|elegi|escogi|decidi)\s+(?:la|el|una|un)\s+(?:fecha|dia|lugar|hora|plan)\s+(?:y|e)\s+"
            r"(?:la|el|una|un)\s+(?:fecha|dia|lugar|hora|forma|manera)\b",
        ),
        _Part("ter aca", r"\b(?:termino|terminare|acabo|acabare|voy\s+a\s+terminar)\s+con\s+todo\b"),
        self_directed=True,
        forbids=re.compile(
            r"\b(?:wedding|party|birthday|interview|move|moving|trip|vacation|surgery|appointment|court|graduation|baby"
            r"|anniversary|meeting|celebrat\w*|boda|fiesta|cumpleanos|mudanza|viaje)\b"
        ),
    ),
    _Rule(
        "preparation",
        (C, C, W),
        _Part(
            "goo far sui las fin",
            r"\b(?:goodbye|good\s?bye|farewell|suicide|last|final)\s+(?:notes?|letters?|video)\b"
            r"(?!\s+(?:to|for)\s+(?:alcohol|drinking|drugs|my\s+(?:addiction|disease|old\s+life|using)|addiction|using|booze"
            r"|the\s+bottle|meth|heroin|pills|weed|\w+\s+addiction))",
        ),
        _Part(
            "let not",
            r"\b(?:letters?|notes?)\s+(?:to|for)\s+(?:everyone|everybody|all\s+the\s+people|each\s+of\s+(?:you|them|my\s+\w+))"
            r"\s+(?:i\s+love|i\s+care\s+about|who\s+matters?)\b",
            r"\b(?:letters?|notes?)\b[^.!?\n]{0,50}?\b(?:for\s+(?:them|her|him|my\s+\w+|everyone|someone)\s+to\s+find"
            r"|left\s+(?:it|them)\s+(?:on|in|under)\s+(?:the|my)\s+(?:kitchen\s+)?(?:table|counter|bed|desk|pillow|drawer)"
            r"|put\s+them\s+(?:in|on|under)\s+(?:the|my)\s+(?:drawer|table|desk|mailbox))",
        ),
        _Part(
            "aff ord",
            r"\b(?:putting|put|got|getting|get|have|had)\s+(?:all\s+)?my\s+affairs\s+in\s+order\b"
            r"(?![^.!?\n]{0,40}\b(?:before|for)\s+(?:my|the)\s+(?:surgery|operation|deployment|trip|procedure|move))",
        ),
        _Part(
            "car loo wat rai cui",
            r"\b(?:take\s+care\s+of|look\s+after|watch\s+over|raise)\s+my\s+(?:kids?|children|son|daughter|babies|dog|cat"
            r"|pets?)\s+for\s+me\b(?!\s+(?:this|next|on|while|until|till|tomorrow|for\s+(?:a|the)\s+(?:bit|day|week|weekend"
            r"|night|afternoon)|when\s+i'?m\s+at))",
            r"\bcuid(?:en|a|ad)\s+(?:a|de)\s+mis?\s+(?:perr[oa]s?|gat[oa]s?|hij[oa]s?|mascotas?|ninos|familia)\s+por\s+mi\b",
        ),
        _Part(
            "car des not sui",
            r"\bcartas?\s+de\s+despedida\b(?!\s+(?:a|al|para)\s+(?:el\s+alcohol|la\s+droga|las\s+drogas|mi\s+adiccion))"
            r"|\bnota\s+(?:de\s+)?suicid\w*",
        ),
        self_directed=True,
    ),
    _Rule(
        "burden",
        (C, C, W),
        _Part(
            "pro bur bot hea wor",
            r"\b(?:won'?t|will\s+not|wont|not\s+going\s+to|no\s+longer\s+going\s+to)\s+be\s+(?:a|your|anyone'?s|everyone'?s"
            r"|their|a\s+\w+)\s+(?:problem|burden|bother|headache|worry)\s+(?:\w+\s+){0,3}?(?:much\s+longer|for\s+(?:much\s+)?long"
            r"|soon|after\s+(?:tonight|today)|for\s+ever|forever)\b",
            r"\bburden\b[^.!?\n]{0,40}?\b(?:soon\s+i\s+won'?t\s+be|not\s+for\s+(?:much\s+)?long(?:er)?|won'?t\s+be\s+(?:for\s+long"
            r"|much\s+longer))\b",
        ),
        _Part(
            "ins wor",
            r"\bworth\s+more\s+(?:to\s+(?:them|my\s+family|everyone)\s+)?dead\b"
            r"|\b(?:life\s+)?insurance\b[^.!?\n]{0,50}?\b(?:better\s+off|when\s+i'?m\s+gone|if\s+i\s+(?:die|died|was\s+gone"
            r"|wasn'?t\s+here)|after\s+i'?m\s+gone)\b|\bbetter\s+off\s+with\s+(?:the|my)\s+(?:life\s+)?insurance\b",
        ),
        _Part(
            "bet hap eas fin rel lig",
            r"\b(?:better|happier|easier|fine|relieved|lighter)\b[^.!?\n]{0,40}?\bif\s+i\s+(?:just\s+)?(?:wasn'?t|weren'?t|was\s+not"
            r"|were\s+not)\s+(?:in\s+(?:it|(?:their|your|the|his|her)\s+li(?:fe|ves)|the\s+picture)|born)\b",
            r"\b(?:better|happier|easier|fine|relieved)\b[^.!?\n]{0,40}?\bif\s+i\s+(?:just\s+)?(?:overdosed|od'?d|ended\s+it"
            r"|killed\s+my\s?self|took\s+all\s+my\s+pills|was\s+dead|were\s+dead|disappeared\s+for\s+good)\b",
        ),
        # Spanish
        _Part(
            "car",
            r"\b(?:no\s+voy\s+a\s+ser|dejare\s+de\s+ser)\s+(?:una\s+)?carga\s+(?:por\s+)?(?:mucho\s+(?:tiempo|mas)|pronto)\b",
        ),
        self_directed=True,
    ),
    _Rule(
        "suicidal_intent",
        (C, C, W),
        _Part(
            "hop hit wis pra",
            r"\b(?:hope|hoping|wish|pray(?:ing)?)\s+(?:that\s+)?(?:i\s+)?(?:get|got|gets)\s+(?:hit\s+by\s+a\s+(?:car|bus|truck"
            r"|train|drunk\s+driver)|run\s+over|killed|shot|in\s+a\s+(?:crash|wreck|fatal\s+accident))\b",
            also="hit run kil sho cra wre",
        ),
        _Part(
            "wis bor",
            r"\bwish\s+i\s*(?:'?d|had|would\s+have)\s+never\s+(?:been\s+born|existed|woken\s+up)\b"
            r"|\bwish\s+i\s+(?:wasn'?t|weren'?t|was\s+never)\s+born\b",
        ),
        _Part(
            "dea",
            r"\b(?:want(?:s)?\s+to|wanna|wana|rather|ready\s+to|just\s+want\s+to|i'?d\s+rather|wish\s+i\s+could)\s+(?:just\s+)?"
            r"be\s+dead\b(?!\s+(?:tired|serious|asleep)\b)",
        ),
        _Part(
            "car wak die liv",
            r"\b(?:don'?t|dont|do\s+not|no\s+longer|not)\s+(?:even\s+)?car(?:e|ing)\s+(?:if|whether)\s+i\s+(?:wake\s+up|die|live"
            r"|make\s+it|od|overdose|survive|come\s+back|see\s+tomorrow)\b",
        ),
        _Part(
            "end imm ima i'm fin bou gon",
            r"\b(?:imma|ima|i'?ma|finna|boutta|bout\s+to|gon)\s+(?:just\s+)?(?:end\s+(?:it|things|everything|my\s+life)"
            r"|kill\s+my\s?self|die|unalive\s+my\s?self|do\s+it\s+tonight)\b",
            also="end kil die una ton",
        ),
        _Part(
            "wak ton",
            r"\b(?:and|then|so)\s+(?:just\s+)?(?:hope|pray|hopefully)\s+(?:i\s+)?(?:don'?t|never|won'?t|do\s+not)\s+wake(?:\s+up)?\b",
        ),
        self_directed=True,
    ),
    _Rule(
        "overdose",
        (C, W, C),
        _Part(
            "who ent",
            r"\b(?:do|doing|did|use|using|shoot|shooting|take|taking|snort\w*|smok\w*|drink\w*)\s+(?:up\s+)?(?:the\s+|my\s+)?"
            r"(?:whole|entire)\s+(?:bag|gram|stash|bottle|pack|script|supply|thing|fifth|handle)\b",
            also="alo mys sel car wak pur onc die dyi nob no one bod",
        ),
        self_directed=True,
        requires=re.compile(
            r"\b(?:alone|by\s+my\s?self|don'?t\s+care|not\s+wake|never\s+wake|on\s+purpose|at\s+once|die|dying"
            r"|wake\s+up|no\s?(?:one|body)\s+(?:can|will|could))\b"
        ),
    ),
    _Rule(
        "overdose",
        (C, W, C),
        _Part(
            "eve all",
            r"\b(?:swallow\w*|tak(?:e|ing)|down(?:ing)?|eat(?:ing)?|tragar(?:me)?|tomar(?:me)?)\s+(?:every(?:thing|\s+pill|\s+last\s+pill)"
            r"|all\s+(?:the\s+)?(?:pills|meds))\s+(?:in|from)\s+(?:my|the)\s+(?:medicine\s+cabinet|cabinet|bathroom|drawer"
            r"|cupboard|house)\b",
        ),
        _Part(
            "fin sav rev nar sto",
            r"\b(?:so|and)\s+(?:no\s?(?:one|body)|nobody)\s+(?:can|will|could)\s+(?:find|stop|save|narcan|revive)\s+me\b",
            also="use usi sho dos pil fen her dop",
        ),
        self_directed=True,
    ),
    _Rule(
        "harm_to_others",
        (C, W, W),
        _Part(
            "mak get tea rev pay gun kni rif sho pis glo mac",
            r"\b(?:make\s+(?:\w+\s+){0,2}?pay|get\s+(?:back\s+at|even\s+with)|teach\s+(?:\w+\s+){0,2}?a\s+lesson|revenge"
            r"|payback)\b[^.!?\n]{0,80}?\b(?:gun|knife|rifle|shotgun|pistol|glock|machete|blade|bat)\b",
            r"\b(?:gun|knife|rifle|shotgun|pistol|glock|machete)\b[^.!?\n]{0,80}?\b(?:make\s+(?:\w+\s+){0,2}?pay"
            r"|get\s+(?:back\s+at|even\s+with)|teach\s+(?:\w+\s+){0,2}?a\s+lesson|revenge|payback)\b",
            also="gun kni rif sho pis glo mac bla bat",
        ),
        _Part(
            "imm ima i'm fin bou",
            rf"\b(?:imma|ima|i'?ma|finna|boutta)\s+(?:\w+\s+)?(?:kil+|murder|stab|shoot|strangle|hurt)\s+{_PERSON}\b",
            also="kil mur sta sho str hur",
        ),
    ),
    _Rule(
        "recent_overdose",
        (W, W, W),
        _Part("od' ode o ove", r"\b(?:od'?d|oded|o\.d\.'?d|overdosed)\b"),
        _Part(
            "ove od fen her",
            r"\b(?:had|have\s+had|after|from|survived)\s+(?:an?\s+|my\s+|another\s+|his\s+|her\s+)?(?:overdose|od)\b",
            r"\b(?:died|passed\s+away|dying|lost\s+(?:him|her|them|my\s+\w+))\s+(?:of|from|to)\s+(?:an?\s+)?(?:overdose|od"
            r"|fentanyl|heroin)\b",
        ),
        _Part(
            "sob",
            r"\b(?:tuve|tuvo|le\s+dio|me\s+dio|sufri|sufrio|casi\s+me\s+muero\s+de|murio\s+de)\s+una\s+sobredosis\b",
        ),
    ),
    _Rule(
        "craving",
        (W, W, W),
        _Part(
            _DESIRE_STEMS,
            rf"\b{_DESIRE}\s+(?:to\s+)?(?:\w+\s+)?{_SUBST}",
            also=_SUBST_STEMS,
        ),
        _Part(
            _DESIRE_STEMS,
            rf"\b{_DESIRE}\b[^.!?\n]{{0,40}}?\b(?:going\s+out\s+drinking|go\s+out\s+drinking|get(?:ting)?\s+(?:drunk|high|wasted"
            rf"|loaded))\b",
            also="dri dru hig was loa",
        ),
        _Part(
            "wak",
            r"\bwak(?:e|ing)\s+up\s+(?:wanting|craving|needing)\s+(?:one|a\s+drink|a\s+beer|to\s+(?:use|drink)|a\s+hit|a\s+fix)\b",
        ),
        _Part(
            "cra urg jon fie fee dop whi rom eup fix",
            r"\b(?:need|needing|want|wanna|get|gotta\s+get|score|chasing)\s+(?:a|my|another)\s+fix\b",
            r"\bromantici[sz]\w*\s+(?:my\s+|the\s+|about\s+)?(?:using|drinking|old\s+life|drugs|alcohol|getting\s+high|partying"
            r"|it|dope|the\s+high)\b|\beuphoric\s+recall\b",
            r"\bcrav(?:e|es|ed|ing|ings)\b|\burges\b|\b(?:strong|bad|huge|intense|big)\s+urges?\b|\bjonesing\b|\bfiending\b"
            r"|\bfeenin\w*|\bdope\s?sick\b|\bwhite[\s-]?knuckl\w*",
        ),
        _Part(
            "sca afr edg ext",
            r"\b(?:scared|afraid|worried)\s+(?:that\s+)?(?:i'?ll|i\s+will|i'?m\s+going\s+to|i\s+might)\s+(?:use|drink|relapse"
            r"|pick\s+up|get\s+high)\b|\btake\s+the\s+edge\s+off\b|\b(?:take|taking)\s+(?:an?\s+)?extra\s+(?:pill|dose|bar"
            r"|xan\w*|oxy\w*|perc)\b",
        ),
        _Part(
            "one",
            r"\bone\s+(?:drink|beer|hit|line|pill|bump|time)\s+(?:won'?t|wouldn'?t|can'?t|couldn'?t|isn'?t\s+going\s+to)\s+hurt\b",
        ),
        # Spanish
        _Part(
            "gan qui nec pen tem ext ans ant",
            r"\b(?:ganas\s+(?:\w+\s+)?de|quiero|necesito|pensando\s+en|pienso\s+en|tentad[oa]\s+(?:a|de)|extrano)\s+(?:beber|tomar\b"
            r"|consumir|drogarme|fumar|emborracharme|usar|meterme|un\s+trago|una\s+cerveza|alcohol|la\s+droga"
            r"|las\s+drogas|coca|piedra)\b|\bansias\s+de\b|\bantojo\b",
        ),
    ),
    _Rule(
        "return_to_use",
        (W, W, W),
        _Part(
            "rel sli lap ben bin run",
            r"\bbenders?\b|\bbinge[ds]?\s+(?:drank|drinking|drink|on\s+(?:booze|alcohol|coke|meth|pills|dope))\b"
            r"|\bwent\s+on\s+a\s+(?:run|binge)\b",
            r"\brelaps(?:e|ed|ing|es)\b(?!\s+prevention\b)|\b(?:had\s+a|my)\s+(?:slip|relapse|lapse)\b",
            r"\bslipped(?:\s+up)?\b(?!\s+(?:on|and\s+fell|in\s+the|out|away|my\s+mind|through|into|off|and\s+hurt)\b)",
        ),
        _Part(
            "wag day los res dra",
            r"\bfell\s+off\s+the\s+wagon\b|\bback\s+(?:on|to|at)\s+day\s+(?:1|one|zero|0)\b|\bday\s+(?:1|one|\d+)\s+again\b",
            r"\blost\s+my\s+(?:sobriety|clean\s+time|sober\s+time|date|sober\s+date|sobriety\s+date|streak)\b"
            r"|\breset\s+my\s+(?:date|clock|sobriety|counter|app|days)\b|\b\d+\s+days\s+down\s+the\s+drain\b",
        ),
        _Part(
            "use usi dra dri smo sho got pic too had did",
            r"\b(?:used|using|drank|drinking|smoked|smoking|shot\s+up|shooting\s+up|got\s+(?:high|drunk|wasted|loaded|lit"
            r"|hammered|stoned)|picked\s+up|took\s+a\s+(?:drink|hit|shot)|had\s+a\s+(?:drink|beer|hit|shot)"
            r"|did\s+(?:a\s+line|coke|meth|dope|heroin|fent|lines))(?:\s+(?:a|some|the|my|\d+)?\s*(?:meth|dope|heroin|fent\w*"
            r"|coke|crack|pills?|weed|joint|blunt|bowl|spliff|line|lines|bump|hits?|drinks?|beers?|shots?|bag|gram|wine|vodka"
            r"|whiske?y|liquor|booze|oxy\w*|xan\w*|percs?|bars?|a\s+little|some))?\s+(?:again|last\s+(?:night|week|weekend)|yesterday|this\s+(?:morning|weekend|week|afternoon)"
            r"|tonight|today|after\s+\d+|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
            also="aga las yes thi ton tod aft mon tue wed thu fri sat sun",
        ),
        _Part(
            "had",
            r"\bhad\s+(?:a\s+few|some|a\s+couple(?:\s+of)?|\d+|two|three|four|five|a\s+bunch\s+of)\s+(?:beers|drinks|shots"
            r"|glasses\s+of\s+wine|hits|lines|pills)\b|\b(?:had|have\s+had)\s+(?:a\s+few|a\s+couple|one\s+too\s+many)\b"
            r"(?=\s*(?:[.!?,;]|$|and\b|last\b|tonight\b))",
        ),
        _Part(
            "dri usi smo dru hig",
            r"\b(?:drinking|using|smoking|drunk|high)\b(?:\s+(?!(?:tea|coffee|water|juice|soda|kombucha|milk|smoothies?|pot\s+roast)"
            r"\b)\w+){1,4}?\s+again\b",
            also="aga",
        ),
        _Part(
            "wou was", r"\b(?:wouldn'?t|would\s+not|wasn'?t\s+going\s+to)\s+(?:drink|use|pick\s+up)\s+but\s+i\s+did\b"
        ),
        _Part(
            "had fir dri bee",
            r"\bhad\s+(?:a|one|my\s+first)\s+(?:glass\s+of\s+(?:wine|champagne)|beer|drink|shot|hit|line|joint|bump)\b"
            r"(?!\s+of\s+(?:water|juice|soda|coffee|tea|milk|kombucha))",
            r"\b(?:first|1st)\s+(?:drink|beer|hit|time\s+(?:using|drinking))\s+in\s+(?:a|\d+|two|three|four|five|six|many)\s+"
            r"(?:years?|months?|weeks?|days?)\b",
        ),
        _Part(
            "sli fal old",
            r"\b(?:slipping|sliding|falling)\s+back\s+(?:into|to)\s+(?:my\s+)?(?:old\s+)?(?:habits|ways|patterns|behaviou?rs|using"
            r"|drinking|addiction)\b",
        ),
        _Part(
            "dra use got",
            r"\bi\s+(?:drank|used|got\s+(?:high|drunk|wasted|loaded))(?=\s*(?:[.!?,;]|$|and\b|so\b|again\b))",
            r"\bgot\s+(?:really|so|super|pretty|very|completely|totally)\s+(?:drunk|wasted|high|hammered|loaded|smashed)\b"
            r"(?!\s+on\s+life\b)",
        ),
        # Spanish
        _Part(
            "rec vol tom beb con fum use",
            r"\brecai(?:da|do|go)?\b|\bvolvi\s+a\s+(?:consumir|beber|tomar|usar|drogarme|fumar|caer)\b"
            r"|\b(?:tome|bebi|consumi|fume|use)\s+(?:anoche|ayer|otra\s+vez|de\s+nuevo|hoy)\b"
            r"|\b(?:me\s+)?(?:tome|tomo|bebi)\s+(?:unas?|un\s+par\s+de|\d+|varias|algunas|dos|tres)\s+(?:cervezas|copas|tragos|shots"
            r"|chelas|caguamas)\b",
        ),
    ),
    _Rule(
        "risky_situation",
        (W, W, W),
        _Part("dea liq", r"\bdealer\b|\bliquor\s+store\b"),
        _Part(
            "bee boo alc win liq pil dru",
            r"\b(?:beer|booze|alcohol|wine|liquor|pills|drugs|dope)\s+(?:in|around)\s+(?:the|my|our)\s+(?:house|fridge|apartment"
            r"|place|room|car)\b",
        ),
        _Part(
            "bar pub clu par",
            r"\b(?:ended\s+up|wound\s+up|was|sitting|sat)\s+(?:at|in)\s+(?:the|a)\s+(?:bar|pub|club|trap\s+house)\b",
            r"\b(?:party|bar|club|house)\s+(?:where|with)\b[^.!?\n]{0,30}?\b(?:coke|drugs|booze|alcohol|drinking|meth|pills|dope"
            r"|molly|weed)\b",
        ),
        _Part(
            "plu con",
            r"\b(?:my|old|the|hit\s+up|text(?:ed|ing)?|call(?:ed|ing)?|dm(?:ed)?)\s+(?:old\s+)?plug\b"
            r"(?!\s+(?:in|into|for|it)\b)|\bold\s+connect\b",
        ),
        _Part(
            "bar pub clu tra dis",
            r"\b(?:go(?:ing)?|head(?:ing)?|went|stop(?:ping)?\s+(?:by|at))\s+(?:to\s+)?(?:the|a)\s+(?:bar|pub|club"
            r"|trap(?:\s+house)?|dispensary)\b(?!\s+(?:mitzvah|bat\s+mitzvah|exam|association|council))",
        ),
        _Part(
            "bou get gra buy pic",
            r"\b(?:bought|buy|buying|get|getting|grab|grabbing|pick\s+up|picked\s+up)\s+(?:a|another|some|a\s+little)\s+"
            r"(?:bottle|fifth|pint|handle|six\s?pack|case|bag|baggie|gram|point|pills|dope|booze|beer|wine)\b"
            r"(?!\s+of\s+(?!(?:wine|vodka|whiske?y|tequila|rum|gin|liquor|booze|jack|beer|champagne|bourbon|\w+\s+(?:wine|vodka"
            r"|whiske?y))\b)|\s+for\s+the\s+baby\b)",
        ),
    ),
    _Rule(
        "hopelessness",
        (W, W, W),
        _Part(
            "hop",
            r"\bhopeless\w*|\bno\s+hope\b|\b(?:lost|losing|lose|running\s+out\s+of)\s+(?:all\s+|my\s+)?hope\b",
        ),
        _Part(
            "poi",
            r"\bpointless\b|\b(?:don'?t|can'?t|do\s+not)\s+see\s+(?:the|a|any)\s+point\b"
            r"|\bno\s+point\s+(?:in\s+)?(?:anything|any\s+of\s+(?:it|this))\b",
        ),
        _Part(
            "poi bot try",
            r"\bwhat'?s\s+(?:even\s+)?the\s+point\b|\bwhats\s+(?:even\s+)?the\s+point\b|\bwhat\s+is\s+the\s+point\b"
            r"|\bno\s+point\s+(?:in\s+)?(?:trying|anymore|any\s+more)\b|\bwhy\s+(?:do\s+)?i\s+(?:even\s+)?(?:bother|try)\b",
        ),
        _Part(
            "giv",
            r"\bi\s+give\s+up\b|\bgiving\s+up\b(?!\s+(?:coffee|sugar|meat|caffeine|smoking|soda|for\s+lent|my\s+seat)\b)",
        ),
        _Part(
            "not wor",
            r"\bnothing\s+(?:i\s+do\s+)?(?:matters|will\s+(?:ever\s+)?change|ever\s+changes|helps)\b|\bworthless\b",
        ),
        _Part(
            "fai was los fuc scr dis hat mak fee",
            r"\bi'?m\s+(?:such\s+)?(?:a\s+)?(?:failure|waste\s+of\s+space|lost\s+cause|fuck\s?up|screw\s?up|disappointment"
            r"|loser)\b|\bi\s+(?:really\s+|just\s+|fucking\s+)?hate\s+(?:myself|my\s+life|who\s+i'?ve\s+become)\b",
            r"\b(?:makes?|making)\s+me\s+want\s+to\s+die\b|\bfeel(?:ing)?\s+like\s+dying\b",
        ),
        _Part(
            "bet sob cle see",
            r"\b(?:never|not)\s+(?:going\s+to|gonna)\s+get\s+better\b|\bnever\s+(?:be\s+able\s+to\s+)?(?:stay|be|get)\s+"
            r"(?:sober|clean)\b",
            r"\b(?:don'?t|can'?t|never)\s+see\s+(?:things|it|life|anything|myself)\s+(?:ever\s+)?(?:getting|get)\s+better\b",
            r"\b(?:don'?t|can'?t|never)\s+see\s+myself\s+(?:ever\s+)?(?:staying|being|getting|making\s+it)\s*(?:sober|clean|better"
            r"|in\s+recovery)?\b",
        ),
        _Part(
            "can",
            r"\bcan'?t\s+(?:do\s+this|take\s+(?:it|this)|go\s+on|keep\s+going|handle\s+(?:it|this))\s+(?:anymore|any\s+more"
            r"|no\s+more)\b|\bcan'?t\s+go\s+on\b|\bcan'?t\s+(?:keep\s+)?(?:living|live)\s+like\s+this\b"
            r"|\bcan'?t\s+keep\s+(?:going|doing\s+this|fighting)\b",
        ),
        _Part("lon", r"\b(?:don'?t|do\s+not)\s+know\s+how\s+(?:much\s+)?(?:longer|long)\s+i\s+can\b"),
        _Part(
            "bur",
            r"\b(?:feel|feeling|i'?m|i\s+am)\s+(?:like\s+)?(?:such\s+)?a\s+burden\b|\bburden\s+(?:to|on)\s+(?:everyone"
            r"|my\s+family|everybody|people)\b",
        ),
        _Part(
            "way emp num dea wal wor dep bed",
            r"\bno\s+way\s+out\b|\b(?:feel|feeling)\s+(?:so\s+|really\s+)?(?:empty|numb)\b|\bdead\s+inside\b|\bhit\s+a\s+wall\b",
            r"\bnothing\s+(?:feels|seems|is)\s+worth\s+(?:it|anything|doing)\b|\b(?:i'?m|been|feel|feeling)\s+(?:so\s+|really\s+|very\s+)?"
            r"depressed\b|\bcan'?t\s+(?:even\s+|barely\s+)?get\s+out\s+of\s+bed\b|\bcan\s+barely\s+get\s+out\s+of\s+bed\b",
        ),
        _Part(
            "tir lik don",
            r"\btired\s+of\s+(?:everything|fighting|trying|it\s+all)\b|\bdon'?t\s+want\s+to\s+live\s+like\s+(?:this|that)\b"
            r"|\bdone\s+with\s+(?:everything|life|it\s+all)\b",
        ),
        # Spanish
        _Part(
            "agu esp sen pue seg har sir fra car des vac gan",
            r"\bya\s+no\s+aguanto\b|\bno\s+aguanto\s+mas\b|\bsin\s+esperanzas?\b|\bno\s+tiene\s+sentido\b|\bno\s+puedo\s+mas\b"
            r"|\bpara\s+que\s+seguir\b|\bhart[oa]\s+de\s+todo\b|\bno\s+sirvo\s+para\s+nada\b|\bsoy\s+una?\s+(?:fracas\w*|carga)\b"
            r"|\bdesesperad[oa]\b|\bvaci[oa]\b|\bsin\s+ganas\s+de\s+nada\b|\bno\s+tengo\s+ganas\s+de\s+nada\b",
            r"\bme\s+siento\s+(?:como\s+)?una\s+carga\b",
        ),
        _Part(
            "dea dyi",
            r"\b(?:think|thinking|thought|thoughts)\s+(?:a\s+lot\s+)?(?:about|of)\s+(?:death|dying|being\s+dead)\b",
        ),
        _Part(
            "stu dum dra cra",
            r"\b(?:not\s+going\s+to|not\s+gonna|won'?t|wont|will\s+not)\s+do\s+anything\s+(?:stupid|dumb|drastic|crazy)\b",
        ),
    ),
    _Rule(
        "isolation",
        (W, W, W),
        _Part("lon iso", r"\blonely\b|\bloneliness\b|\bisolat(?:ed|ing|ion)\b"),
        _Part(
            "sin per fri",
            r"\b(?:don'?t|do\s+not)\s+have\s+(?:a\s+single|one|even\s+one)\s+(?:person|friend|soul)\b",
        ),
        _Part(
            "alo",
            r"\b(?:so|very|really|all|completely|totally|utterly|feel|feeling|and)\s+alone\b|\b(?:i'?m|i\s+am|feel|feeling)\s+"
            r"(?:so|very|really|completely|totally|all)\s+alone\b",
        ),
        _Part(
            "one noo nob bod any fri",
            r"\bno\s?(?:one|body)\s+(?:cares|gives\s+a|understands|gets\s+(?:it|me)|loves\s+me|likes\s+me|wants\s+me"
            r"|talks\s+to\s+me|checks\s+on\s+me|would\s+care)\b|\bno\s?(?:one|body)\s+to\s+(?:talk\s+to|turn\s+to|call)\b",
            r"\bno\s?(?:one|body)\s+(?:even\s+|ever\s+)?(?:texts|calls|messages|checks\s+(?:on|in\s+on)|reaches\s+out\s+to"
            r"|notices|visits|listens\s+to|talks\s+to|asks\s+about)\s+me\b",
            r"\b(?:don'?t|do\s+not)\s+have\s+any(?:one|body)\b|\bi\s+have\s+(?:no\s?one|nobody|no\s+friends)\b"
            r"|\b(?:have|got)\s+no\s+friends\b",
        ),
        _Part("eve", r"\bevery(?:one|body)\s+(?:left|abandoned|hates|gave\s+up\s+on)\s+me\b"),
        _Part(
            "inv aba for",
            r"\b(?:feel|feeling|felt|i'?m|so)\s+(?:so\s+|completely\s+|totally\s+|really\s+)?(?:invisible|abandoned|forgotten)\b",
        ),
        _Part(
            "hid avo pul pus shu mee iso wou",
            r"\b(?:hiding|withdrawing|avoiding|pulling\s+away|isolating)\s+from\s+(?:everyone|everybody|people|my\s+(?:friends"
            r"|family|sponsor|group|peers))\b|\bpushing\s+(?:everyone|everybody|people)\s+away\b"
            r"|\bshut\s+(?:myself\s+in|everyone\s+out)\b"
            r"|\bhaven'?t\s+(?:been\s+to|gone\s+to|made\s+it\s+to)\s+(?:a|any)\s+meetings?\s+in\s+(?:weeks|months|a\s+while|ages)\b",
            r"\b(?:no\s?(?:one|body)|(?:(?:don'?t|do\s+not)\s+(?:think|feel\s+like|believe)\s+)?(?:anyone|anybody))\s+would\s+"
            r"(?:even\s+)?(?:notice|care|miss\s+me)\s+if\s+i\s+(?:stopped|left|quit|didn'?t|don'?t|never)\b",
        ),
        _Part(
            "hav cut",
            r"\bhaven'?t\s+(?:left|been\s+out\s+of|gotten\s+out\s+of)\s+(?:my|the)\s+(?:apartment|house|room|bed|place|flat)\b"
            r"|\bhaven'?t\s+(?:talked|spoken)\s+to\s+any(?:one|body)\b|\bcut\s+(?:everyone|everybody|people|all\s+my\s+friends)"
            r"\s+off\b",
        ),
        # Spanish
        _Part(
            "nad sol ais sie est",
            r"\bnadie\s+me\s+(?:entiende|quiere|escucha|habla|busca)\b|\b(?:me\s+siento|estoy|siento)\s+(?:muy\s+|tan\s+)?sol[oa]\b"
            r"|\bsoledad\b|\baislad[oa]\b|\bnadie\s+se\s+preocupa\b|\ba\s+nadie\s+le\s+(?:importo|importa)\b",
        ),
    ),
)

_RULE_PARTS = _Group([(rule, part) for rule in _RULES for part in rule.parts])

# --------------------------------------------------------------------------- words a match needs
#
# The context patterns run on every match, over a clause or a sentence, and ``re`` tries
# each at every position. Most of those texts lack every word the pattern needs, and a
# substring test says so far faster. The needed words are read off the parsed pattern, so
# the test can only ever skip a search that would have found nothing.

_Needs = frozenset[str] | None


def _needs(items: Any) -> _Needs:
    """Strings one of which every match of the parsed sequence contains (None: no such set)."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)
            continue
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width: the characters on both sides are next to each other
        if run:
            options.append(frozenset([run]))
            run = ""
        inner: _Needs = None
        if op is _sre.SUBPATTERN:
            inner = _needs(av[3])
        elif op is _sre.BRANCH:
            alternatives = [_needs(alternative) for alternative in av[1]]
            if all(alternative is not None for alternative in alternatives):
                inner = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            inner = _needs(av[2])
        elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in av):
            inner = frozenset(chr(value) for _, value in av)
        if inner is not None:
            options.append(inner)
    if run:
        options.append(frozenset([run]))
    return max(options, key=_needs_score, default=None)


def _needs_score(needs: frozenset[str]) -> tuple[int, int]:
    # Short strings turn up in nearly every text ("in", "a"), so the shortest string counts most;
    # digits and characters beyond ASCII (emoji) are rarer than letters.
    return min(len(text) + 2 * (not text.isascii()) + (not text.isalpha()) for text in needs), -len(needs)


class _Needing:
    """A compiled pattern whose ``search`` first checks that the text has a word it needs."""

    __slots__ = ("needs", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        needs = _needs(_sre_parse.parse(pattern.pattern)) if not pattern.flags & ~re.UNICODE else None
        self.needs = tuple(sorted(needs)) if needs and _needs_score(needs)[0] >= _MIN_NEED else None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self.needs is not None:
            scope = text[pos:endpos] if pos or endpos < len(text) else text
            if not any(map(scope.__contains__, self.needs)):
                return None
        return self.pattern.search(text, pos, endpos)


_MIN_NEED = 2


# --------------------------------------------------------------------------- context

# Clause breaks; those in group "s" also end a sentence (for time words) and a clause (for negation).
_BREAK = re.compile(
    r"(?P<s>[,()\"]*[.!?;:\n][.!?;:\n,()\"]*|\b(?:but|however|though|although|now|today|nowadays|these\s+days|lately|ahora"
    r"|hoy|pero|aunque)\b)|[,()\"]+|\s-+\s|\b(?:and|so|because|cause|cuz|bc|y|porque|pues)\b"
)
_NEGATION = re.compile(
    r"\b(?:(?P<pseudo>no\s?(?:one|body)|no\s+matter|not\s+(?:sure|okay|ok|fine|good|well|joking|kidding|lying|even\s+sure"
    r"|really\s+sure|alright|coping)|don'?t\s+know|dont\s+know|no\s+idea|can'?t\s+(?:take|stand|cope|handle|stop|deal|do\s+this"
    r"|keep|sleep)|cannot\s+(?:take|stand|cope|stop)|won'?t\s+stop|doesn'?t\s+matter|no\s+puedo\s+mas)"
    r"|(?P<neg>not|never|no|don'?t|dont|do\s+not|won'?t|wont|wouldn'?t|wouldnt|isn'?t|isnt|aren'?t|ain'?t|haven'?t|havent"
    r"|hasn'?t|hadn'?t|didn'?t|didnt|cannot|can'?t|cant|no\s+longer|without|nunca|jamas|tampoco))\b"
)
_AFTER_NEGATION = re.compile(
    r"\s*(?:(?:are|is|have|has|had|were|'re|'s)\s+(?:(?:been|finally|mostly|all|totally|completely|pretty\s+much)\s+)*"
    r"(?:gone|over|stopped|faded|disappeared|went\s+away|eased(?:\s+up)?|lifted|lifting|improving|manageable|under\s+control"
    r"|fewer|less\s+(?:often|intense|frequent)|weaker|quieter|passed)|[?:,.!-]+\s*(?:none|zero|nope|nada|not\s+today))\b"
)
_RECOVERED = re.compile(r"\b(?:any\s?more|no\s+longer|ya\s+no)\b")
_HEDGE = re.compile(r"\b(?:probably|maybe|i\s+think|idk|i\s+don'?t\s+know|hopefully|i\s+hope|not\s+sure|yet)\b")
_SAFETY = _Needing(
    re.compile(
        r"\b(?:would\s+never|'?d\s+never|won'?t|will\s+not|not\s+going\s+to|never)\s+(?:actually\s+)?(?:do\s+(?:it|that|anything)"
        r"|act\s+on)|\bi'?m\s+safe\b|\bi\s+am\s+safe\b|\bnot\s+planning\s+(?:to|on)\b|\bno\s+plans?\s+to\b"
        r"|\bnot\s+going\s+to\s+do\s+anything\b|\bestoy\s+a\s+salvo\b|\bno\s+lo\s+voy\s+a\s+hacer\b"
    )
)
_DISTANT = _Needing(
    re.compile(
        r"\b(?:(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|many|several|few|couple(?:\s+of)?"
        r"|some)\s+(?:years?|yrs?|months?|decades?)\s+ago|years\s+ago|long\s+(?:time\s+)?ago|used\s+to"
        r"|back\s+(?:then|in\s+the\s+day|in\s+(?:19|20)\d\d|when)|in\s+(?:19|20)\d\d|since\s+(?:19|20)\d\d"
        r"|when\s+i\s+was\s+(?:\w+\s+)?(?:using|drinking|younger|a\s+(?:kid|teen|teenager)|in\s+(?:active|my|high|college"
        r"|the\s+program)|\d+|sick|active|still|a\s+mess|at\s+my\s+worst)"
        r"|in\s+(?:my\s+)?(?:active\s+)?(?:addiction|using\s+days|drinking\s+days|active\s+use|first\s+year|twenties|teens"
        r"|thirties|\d0s)"
        r"|before\s+(?:i\s+(?:got|was|came\s+into|found|started)\s+)?(?:sober|clean|recovery|sobriety|the\s+program|treatment"
        r"|rehab)"
        r"|rock\s+bottom|at\s+my\s+(?:lowest|worst)|last\s+(?:year|time)|(?:i\s+)?remember\s+when"
        r"|when\s+i\s+(?:first\s+)?(?:got\s+(?:sober|clean)|came\s+in|got\s+here|joined|started\s+recovery)"
        r"|in\s+(?:my\s+)?early\s+(?:recovery|sobriety|days)"
        r"|hace\s+(?:\d+|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|muchos|varios|unos)\s+(?:anos?|meses|mes)"
        r"|antes|cuando\s+(?:consumia|bebia|tomaba|usaba|me\s+drogaba|era|estaba\s+en)|el\s+ano\s+pasado|en\s+mi\s+adiccion)\b"
    )
)
_RECENT = _Needing(
    re.compile(
        r"\b(?:yesterday|last\s+(?:night|week|weekend|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
        r"|this\s+(?:morning|week|weekend|afternoon|evening)|earlier\s+today|the\s+other\s+(?:day|night)"
        r"|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
        r"|(?:\d+|a|one|two|three|four|five|six|seven|a\s+few|few|couple(?:\s+of)?|a\s+couple(?:\s+of)?)\s+"
        r"(?:days?|weeks?|nights?)\s+ago"
        r"|ayer|anoche|la\s+semana\s+pasada|el\s+(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
        r"|hace\s+(?:\d+|unos|pocos|dos|tres)\s+(?:dias|semanas))\b"
    )
)
_NOW = _Needing(
    re.compile(
        r"\b(?:right\s+now|rn|as\s+we\s+speak|just|\d+\s+(?:min(?:ute)?s?|hours?|hrs?)\s+ago"
        r"|an?\s+(?:few\s+)?(?:min(?:ute)?s?|hours?|hrs?)\s+ago|ahora(?:\s+mismo)?|ahorita|acabo\s+de)\b"
    )
)
# Verbs that put an event in the past; not after "if I" / "wish I" ("relieved if I died").
_PAST_FORM = re.compile(
    r"\b(?<!if\si\s)(?<!wish\si\s)(?<!if\si\sjust\s)(?:tried|attempted|wanted|wished|thought|killed|kild|ended|took"
    r"|swallowed|downed|popped|snorted|overdosed|od'?d|oded|relapsed|died|hung|shot|stabbed|jumped|was|were|had|after"
    r"|survived|almost|nearly|queria|tuve|tuvo|intente|tome|trague|casi|se\s+mato|se\s+suicido)\b"
)
_RECOVERY = _Needing(
    re.compile(
        r"\b(?:grateful|thankful|blessed|(?:clean|sober)\s+(?:since|for|now)|\d+\s+(?:years?|yrs?|months?|days?)\s+"
        r"(?:clean|sober|in\s+recovery)|in\s+recovery\s+(?:since|for|now)|(?:recovery|my)\s+story|survived|survivor"
        r"|peer\s+(?:coach|specialist|support|mentor)|narcan\s+saved|saved\s+my\s+life|agradecid[oa]|limpi[oa]\s+desde"
        r"|llevo\s+\d+|sobri[oa]\s+desde)\b"
    )
)
_RETURNING = _Needing(
    re.compile(
        r"\b(?:(?:coming|creeping|came|crept)\s+back|back\s+again|started\s+again|starting\s+again|otra\s+vez|de\s+nuevo)\b"
    )
)
_AGAIN = re.compile(r"\b(?:again|otra\s+vez|de\s+nuevo)\b")
_HUMOR = _Needing(
    re.compile(
        r"\b(?:lol|lmf?ao|rofl|ha(?:ha)+h?|he(?:he)+|jk|ja(?:ja)+|je(?:je)+|just\s+kidding|kidding)\b|[\U0001F602\U0001F923"
        r"\U0001F606\U0001F605\U0001F643\U0001F61C\U0001F61D\U0001F480]"
    )
)
_NOT_HUMOR = _Needing(
    re.compile(
        r"\b(?:not\s+(?:joking|kidding)|no\s+joke|i'?m\s+serious|i\s+am\s+serious|seriously|dead\s+serious|en\s+serio"
        r"|no\s+es\s+broma)\b"
    )
)

# Goodbye messages: strong signs alone; finality signs in pairs or with a farewell word.
_GOODBYE_STRONG: tuple[_Part, ...] = (
    _Part(
        "goo far bye",
        r"\bthis\s+is\s+(?:my\s+)?(?:goodbye|good\s+bye|farewell)\b",
        r"\b(?:goodbye|good\s+bye|bye|farewell)\s+(?:forever|for\s+good|for\s+ever|world|cruel\s+world)\b",
    ),
    _Part("adi des lea", r"\badios\s+para\s+siempre\b|\besta\s+es\s+mi\s+despedida\b|\bcuando\s+leas\s+esto\b"),
    _Part(
        "las fin",
        r"\b(?:last|final)\s+time\s+(?:you(?:'?ll|\s+will)?|anyone(?:'?ll|\s+will)?|y'?all(?:'?ll)?|u|any\s+of\s+you)\s+"
        r"(?:ever\s+)?(?:hears?|sees?|talks?|reads?)\b",
        also="tim",
    ),
    _Part(
        "hea see tal",
        r"\b(?:won'?t|will\s+not|never)\s+(?:ever\s+)?(?:hear\s+from|see|talk\s+to)\s+me\s+(?:again|anymore|any\s+more)\b"
        r"|\bnever\s+hear\s+from\s+me\s+again\b",
        also="aga any",
    ),
    _Part(
        "oth ano nex",
        r"\bsee\s+(?:you|y'?all|u)\s+(?:on\s+the\s+other\s+side|in\s+(?:another|the\s+next)\s+life)\b",
    ),
    _Part(
        "ult van vas vol nun sab",
        r"\besta\s+es\s+la\s+ultima\s+vez\s+que\b|\bya\s+no\s+(?:me\s+)?(?:van|vas)\s+a\s+(?:ver|saber\s+de\s+mi)\b"
        r"|\bno\s+me\s+(?:volveran|volveras|vuelven)\s+a\s+ver\b|\bnunca\s+mas\s+(?:sabran|sabras)\s+de\s+mi\b",
    ),
    _Part(
        "tim", r"\bby\s+the\s+time\s+(?:you|anyone|u|someone|y'?all|you\s+all)\s+(?:reads?|sees?|gets?|finds?)\s+this\b"
    ),
    _Part(
        "aro her ali",
        r"\b(?:won'?t|wont|will\s+not)\s+be\s+(?:around|here|alive)\s+(?:much\s+longer|for\s+(?:much\s+)?longer|anymore"
        r"|any\s+more|tomorrow|by\s+(?:tomorrow|morning))\b",
    ),
    _Part(
        "nee",
        r"\b(?:won'?t|will\s+not|wont)\s+(?:be\s+)?need(?:ing)?\s+(?:it|them|this|these|any\s+of\s+(?:it|this|them)"
        r"|my\s+(?:stuff|things))"
        r"(?:\s+(?:anymore|any\s+more|where\s+i'?m\s+going)\b|(?=\s*(?:[.!]|$)))",
    ),
    _Part(
        "tel",
        r"\btell\s+my\s+(?:\w+\s+)?(?:kids?|son|daughter|mom|mum|mother|dad|father|family|wife|husband|partner|sister"
        r"|brother|parents|children|girlfriend|boyfriend)\s+(?:that\s+)?(?:i\s+(?:love|loved|am\s+sorry)|i'?m\s+sorry)",
    ),
    _Part(
        "whe aft onc",
        r"\b(?:when|after|once)\s+i'?m\s+(?:gone|dead|not\s+(?:here|around)\s+any\s?more)\b"
        r"(?!\s+(?:for|on|to|at|from|in|away|out|the|this|next|tomorrow|over))",
    ),
    _Part(
        "las",
        r"\bthe\s+last\s+(?:you(?:'?ll|\s+will)?|anyone(?:'?ll|\s+will)?|y'?all(?:'?ll|\s+will)?|u)\s+(?:ever\s+)?"
        r"(?:hears?|sees?)\s+(?:from|of)\s+me\b",
    ),
    _Part(
        "kno",
        r"\b(?:doesn'?t|didn'?t|don'?t|won'?t|never)\s+know\s+(?:it\s+was|that\s+(?:it\s+)?was|it'?s|it\s+is|that\s+is)\s+"
        r"(?:a\s+|my\s+|the\s+|our\s+)?(?:goodbye|the\s+last\s+(?:time|hug|call|visit))\b",
    ),
)
_GOODBYE_FINAL: tuple[_Part, ...] = (
    _Part(
        "las fin ult", r"\b(?:my\s+)?(?:last|final)\s+(?:post|message|msg|text|words|goodbye)\b|\bultimo\s+mensaje\b"
    ),
    _Part(
        "tha",
        r"\bthank(?:s|\s+you)\s+(?:\w+\s+){0,3}?for\s+(?:everything|trying|all\s+you'?ve\s+done|always\s+being)\b",
    ),
    _Part(
        "sor per",
        r"\bsorry\s+(?:for\s+everything|i\s+(?:couldn'?t|could\s+not|failed|wasn'?t\s+(?:strong|enough)))"
        r"|\bi'?m\s+(?:so\s+)?sorry(?=\s*(?:[.!]|$))"
        r"|\bperdon(?:en(?:me)?|ame)?\s+por\s+todo\b",
    ),
    _Part(
        "car loo fee",
        r"\b(?:take\s+care\s+of|look\s+after|feed)\s+my\s+(?:dog|cat|pets?|kids?|babies|son|daughter|children|plants)\b",
    ),
    _Part(
        "giv",
        r"\bgiving\s+away\s+(?:all\s+)?(?:of\s+)?my\s+(?:stuff|things|belongings|possessions)\b"
        r"|\b(?:giving|gave|give)\s+(?:all\s+)?(?:of\s+)?my\s+(?:stuff|things|belongings|possessions)\s+away\b",
    ),
    _Part("int gra", r"\bgracias\s+por\s+(?:intentarlo|todo\s+lo\s+que\s+hicieron|aguantarme)\b"),
    _Part(
        "mea",
        r"\b(?:you\s+all|y'?all|you\s+guys|this\s+group)\s+meant\s+(?:a\s+lot|everything|so\s+much|the\s+world)\b",
    ),
    _Part(
        "not let gon",
        r"\b(?:wrote|written|writing|left)\s+(?:my|a)\s+(?:goodbye\s+)?(?:note|letter)\b(?!\s+(?:to|for)\s+(?:alcohol|drinking"
        r"|drugs|my\s+(?:addiction|disease|old\s+life|younger\s+self|future\s+self)|addiction|booze|the\s+bottle))"
        r"|\bi'?ll\s+be\s+gone\b",
    ),
    _Part(
        "wri wro let not fau",
        r"\b(?:writing|wrote|write|written|leaving|left)\s+(?:a\s+|some\s+)?(?:letters?|notes?)\s+(?:to|for)\s+(?:my|each\s+of\s+my)\s+"
        r"(?:kids?|children|son|daughter|family|mom|mum|dad|parents|wife|husband|partner|sister|brother)\b",
        r"\b(?:it\s+)?(?:wasn'?t|was\s+not|isn'?t|is\s+not|it'?s\s+not)\s+(?:your|their|his|her)\s+fault\b",
    ),
    _Part("lov qui", r"\b(?:i\s+)?love\s+(?:you\s+all|all\s+of\s+you)\b|\blos\s+quiero\s+(?:mucho\s+)?a\s+todos\b"),
    _Part(
        "gra cui",
        r"\bgracias\s+por\s+todo\b|\bcuid(?:en|a|ad)\s+(?:a|de)\s+mis?\s+(?:perr[oa]s?|gat[oa]s?|hij[oa]s?|mascotas?|ninos"
        r"|familia|mama)\b",
    ),
)
_GOODBYE_FINAL += (
    _Part(
        "nic goo gre hon ple",
        r"\b(?:it\s+was|it'?s\s+been)\s+(?:nice|good|great|an\s+honou?r|a\s+pleasure)\s+knowing\s+(?:you|y'?all|u|everyone"
        r"|everybody)\b",
    ),
    _Part("bef", r"\bbefore\s+i\s+go\b(?!\s+(?:to|on|in|out|back|home|for|into|away|up|down|get|see|and))"),
    _Part(
        "del clo dea acc soc pro",
        r"\b(?:deleted|deleting|delete|closing|closed|deactivat\w+)\s+(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?(?:accounts|socials"
        r"|social\s+media|profiles?)\b",
    ),
    _Part(
        "las",
        r"\bthis\s+(?:one\s+)?is\s+the\s+last\b(?!\s+(?:time\s+i'?m|one\s+i'?m|of\s+the|day|week|meeting|session|class"
        r"|slice|piece|episode|chapter|box|step|payment|shift))",
    ),
    _Part(
        "sai say goo",
        r"\b(?:said|saying|say)\s+(?:all\s+)?my\s+goodbyes\b(?!\s+to\b)"
        r"|\b(?:said|saying|say)\s+goodbye\s+to\s+(?:everyone|everybody|all\s+of\s+(?:us|you|them)|us\s+all)\b",
    ),
    _Part("rea", r"\bready\s+to\s+go\b(?=\s*(?:[.!,;]|$))"),
    _Part(
        "giv gav gif",
        r"\b(?:gave|giving|give|given|gifted)\s+(?:away\s+)?(?:all\s+)?(?:of\s+)?(?:my|her|his|their)\s+(?:\w+\s+){0,4}?"
        r"(?:to\s+(?:my|her|his|a|an)\s+\w+|away)\b",
    ),
    _Part(
        "aff wil pai ord",
        r"\b(?:putting|put|got|getting|get)\s+(?:all\s+)?my\s+affairs\s+in\s+order\b"
        r"|\b(?:wrote|made|making|writing|updated|finished)\s+(?:out\s+)?(?:a|my)\s+will\b"
        r"|\bpaid\s+(?:everything|all\s+my\s+(?:bills|debts))\s+off\b|\bpaid\s+off\s+(?:everything|all\s+my\s+debts)\b",
    ),
    _Part(
        "hom reh",
        r"\b(?:found|finding|find)\s+a\s+(?:new\s+)?home\s+for\s+my\s+(?:cat|dog|pets?|puppy|kitten|bird)\b"
        r"|\brehom\w*\s+my\s+(?:cat|dog|pets?)\b",
    ),
    _Part(
        "reg nec des",
        r"\bregale\s+(?:todas\s+)?(?:mis|todas\s+mis)\s+cosas\b|\bno\s+(?:lo|la|los|las)\s+voy\s+a\s+necesitar\b"
        r"|\bya\s+me\s+despedi\s+de\s+(?:todos|todo\s+el\s+mundo|mi\s+familia|mis\s+hijos)\b",
    ),
)
_GOODBYE_WORD = re.compile(r"\b(?:goodbye|good\s?bye|bye|farewell|adios)\b")
_GOODBYE_CANCEL = re.compile(
    r"\b(?:see\s+(?:you|ya|u|y'?all|everyone|you\s+all)|talk\s+(?:later|soon|tomorrow|to\s+(?:you|y'?all))|ttyl"
    r"|tomorrow|next\s+(?:week|time|meeting)|for\s+now|for\s+the\s+(?:night|day|week|weekend)"
    r"|for\s+(?:a|the)\s+(?:bit|while|little\s+while|few\s+days)|of\s+the\s+(?:day|night|week|year)|be\s+back"
    r"|back\s+(?:soon|later|tomorrow|on)|logging\s+off|update|nos\s+vemos|hasta\s+(?:manana|luego|pronto|el|la)"
    r"|vacation|holiday|trip|(?:19|20)\d\d|new\s+year|hello)\b"
)


# --------------------------------------------------------------------------- where matches can start
#
# A gated part used to scan the whole text, trying its alternatives at every position (``re``
# finds no literal prefix to skip ahead with behind a leading ``\b``), so a post cost about
# parts x length. Instead, the ways every part can start are read off its parsed pattern at
# import: each starts at a ``\b`` with one of a few short prefixes. One pass over the word
# starts of a text then tells which parts can match where, and a part is tried with
# ``match`` only there. Trying every possible start in order and resuming after each match
# finds exactly what ``finditer`` finds, so no answer can change; a part whose starts could
# not be pinned down would scan the whole text as before.
#
# Prefixes are read with every run of whitespace as one space, and so is the text, so that
# "i\s+want" gives the prefix "i want" rather than just "i" (which starts half the words of
# a post). Longer prefixes narrow the candidates further but make more windows to cache.

_PREFIX_CHARS = 6
_MAX_CLASS = 10  # a wider character class ([^...], \w, ranges) ends the prefix
_WORD = "\0"  # stands for "some word character" (\d, \w) at the start of a match
_OPEN = ("", False, False)
_SPACE_CHAR = re.compile(r"\s")
_SPACES = re.compile(r"\s+")
_OTHER_SPACE = re.compile(r"[^\S ]")
_WORD_CHAR = re.compile(r"\w")
_Prefix = tuple[str, bool, bool]


def _prefixes(items: Any, room: int) -> set[_Prefix]:
    """(prefix, closed, bounded) for each way the parsed sequence ``items`` can start.

    Every match of the sequence, with its whitespace runs collapsed to one space, starts with
    one of the prefixes. ``closed`` means that such a match is exactly the prefix (so what
    follows in the pattern extends it); ``bounded`` that ``\\b`` is asserted before it.
    """
    results = {("", True, False)}
    for op, av in items:
        grown: set[_Prefix] = set()
        for text, closed, bounded in results:
            if not closed or len(text) >= room:
                grown.add((text[:room], False, bounded))
                continue
            for more, more_closed, more_bounded in _prefixes_of(op, av, room - len(text)):
                if more.startswith(_WORD) and text:
                    grown.add((text, False, bounded))
                    continue
                if text.endswith(" ") and more.startswith(" "):
                    more = more[1:]  # two whitespace runs in a row are one run
                grown.add(((text + more)[:room], more_closed, bounded or (more_bounded and not text)))
        results = grown
    return results


def _prefixes_of(op: Any, av: Any, room: int) -> set[_Prefix]:
    if op is _sre.LITERAL:
        return {(" " if _SPACE_CHAR.match(chr(av)) else chr(av), True, False)}
    if op is _sre.AT:
        return {("", True, av is _sre.AT_BOUNDARY)}
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return {("", True, False)}  # zero-width: it narrows the matches, it never adds any
    if op is _sre.SUBPATTERN:
        return _prefixes(av[3], room)
    if op is _sre.BRANCH:
        return set().union(*(_prefixes(alternative, room) for alternative in av[1]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, _, item = av
        once = _prefixes(item, room)
        if once != {(" ", True, False)}:  # but any run of whitespace is one space
            once = {(text, False, bounded) for text, _, bounded in once}  # the count is unknown
        return once | {("", True, False)} if low == 0 else once
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE:
                chars.add(" ")
            elif kind is _sre.CATEGORY and value in (_sre.CATEGORY_DIGIT, _sre.CATEGORY_WORD) and len(av) == 1:
                return {(_WORD, False, False)}  # \d is more than 0-9 in a str pattern
            else:
                return {_OPEN}
        chars = {" " if _SPACE_CHAR.match(char) else char for char in chars}
        return {_OPEN} if len(chars) > _MAX_CLASS else {(char, True, False) for char in chars}
    return {_OPEN}


def _start_prefixes(part: _Part) -> set[str] | None:
    """The prefixes every match of ``part`` starts with, or None when they cannot be told."""
    if part.pattern.flags & ~re.UNICODE:
        return None  # case-insensitive or ASCII-only matching would need other prefixes
    found = _prefixes(_sre_parse.parse(part.pattern.pattern), _PREFIX_CHARS)
    if any(not text or not bounded or text[0] == " " for text, _, bounded in found):
        return None
    return {text for text, _, _ in found}


class _Triggers(dict):
    """The window of text at a word start -> the bits of the parts that can match there.

    Filled as windows occur (the fold table does the same), up to a bound.
    """

    def __init__(self, parts: tuple[_Part, ...]) -> None:
        super().__init__()
        self.by_prefix: dict[str, int] = {}
        self.stems: set[str] = set()  # every proper beginning of a prefix
        self.unpinned = 0
        for part in parts:
            prefixes = _start_prefixes(part)
            if prefixes is None:
                self.unpinned |= part.bit
                continue
            for prefix in prefixes:
                self.by_prefix[prefix] = self.by_prefix.get(prefix, 0) | part.bit
                self.stems.update(prefix[:length] for length in range(1, len(prefix)))
        self.any_word = self.by_prefix.pop(_WORD, 0)
        # A match can also start at a non-word character right after a word (``\b'll``).
        others = "".join(sorted({prefix[0] for prefix in self.by_prefix if not _WORD_CHAR.match(prefix)}))
        starts = r"\w+" + (f"|(?<=\\w)[{re.escape(others)}]" if others else "")
        self.split = re.compile(f"({starts})").split  # text, start, text, start, ..., text
        self.windows = re.compile(f"(?s)(?=(.{{1,{_PREFIX_CHARS}}}))(?:{starts})")

    def __missing__(self, window: str) -> int:
        bits = self.any_word if _WORD_CHAR.match(window) else 0
        for length in range(1, len(window) + 1):
            head = window[:length]
            bits |= self.by_prefix.get(head, 0)
            if head not in self.stems:
                break
        if len(self) < _MAX_WINDOWS:  # unusual text must not grow it without bound
            self[window] = bits
        return bits

    def candidates(self, norm: str, active: int) -> dict[int, list[int] | None]:
        """Bit of an ``active`` part -> where (in order) it can start a match in ``norm``.

        None: anywhere (a part whose starts are not known).
        """
        found: dict[int, list[int] | None] = {}
        pending = self.unpinned & active
        while pending:
            bit = pending & -pending
            pending ^= bit
            found[bit] = None
        # Per word start in Python costs more than all the rest, so the windows, their bits
        # and the offsets are all made by C loops (findall, map, split and accumulate).
        collapsed = _SPACES.sub(" ", norm) if "  " in norm or _OTHER_SPACE.search(norm) else norm
        windows = self.windows.findall(collapsed)
        masks = list(map(self.__getitem__, windows))
        if not reduce(or_, masks, 0) & active:
            return found
        if len(collapsed) != len(norm):  # a run of whitespace was longer than one character
            collapsed = norm
        offsets = list(accumulate(map(len, self.split(collapsed))))
        for index, mask in enumerate(masks):
            bits = mask & active
            while bits:
                bit = bits & -bits
                bits ^= bit
                positions = found.get(bit)
                if positions is None:
                    found[bit] = [offsets[2 * index]]
                else:
                    positions.append(offsets[2 * index])
        return found


_MAX_WINDOWS = 200_000


_ALL_PARTS = (*_IDIOMS, *(part for _, part in _RULE_PARTS.items), *_GOODBYE_STRONG, *_GOODBYE_FINAL)
_TRIGGERS = _Triggers(_ALL_PARTS)
_PART_BITS = sum(part.bit for part in _ALL_PARTS)
_SECOND_GATES = tuple((part.bit, part.need ^ part.bit) for part in _ALL_PARTS if part.need != part.bit)


def _active_bits(bits: int) -> int:
    """The bits of the parts that pass the gate (their stems and, if any, their ``also`` stems)."""
    active = bits & _PART_BITS
    for bit, also in _SECOND_GATES:
        if active & bit and not bits & also:
            active ^= bit
    return active


_CONTEXT_CHARS = 300
_MAX_MATCHES_PER_PART = 50


class _Text:
    """The normalised text with lazily computed sentence and clause boundaries."""

    __slots__ = ("_breaks", "_recovery", "ends", "norm", "original", "starts")

    def __init__(self, original: str, norm: str, starts: list[int] | None, ends: list[int] | None) -> None:
        self.original = original
        self.norm = norm
        self.starts = starts
        self.ends = ends
        self._breaks: tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]] | None = None
        self._recovery: bool | None = None

    def recovery_story(self) -> bool:
        """Whether the message speaks of recovery (so undated past events are the distant past)."""
        if self._recovery is None:
            self._recovery = _RECOVERY.search(self.norm) is not None
        return self._recovery

    def phrase(self, start: int, end: int) -> str:
        if self.starts is None or self.ends is None:
            return self.original[start:end].strip()
        return self.original[self.starts[start] : self.ends[end - 1]].strip()

    def _load_breaks(self) -> tuple[tuple[list[int], list[int]], tuple[list[int], list[int]]]:
        """(sentence breaks, clause breaks), each as (begins, ends)."""
        if self._breaks is not None:
            return self._breaks
        s_begins: list[int] = []
        s_finishes: list[int] = []
        c_begins: list[int] = []
        c_finishes: list[int] = []
        for m in _BREAK.finditer(self.norm):
            start, end = m.span()
            c_begins.append(start)
            c_finishes.append(end)
            if m.group("s") is not None:
                s_begins.append(start)
                s_finishes.append(end)
        self._breaks = ((s_begins, s_finishes), (c_begins, c_finishes))
        return self._breaks

    def _span(self, breaks: tuple[list[int], list[int]], start: int, end: int) -> tuple[int, int]:
        begins, finishes = breaks
        i = bisect.bisect_right(finishes, start)  # breaks that finish at or before start
        left = finishes[i - 1] if i else 0
        j = bisect.bisect_left(begins, end)
        right = begins[j] if j < len(begins) else len(self.norm)
        # A run-on "sentence" is looked at only near the match, so long texts stay linear.
        return max(left, start - _CONTEXT_CHARS), max(min(right, end + _CONTEXT_CHARS), end)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._span(self._load_breaks()[0], start, end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return self._span(self._load_breaks()[1], start, end)


_PRESENT, _RECENT_T, _PAST_T, _DISTANT_T = range(4)


def _when(text: _Text, start: int, end: int) -> int:
    """When the matched event happened, from the words around it."""
    norm = text.norm
    matched = norm[start:end]
    if _AGAIN.search(matched):
        return _PRESENT
    lead = " ".join(norm[max(0, start - 25) : start].split()[-2:])
    past_form = _PAST_FORM.search(matched) is not None or _PAST_FORM.search(lead) is not None
    c_start, c_end = text.clause(start, end)
    s_start, s_end = text.sentence(start, end)
    sentence = norm[s_start:s_end]
    distant_scope = sentence if past_form else norm[c_start:c_end]
    if past_form and _NOW.search(sentence):
        return _PRESENT
    distant = _DISTANT.search(distant_scope) is not None or (past_form and text.recovery_story())
    if distant:
        if _RETURNING.search(norm, end):
            return _PRESENT
        return _DISTANT_T
    if past_form:
        return _RECENT_T if _RECENT.search(sentence) else _PAST_T
    return _PRESENT


def _negated(text: _Text, start: int, end: int, *, after: bool) -> tuple[bool, bool]:
    """(negated, recovered): a negation shortly before the match in its clause.

    With ``after``, also "<match> are gone / have eased / are under control" (for concern rules).
    """
    norm = text.norm
    if after and _AFTER_NEGATION.match(norm, end):
        return True, True
    c_start, _ = text.clause(start, end)
    window = norm[max(c_start, start - 45) : start]
    negated = False
    for m in _NEGATION.finditer(window):
        if m.group("neg"):
            negated = True
    if not negated:
        return False, False
    if _HEDGE.search(norm, end, end + 25):
        return False, False
    c_start, c_end = text.clause(start, end)
    return True, _RECOVERED.search(norm, c_start, c_end) is not None


def _matches(part: _Part, norm: str, candidates: dict[int, list[int] | None]) -> Iterator[re.Match[str]]:
    """``part.pattern.finditer(norm)``, trying only the positions where a match can start."""
    positions = candidates.get(part.bit, ())
    if positions is None:
        yield from part.pattern.finditer(norm)
        return
    match = part.pattern.match
    resume = 0
    for start in positions:
        if start >= resume:
            m = match(norm, start)
            if m is not None:
                resume = m.end()  # no part matches the empty string, so this moves on
                yield m


def _goodbye(text: _Text, candidates: dict[int, list[int] | None]) -> list[tuple[int, int]]:
    norm = text.norm
    strong = [m.span() for part in _GOODBYE_STRONG if part.bit in candidates for m in _matches(part, norm, candidates)]
    if not strong and not any(part.bit in candidates for part in _GOODBYE_FINAL):
        return []
    final = [m.span() for part in _GOODBYE_FINAL if part.bit in candidates for m in _matches(part, norm, candidates)]
    if strong:
        return strong + final
    if not final:
        return []
    words = [m.span() for m in _GOODBYE_WORD.finditer(norm)]
    if len(final) + min(len(words), 1) < 2 or _GOODBYE_CANCEL.search(norm):
        return []
    return final + words


def screen(text: str, language: str = "en") -> Screening:
    """Classify ``text`` as crisis / concern / none, with the reasons (see the module docstring).

    ``language`` is a hint ("en", "es", ...); English and Spanish patterns always both run.
    """
    return _screen(text, gated=True)


def _screen(text: str, *, gated: bool) -> Screening:
    if not text or text.isspace():
        return _NONE
    original = text[:MAX_SCAN_CHARS]
    norm, starts, ends = _normalise(original)
    active = _active_bits(_gate(norm)) if gated else _PART_BITS
    candidates = _TRIGGERS.candidates(norm, active)
    for part in _IDIOMS:
        if part.bit in candidates and next(_matches(part, norm, candidates), None) is not None:
            norm = part.pattern.sub(_blank, norm)
            candidates = _TRIGGERS.candidates(norm, active)  # blanking can move where words start
    doc = _Text(original, norm, starts, ends)

    found: list[tuple[int, int, Level, str]] = []  # (start, end, level, rule)
    humor: bool | None = None
    rule: _Rule | None = None
    required: bool | None = None  # rule.requires, looked up once a part of the rule has matched
    spans: list[tuple[int, int]] = []  # where the current rule has matched already
    by_bit = _RULE_PARTS.by_bit
    for index in sorted(by_bit[bit] for bit in candidates if bit in by_bit):
        owner, part = _RULE_PARTS.items[index]
        if owner is not rule:
            rule, required, spans = owner, None, []
        for count, m in enumerate(_matches(part, norm, candidates)):
            if count == _MAX_MATCHES_PER_PART:
                break
            start, end = m.span()
            if any(start < e and s < end for s, e in spans):
                continue  # another part of this rule already matched here
            spans.append((start, end))
            if required is None:
                required = (rule.requires is None or rule.requires.search(norm) is not None) and (
                    rule.forbids is None or rule.forbids.search(norm) is None
                )
            if not required:
                break
            level, qualifier = _judge(doc, rule, start, end)
            if level is Level.CRISIS and (rule.self_directed or rule.name == "harm_to_others"):
                if humor is None:
                    humor = _HUMOR.search(norm) is not None and _NOT_HUMOR.search(norm) is None
                if humor:
                    if rule.name == "harm_to_others":
                        continue
                    level, qualifier = Level.CONCERN, ".joking"
            if level is not Level.NONE:
                found.append((start, end, level, rule.name + qualifier))

    for start, end in _goodbye(doc, candidates):
        found.append((start, end, Level.CRISIS, "goodbye"))

    if not found:
        return _NONE
    found.sort(key=lambda item: (item[0], -item[1]))
    best = max((item[2] for item in found), key=_RANK.__getitem__)
    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for start, end, _, rule_name in found:
        phrase = doc.phrase(start, end)
        if (rule_name, phrase) not in seen:
            seen.add((rule_name, phrase))
            reasons.append(Reason(rule_name, phrase))
    return Screening(best, tuple(reasons))


def _judge(doc: _Text, rule: _Rule, start: int, end: int) -> tuple[Level, str]:
    """The level of one match in its context, and the qualifier for the reason's rule name."""
    when = _when(doc, start, end)
    if when == _DISTANT_T:
        return Level.NONE, ""
    level = rule.present if when == _PRESENT else rule.recent if when == _RECENT_T else rule.past
    qualifier = ""
    if level is not rule.present:
        qualifier = ".recent" if when == _RECENT_T else ".past"
    negated, recovered = _negated(doc, start, end, after=rule.present is Level.CONCERN)
    if negated:
        if recovered:
            return Level.NONE, ""
        return rule.negated, ".negated"
    if level is Level.CRISIS and rule.self_directed and _SAFETY.search(doc.norm, end, end + 80):
        return Level.CONCERN, ".negated"
    return level, qualifier
