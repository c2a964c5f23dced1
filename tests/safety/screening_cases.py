"""Labelled messages for evaluating ``alongside.safety.screening`` (issue 3, "Safety net").

Each case is (text, language, expected level, note). Labels are what a careful human
triager on a peer-recovery platform would want: ``crisis`` means "someone should look
now" (suicidal or self-harm intent, an overdose happening or planned, intent to harm
someone, a goodbye message); ``concern`` means "a peer should check in" (cravings,
thinking about using, a recent return to use, hopelessness, isolation, a negated or
joking mention of suicide, recent loss of someone to overdose or suicide); ``none``
means ordinary talk, including idioms, recovery stories about the distant past and
harm-reduction education.

Six parts, written in this order:

* ``DEV_CASES`` were written first, before any screening rule existed; the first rules
  were developed against them.
* ``ROUND1_CASES`` were written after that first version of the rules was finished and
  measured as a fresh check (crisis recall 0.548, concern recall 0.720, none->crisis 0.000
  on 91 messages: the first rules had overfitted the dev set). They were then used, with
  the dev set, to make the rules more general, so they are no longer fresh.
* ``ROUND2_CASES`` were written after the second version of the rules and measured fresh
  (crisis recall 0.467, concern recall 0.571, none->crisis 0.031 on 90 messages: phrase
  lists still missed veiled and indirect wording). They were then used to make the rules
  more compositional (means + plan, veiled plans, symptoms + substance), so they are no
  longer fresh either.
* ``ROUND3_CASES`` were written after the third version and measured fresh (crisis recall
  0.480, concern recall 0.583, none->crisis 0.000, none->any 0.115 on 75 messages), then
  used for tuning.
* ``HOLDOUT_CASES`` were written after the fourth version of the rules and measured fresh
  (crisis recall 0.682, concern recall 0.667, none->crisis 0.000 on 60 messages). **They are
  no longer held out:** their misses were read while the fifth version was written (the
  crisis rules reworked around clinical warning signs), so they are tuning data now, like
  the rounds before them. The name is kept so earlier notes still point at them.
* ``ROUND4_CASES`` were written for the fifth version, after reading the holdout's misses,
  to cover the warning-sign taxonomy (method research and means, plan / date / place,
  preparatory acts, farewells, burdensomeness, intentional overdose, passive wishes) with
  hard negatives made of the same words. On the fourth version they scored crisis recall
  0.140, concern recall 0.500, none->crisis 0.067 on 86 messages (they were written to find
  its gaps, so this says little about ordinary traffic); then they were used for tuning.

The fresh check is now ``tests/safety/screening_fresh.py`` (``FRESH_CASES``), written by
someone else and never read by whoever tunes the rules; ``bench/screening.py`` reports each
part here, the whole, and only the aggregate figures of the fresh set.

Lesson of the rounds: each fresh round scored about 0.5 to 0.7 on crisis recall while the
parts already used for tuning scored about 1.0. Rules learn the phrasings they are shown;
a set nobody tuned on is the honest estimate for messages nobody has seen yet.

Messages are invented; any resemblance to a real person's post is accidental.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    text: str
    language: str
    expected: str  # "crisis" | "concern" | "none"
    note: str = ""


def _rows(level: str, language: str, rows: list[str | tuple[str, str]]) -> list[Case]:
    cases = []
    for row in rows:
        text, note = (row, "") if isinstance(row, str) else row
        cases.append(Case(text, language, level, note))
    return cases


# --------------------------------------------------------------------------- crisis, en
_DEV_CRISIS_EN: list[str | tuple[str, str]] = [
    "i want to kill myself",
    "I'm going to kill myself tonight. I'm done.",
    "honestly i just want to die",
    "I don't want to be alive anymore",
    ("kms", "slang: kill myself"),
    ("i swear im gonna kms", "slang"),
    "thinking about ending it all tonight",
    "I have a plan to end my life",
    ("everyone would be better off without me", "perceived burdensomeness"),
    "I wish I was dead",
    ("I want to go to sleep and never wake up", "passive ideation"),
    ("I'm going to unalive myself", "slang"),
    ("want to unalive me so bad rn", "slang"),
    "I've been cutting again and I want to go deeper",
    "I keep wanting to hurt myself",
    "I'm going to cut myself tonight",
    ("I took a whole bottle of my pills 20 min ago", "overdose now"),
    "I think I'm overdosing, my heart is racing and I can't breathe",
    ("took way too much, i cant feel my legs", "overdose now"),
    ("gonna shoot everything i have left and not wake up", "planned overdose"),
    ("I'm going to od tonight and I don't care", "slang"),
    ("my roommate is not breathing and his lips are blue, he used fentanyl", "someone else's overdose, now"),
    ("HELP my brother is ODing right now", "someone else's overdose, now"),
    ("she's unresponsive, I think she overdosed, what do I do", "someone else's overdose, now"),
    ("I'm going to kill him when he gets home", "harm to others"),
    ("I want to hurt the guy who sold me that stuff. I know where he lives.", "harm to others"),
    ("I'm going to stab my stepdad", "harm to others"),
    ("I've got a gun and I'm going to make them pay", "harm to others"),
    ("this is my last post. thank you all for trying. goodbye", "goodbye message"),
    ("Goodbye everyone. I love you all. Please take care of my dog.", "goodbye message"),
    ("by the time you read this I'll be gone", "goodbye message"),
    ("I wrote my note. Tell my kids I love them.", "goodbye message"),
    ("I won't be around much longer", "goodbye message"),
    ("I've been giving away all my stuff, I won't need it where I'm going", "warning sign + finality"),
    "i cant do this anymore. i want to die",
    "suicidal again tonight",
    "having suicidal thoughts and i have the pills right here",
    "I feel suicidal",
    "I'm thinking about suicide",
    "there's no reason for me to live",
    "life isn't worth living",
    "I'm going to jump off the bridge",
    "I'm on the bridge right now and I'm going to jump",
    "i want to hang myself",
    ("been looking up how many pills it takes", "planning"),
    ("I'm saving up my pills so I can take them all at once", "planned overdose"),
    ("Going to drink until I die", "planned overdose"),
    ("I want to use until I don't wake up", "planned overdose"),
    ("nobody would even notice if I was gone", "passive ideation"),
    ("I want to disappear forever", "passive ideation"),
    ("wanna die so bad rn 😭", "texting style"),
    "I'm done. I'm ending it tonight.",
    "i want to end it",
    ("Tried to kill myself last night. Still here I guess.", "recent attempt: still acute"),
    ("cut myself again last night, it's getting worse", "recent self-harm, escalating"),
    ("Im so tired of living", "passive ideation"),
    "I can't keep living like this, I want it all to be over",
    ("gonna take all my xanax and drink the whole bottle of vodka", "planned overdose"),
    ("I'm sitting here with a gun in my lap", "means at hand"),
    "I'm going to put a bullet in my head",
    ("Ive been sucidal for weeks", "misspelling"),
    ("i want to kil myself", "misspelling"),
    ("gonna kill my self", "spacing"),
    "I want to overdose",
    "planning to overdose this weekend",
    ("If he comes near me again I'll kill him", "conditional threat still a threat"),
    ("Sorry for everything. This is goodbye.", "goodbye message"),
    ("Final message: thank you sam for everything. I'm sorry I couldn't do it.", "goodbye message"),
    "I don't want to wake up tomorrow",
    "I want to stop existing",
    "ready to end my life",
    ("I'm a burden to everyone and I'm going to fix that tonight", "burden + plan"),
    ("I took 30 of my seroquel", "overdose now"),
    ("my friend just told me she wants to kill herself, what do I do", "someone else at risk now"),
    ("My sponsee texted that he's going to end his life", "someone else at risk now"),
    ("im cutting rn", "self-harm now"),
    ("I just swallowed a bunch of pills", "overdose now"),
    "don't want to live anymore",
    "no point in living",
    "i should just die",
    ("Everyone keeps telling me it gets better but I'm going to end it tonight", "contrast: intent follows 'but'"),
    "wish i could just not wake up",
    ("I'm going to crash my car on purpose", "method"),
    ("I want to drive into a wall", "method"),
    ("I want to kill myself, I'm not joking", "'not' here does not negate the intent"),
    ("I'm not okay. I want to die.", "'not okay' must not negate the next sentence"),
    ("sobered up just to say goodbye. you all meant a lot", "goodbye message"),
    ("I used to be suicidal, and lately those thoughts are creeping back", "past then present: returning ideation"),
]

# --------------------------------------------------------------------------- crisis, es
_DEV_CRISIS_ES: list[str | tuple[str, str]] = [
    "quiero morir",
    "me quiero morir ya",
    "me voy a matar esta noche",
    "quiero matarme",
    "estoy pensando en suicidarme",
    "ya no quiero vivir",
    "no quiero seguir viviendo",
    ("me tomé todas las pastillas", "overdose now"),
    ("creo que tengo una sobredosis", "overdose now"),
    ("mi hermano no respira, creo que es una sobredosis", "someone else's overdose, now"),
    "me voy a cortar otra vez",
    "quiero hacerme daño",
    ("adiós a todos, este es mi último mensaje", "goodbye message"),
    "todos estarían mejor sin mí",
    "voy a quitarme la vida",
    ("lo voy a matar", "harm to others"),
    "ya no aguanto más, quiero morirme",
    "tengo pensamientos suicidas",
    ("perdónenme por todo. adiós para siempre.", "goodbye message"),
    "quiero acabar con todo",
    "me quiero suicidar",
    "Voy a tomarme todas mis pastillas",
    "ojalá estuviera muerta",
    "mejor me muero",
    "no vale la pena vivir",
    ("quiero morir sin acentos ni nada", "plain"),
]

# Mixed-language messages sent with language="en" (people switch mid-message).
_DEV_CRISIS_MIXED: list[str | tuple[str, str]] = [
    ("I can't anymore, quiero morir", "Spanish crisis phrase in an English message"),
    ("ya no puedo more, me voy a matar", "mixed"),
]

# -------------------------------------------------------------------------- concern, en
_DEV_CONCERN_EN: list[str | tuple[str, str]] = [
    ("I'm not going to kill myself, don't worry", "negated: a human should still look"),
    ("I would never hurt myself but I'm really struggling", "negated self-harm + distress"),
    ("not suicidal, just really sad tonight", "negated"),
    "craving so bad right now",
    "the cravings are insane today",
    "I really want a drink",
    "been thinking about using all day",
    ("I could really go for a drink rn", "craving"),
    "I'm so close to picking up",
    ("I relapsed yesterday", "recent return to use"),
    ("slipped last night. 94 days down the drain", "recent return to use"),
    "I drank last weekend after 6 months",
    "used again this morning, feel like garbage",
    "I picked up again",
    ("back on day 1", "reset clock"),
    "I lost my sobriety date",
    "fell off the wagon hard",
    "I feel so hopeless",
    "what's the point of even trying",
    "I'm so alone",
    "nobody cares about me",
    ("haven't left my apartment in a week", "isolation"),
    "I've been isolating from everyone",
    "I don't have anyone to talk to",
    "I'm a failure, I'll never stay sober",
    ("my friend od'd last week and I can't stop thinking about it", "someone else's recent overdose"),
    ("my cousin overdosed on saturday, he's in the ICU", "someone else's recent overdose"),
    ("my dealer texted me and I haven't deleted his number", "risky contact"),
    ("driving past the liquor store every day is killing me", "idiom, but about temptation"),
    "urges are really strong tonight",
    "I keep thinking one drink won't hurt",
    "I want to get high so bad",
    "dope sick and want to score",
    ("i'd kill for a drink right now", "idiom, but it is a craving"),
    ("I'm dying for a drink", "idiom, but it is a craving"),
    "I got drunk last night",
    "smoked meth again after 2 months clean",
    "I don't see things ever getting better",
    "I give up",
    "nothing matters anymore",
    "I feel worthless",
    ("I feel like a burden", "burden without intent"),
    ("I can't do this anymore", "hopelessness, no stated intent"),
    "everyone left me",
    "lonely af",
    "I haven't talked to anyone in days",
    "I don't know how much longer I can keep going like this",
    ("I'm not going to use tonight... probably", "ambivalent"),
    "I kinda want to drink tonight ngl",
    ("had a few beers at the wedding, didn't tell my sponsor", "return to use"),
    "I'm thinking about going to the bar after work",
    ("sometimes I think about suicide but I would never do it", "ideation, negated intent"),
    ("I've had thoughts of ending my life but I'm safe tonight", "ideation, says safe"),
    ("i'm not gonna kms, just venting", "negated slang"),
    ("kms lol this homework", "joking, still worth a look on this platform"),
    ("I don't want to die, but I don't want to live like this either", "not intent; distress"),
    ("my sister died of an overdose three weeks ago and I want to use", "grief + craving"),
    "I'm scared I'm going to relapse",
    ("I bought a bottle. haven't opened it yet.", "one step from use"),
    "its been a rough week, cravings every night",
    "i miss getting high",
    "I miss drinking so much",
    "Feeling really isolated since I moved",
    "Hit a wall. Feel like nothing I do matters.",
    "I'm exhausted and hopeless",
    "I can't stop thinking about pills",
    ("My ex is using again and wants me to come over", "risky situation"),
    "white knuckling it through today",
    "I keep relapsing",
    "Day 3 again. Relapsed Friday.",
    ("I said I wouldn't drink but I did", "return to use"),
    ("My brother killed himself last month and I'm not coping", "recent suicide loss"),
    "Went to the liquor store and just sat in the parking lot",
    "i have no one",
    "Honestly what's even the point",
    "idk why i even bother staying clean",
    "wanna get wasted so bad",
    "tempted to call my old dealer",
    (
        "Heard about a friend from treatment who overdosed yesterday. He's alive but I'm shaken.",
        "recent overdose of another",
    ),
    ("Thinking about drinking. Not going to, but thinking about it.", "craving despite 'not going to'"),
    ("I don't want to kill myself, I just want the pain to stop", "negated + pain"),
    "feeling empty and alone tonight",
]

# -------------------------------------------------------------------------- concern, es
_DEV_CONCERN_ES: list[str | tuple[str, str]] = [
    "tengo muchas ganas de beber",
    "recaí ayer",
    "volví a consumir",
    "me siento muy solo",
    "me siento sin esperanza",
    ("no me voy a matar, tranquilos", "negated"),
    ("ya no aguanto más", "hopelessness, no stated intent"),
    "estoy pensando en consumir",
    "nadie me entiende",
    "tomé anoche después de 3 meses",
]

# ----------------------------------------------------------------------------- none, en
_DEV_NONE_EN: list[str | tuple[str, str]] = [
    ("this traffic is killing me", "idiom"),
    ("I'm dying to see you guys on Saturday!", "idiom"),
    ("she killed it at the talk tonight 🔥", "idiom"),
    ("Two years ago I overdosed; today I'm grateful to be alive", "recovery story"),
    ("my feet are killing me after that walk", "idiom"),
    ("lol I'm dead 😂😂", "idiom"),
    ("this heat is going to kill me", "idiom"),
    ("that cheesecake was to die for", "idiom"),
    ("the suspense is killing me, when is the next episode", "idiom"),
    ("I nearly died laughing at your story", "idiom"),
    ("killing time before my meeting", "idiom"),
    ("we killed two birds with one stone today", "idiom"),
    ("I'm dead tired after work", "idiom"),
    "Happy Friday everyone! 30 days sober today 🎉",
    "Got my 1 year chip last night",
    "Anyone want to grab coffee before the 7pm meeting?",
    ("I used to drink every day. 5 years sober now.", "recovery story"),
    ("I tried to kill myself in 2016. Today I help others as a peer coach.", "recovery story"),
    ("When I was using I overdosed three times. Narcan saved my life and now I carry it everywhere.", "recovery story"),
    ("Rock bottom for me was waking up in the ER after an OD. That was 8 years ago.", "recovery story"),
    ("Haven't had a craving in weeks!", "negated craving"),
    ("no cravings today, feeling strong", "negated craving"),
    ("The cravings used to be brutal, now they're manageable", "past craving"),
    "Does anyone know a good meeting in Costa Mesa?",
    ("How do I use Narcan? I want to be prepared.", "harm-reduction question"),
    ("What are the signs of an overdose? Asking for our family training.", "education"),
    ("Reminder: carry naloxone, it saves lives", "education"),
    ("I'd rather die than go to another meeting in that freezing church basement lol", "hyperbole"),
    ("My sponsor is killing it with the new job", "idiom"),
    ("The new season of that show is killer", "idiom"),
    ("I could kill for a good cup of coffee right now", "idiom, coffee is not a craving to use"),
    ("i OD'd on cookies at the potluck lol", "idiom"),
    ("We watched a documentary about the overdose crisis, so sad but important", "topic talk"),
    ("International Overdose Awareness Day is August 31, come to the vigil", "event"),
    ("Suicide prevention training on Tuesday — please sign up", "event"),
    ("Our speaker shared how she survived a suicide attempt and found recovery", "someone else's past story"),
    ("my phone is dying, talk later", "idiom"),
    ("I'm going to kill this workout tomorrow", "idiom"),
    ("Goodnight everyone, see you tomorrow", "not a goodbye message"),
    ("bye guys, logging off for the night 💤", "not a goodbye message"),
    ("Goodbye 2023, hello new year of recovery!", "not a goodbye message"),
    "Thanks everyone for the support this week, you're the best",
    "Cut my hair today, feel like a new person",
    ("I cut myself shaving lol", "accident, not self-harm"),
    ("I hurt myself at the gym, pulled a hamstring", "accident, not self-harm"),
    ("I burned myself cooking dinner", "accident, not self-harm"),
    "Shot some hoops with my son today",
    "shooting pool with the guys from group",
    "I'm hooked on this new podcast",
    ("my grandmother died last year and I think about her a lot", "natural death, grief"),
    "Dying my hair purple this weekend",
    "My plant died, RIP fern",
    "Game of Thrones killed off everyone I liked",
    "Killed the spider in my bathroom finally",
    ("I'm not going to drink today. Just for today.", "negated use"),
    ("I don't want to drink anymore, and I don't have to", "negated craving"),
    "I'm grateful I don't have to use today",
    "Went to a party and didn't drink! Proud of myself",
    "Turned down a drink at dinner tonight",
    ("I used to think about suicide every day. Not anymore. Therapy and this group helped.", "recovery story"),
    ("Years ago I cut myself to cope. Now I go for a run.", "recovery story"),
    ("I remember when I wanted to die every morning. That was before I got clean.", "recovery story"),
    ("My brother overdosed in 2019 and that's why I became a peer specialist.", "distant loss, purpose"),
    "Narcan training was great, everyone should go",
    ("Anyone else get weird dreams about using? Normal in early recovery I heard", "using dreams are common"),
    "I used my coping skills today and it worked",
    "Used the breathing exercise from group, helped a lot",
    "The shot of espresso saved my morning",
    "Took my meds on time all week",
    "Started my new medication for anxiety",
    "My doctor upped my suboxone dose",
    ("I'm going to kill my brother if he eats my leftovers again 😂", "hyperbole"),
    ("mom is gonna kill me when she sees this haircut", "idiom"),
    ("this deadline is murdering me", "idiom"),
    "I'm so done with this weather",
    ("Homework is the death of me", "idiom"),
    "I'm sick of winter",
    ("That joke killed 😂", "idiom"),
    ("Just finished a 5k! Legs are dead", "idiom"),
    "What does 'one day at a time' mean to you?",
    "Sharing my story at the meeting tonight. Nervous!",
    "Step 4 is tough but I'm working it",
    "I'm grateful for this community",
    "My sponsor said 'play the tape forward' and it really helped",
    "Can someone remind me what time the Sunday meeting is?",
    "Best day in a long time. Went fishing with my dad.",
    ("made it through the holidays without picking up 🙏", "negated use"),
    ("I was in a really dark place last year but I'm doing so much better now", "recovery story"),
    ("90 days today. Last time I got to 90 I relapsed, but this time feels different", "past return to use, now well"),
    ("I relapsed a lot in my first year. Now I have 3 years.", "recovery story"),
    ("Ha, that's a killer idea", "idiom"),
    ("We're dying of laughter over here", "idiom"),
    ("Overdosed on Netflix this weekend 🙈", "idiom"),
    "I'm addicted to this coffee shop",
    ("leg day is going to be the death of me", "idiom"),
    ("Suicide Squad is on tonight, anyone watching?", "film title"),
    "That comedian absolutely slayed",
    "Can I bring my kids to the family BBQ?",
    "First time posting. 12 days clean. Glad I found you all.",
    ("Drank way too much coffee today, I'm buzzing", "not alcohol"),
    "I'm drinking so much tea these days",
    ("Got high on life at the beach today", "idiom"),
    "The sermon on hope really hit me today",
    ("My friend who overdosed last year is now 6 months clean!", "someone else's past, good news"),
    ("I lost my job but I didn't drink. Going to a meeting instead.", "coping well"),
    "Bye for now, I'll post an update after my interview",
    ("This is my last post of the day, see everyone at group", "not a goodbye message"),
    ("giving away my old couch, anyone need one?", "not a warning sign"),
    ("I'm leaving for vacation tomorrow, won't be around for a week", "not a goodbye message"),
    ("That horror movie scared me to death", "idiom"),
    ("i'm so bored i could die", "hyperbole"),
    "The Wi-Fi here is dead again",
    ("I'm dying to know how your interview went!", "idiom"),
    ("killin it at work this week 💪", "idiom"),
    ("Hanging out with my sponsor tonight", "not hanging"),
    "Hung the pictures in my new apartment!",
    ("I wanted to drink so badly last year, but now I barely think about it", "past craving"),
    ("My recovery story: used for 15 years, overdosed twice, been clean since 2018.", "recovery story"),
    "happy to be alive today",
    ("I'm not hopeless anymore", "negated hopelessness"),
    ("No longer feel alone thanks to this group", "negated isolation"),
    ("I don't feel lonely since I started coming here", "negated isolation"),
]

# ----------------------------------------------------------------------------- none, es
_DEV_NONE_ES: list[str | tuple[str, str]] = [
    ("me muero de hambre, ¿vamos a comer?", "idiom"),
    ("me muero de ganas de verte el sábado", "idiom"),
    ("este tráfico me está matando", "idiom"),
    ("me morí de risa con tu historia", "idiom"),
    ("hace dos años tuve una sobredosis, hoy estoy agradecido", "recovery story"),
    "llevo 6 meses limpio, gracias a todos",
    ("me muero de sueño", "idiom"),
    ("adiós, nos vemos en la reunión del jueves", "not a goodbye message"),
    "¿a qué hora es la reunión del domingo?",
    ("antes quería morir, ahora tengo ganas de vivir", "recovery story"),
    ("me mata de risa mi sobrino", "idiom"),
    ("hoy no tengo ganas de beber", "negated craving"),
    ("me muero de la vergüenza jaja", "idiom"),
    ("estoy muerto de cansancio", "idiom"),
    ("cuando consumía casi me muero de una sobredosis, hoy llevo 3 años sin consumir", "recovery story"),
]


DEV_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _DEV_CRISIS_EN)
    + _rows("crisis", "es", _DEV_CRISIS_ES)
    + _rows("crisis", "en", _DEV_CRISIS_MIXED)
    + _rows("concern", "en", _DEV_CONCERN_EN)
    + _rows("concern", "es", _DEV_CONCERN_ES)
    + _rows("none", "en", _DEV_NONE_EN)
    + _rows("none", "es", _DEV_NONE_ES)
)

# ------------------------------------------------------------------------------- round 1
# Written after the first rules were finished; measured fresh, then used for tuning.
_ROUND1_CRISIS_EN: list[str | tuple[str, str]] = [
    "i'm gonna end my life this weekend, i already decided",
    ("Honestly I think everyone would be happier if I just wasn't here", "passive ideation, new phrasing"),
    ("I have the rope ready", "means at hand"),
    "can't stop thinking about killing myself",
    ("im gonna take every pill in the cabinet", "planned overdose"),
    ("Just did a huge shot and I can't feel my face, something's wrong", "overdose now"),
    ("my boyfriend is passed out and won't respond, he did fentanyl", "someone else's overdose, now"),
    "i dont wanna be alive anymore",
    "Planning my suicide. I've picked a date.",
    "I want to hurt myself so badly right now",
    ("Been burning myself with lighters again", "self-harm"),
    ("I'm going to shoot my ex and then myself", "harm to others and self"),
    ("This will be the last time you hear from me. Thank you for everything.", "goodbye message"),
    "I want to die. Please don't call anyone.",
    ("wanna kms fr", "slang"),
    ("I'm going to drink myself to death tonight", "planned overdose"),
    ("my sister just texted me that she took all her pills, what do I do", "someone else's overdose, now"),
    "I'm tired of being alive",
    "Life is pointless and I'm going to end it",
    "I don't see any reason to keep living",
    ("Sometimes I think about driving off a bridge", "method ideation"),
    "I want to die lol no seriously",
]
_ROUND1_CRISIS_ES: list[str | tuple[str, str]] = [
    "me quiero matar, ya no puedo",
    ("ya no quiero estar aquí", "no longer want to be here"),
    "voy a tomarme el frasco entero de pastillas",
    "estoy pensando en quitarme la vida",
    ("mi amigo se quiere suicidar, ayuda", "someone else at risk now"),
    "no quiero despertar mañana",
    ("me corté otra vez anoche", "recent self-harm"),
    ("adiós, gracias por todo. cuiden a mi perro.", "goodbye message"),
    "Quiero morirme, no aguanto esto",
]
_ROUND1_CONCERN_EN: list[str | tuple[str, str]] = [
    "ugh I want a beer so bad",
    ("Day 2 after a relapse on Sunday, feeling ashamed", "recent return to use"),
    ("been thinking about calling my old plug", "slang for dealer"),
    "I feel invisible, nobody even texts me back",
    ("I'm not suicidal, I promise, just exhausted from everything", "negated"),
    "I think about using every single day",
    ("went on a bender this weekend", "return to use, slang"),
    ("my best friend from rehab died of an overdose on tuesday", "recent loss"),
    "I just don't see the point anymore",
    "Everything feels pointless lately",
    "I'm struggling hard with urges tonight",
    "Couldn't sleep, craving a hit",
    ("I smoked a joint last night after 8 months", "return to use"),
    "nobody gets me",
    "I'm all alone this christmas",
    ("I don't want to die, I just don't know how to keep going", "negated + hopelessness"),
    ("I'd never actually kill myself but the thought crosses my mind", "negated ideation"),
    ("lol i want to die this exam is brutal", "joking"),
    ("I keep romanticizing my using days", "euphoric recall"),
    "I'm so ashamed, I drank again",
    "I feel like giving up on recovery",
]
_ROUND1_CONCERN_ES: list[str | tuple[str, str]] = [
    "tengo ganas de consumir otra vez",
    "me siento muy sola últimamente",
    "recaí el fin de semana",
    ("no me voy a suicidar, solo estoy cansada", "negated"),
]
_ROUND1_NONE_EN: list[str | tuple[str, str]] = [
    ("This playlist slaps, I'm dead 💀", "idiom"),
    ("I'm dying to try that new taco place", "idiom"),
    ("I killed it at my job interview today!!", "idiom"),
    ("5 years ago I tried to end my life. Today I celebrate 3 years sober.", "recovery story"),
    ("My dad died of cancer last spring", "natural death"),
    ("Anyone have tips for dealing with cravings in early recovery? Asking for our newsletter", "topic question"),
    "We're hosting a naloxone training this Saturday at 10am",
    ("That workout nearly killed me haha", "idiom"),
    "My heart is so full today",
    ("Cut up some veggies for the potluck", "not self-harm"),
    ("I'm going to crush this 10k", "idiom"),
    ("I used to drink a fifth a day. Now I drink kombucha lol", "recovery story"),
    ("My old dealer got arrested, karma", "not a risky contact"),
    ("Goodbye summer, hello fall!", "not a goodbye message"),
    ("thank you all for everything this year, see you at the holiday party", "not a goodbye message"),
    ("I'm the last person to leave the meeting hall, locking up now", "not a goodbye message"),
    ("My grandma always says 'I'll die happy if you stay sober'", "quote"),
    "That joke was so bad I wanted to crawl under a rock",
    ("Shot a great photo of the sunset", "not a shooting"),
    ("Movie night: we're watching Dead Poets Society", "title"),
    ("Haven't thought about using in months, feels amazing", "negated craving"),
    ("Drinking lots of water and sleeping well this week", "not alcohol"),
    ("My sponsor killed me with that joke at the meeting", "idiom"),
    ("the cravings are gone since I started meds, so grateful", "cravings gone"),
    ("Pulled an all-nighter, I'm a zombie", "idiom"),
    ("10 years ago I was homeless and using. Now I own a home.", "recovery story"),
    ("Overdose deaths fell in our county last year, good news for once", "topic talk"),
    ("Can we talk about how to support a friend who relapsed?", "supporting someone else"),
    ("I'm so done with this group chat drama lol", "idiom"),
    ("my phone died and I missed the meeting", "idiom"),
]
_ROUND1_NONE_ES: list[str | tuple[str, str]] = [
    ("me muero de risa contigo", "idiom"),
    ("hace 4 años quise suicidarme, hoy ayudo a otros", "recovery story"),
    ("¡qué calor! me estoy muriendo", "idiom"),
    "hoy cumplo un año sin beber",
    ("adiós, hasta el martes", "not a goodbye message"),
]

ROUND1_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _ROUND1_CRISIS_EN)
    + _rows("crisis", "es", _ROUND1_CRISIS_ES)
    + _rows("concern", "en", _ROUND1_CONCERN_EN)
    + _rows("concern", "es", _ROUND1_CONCERN_ES)
    + _rows("none", "en", _ROUND1_NONE_EN)
    + _rows("none", "es", _ROUND1_NONE_ES)
)

# ------------------------------------------------------------------------------- round 2
# Written after the second version of the rules; measured fresh, then used for tuning.
_ROUND2_CRISIS_EN: list[str | tuple[str, str]] = [
    (
        "I'm sorry everyone. I can't do this anymore. I've got enough pills saved to make sure I don't wake up.",
        "goodbye + planned overdose",
    ),
    ("thinking about walking into the ocean tonight and not coming back", "method + plan"),
    ("I bought a gun today. I know what I'm going to do with it.", "veiled plan, means"),
    ("everyone keeps saying it'll get better, it won't, I'm checking out", "slang for suicide"),
    ("i keep picturing my funeral and honestly it feels like relief", "passive ideation"),
    ("i'm done fighting. tonight's the night.", "veiled plan"),
    "bro i'm about to end it all fr",
    ("just took a bunch of my mom's oxy, feeling really weird", "overdose now"),
    ("my roommate took something and now he's making this gurgling sound", "someone else's overdose, now"),
    ("I really want to cut tonight, the urge is so strong", "self-harm urge"),
    ("If I see him again I swear I'll stab him", "harm to others"),
    "i hope i don't wake up tomorrow",
    "There's no point in me being here anymore",
    "I'm a waste of space and the world would be better without me",
    ("Writing letters to my kids tonight. I want them to know it wasn't their fault.", "goodbye message"),
    "i want to overdose so i never have to feel this again",
    ("I'm going to use everything I have left and let it take me", "planned overdose"),
    "contemplating suicide again",
    "can't stop thinking about hanging myself",
    ("I'm done with life. I want out for good.", "veiled intent"),
    ("i cut again tonight, deeper than usual", "self-harm now"),
    ("my cousin is talking about shooting himself, he has a gun", "someone else at risk now"),
    ("I keep thinking everyone would be relieved if I died", "passive ideation"),
]
_ROUND2_CRISIS_ES: list[str | tuple[str, str]] = [
    "ya no quiero vivir más, perdón",
    ("tengo las pastillas listas para esta noche", "planned overdose"),
    ("me voy a aventar del puente", "method, Mexican Spanish"),
    ("mi novio tomó muchas pastillas y no despierta", "someone else's overdose, now"),
    "quiero dormir y no despertar nunca",
    "estoy pensando en matarme",
    "voy a acabar con mi vida hoy",
]
_ROUND2_CONCERN_EN: list[str | tuple[str, str]] = [
    ("had a rough night, ended up at the bar and had a few", "return to use"),
    ("I can feel myself slipping back into old habits", "close to return to use"),
    "not gonna lie, I've been thinking about picking up a lot",
    ("my husband left and I'm drinking alone every night again", "return to use + isolation"),
    "I'm so lonely it hurts",
    ("haven't been to a meeting in weeks, kind of hiding from everyone", "isolation"),
    "i keep fantasizing about getting high",
    "I'm honestly losing hope that I can do this",
    "Everything is falling apart and I don't know why I bother",
    "slipped up yesterday, 3 drinks, feel awful",
    "the urge to use is really loud today",
    ("My old friends invited me to a party where there'll be coke. Thinking of going.", "risky situation"),
    ("I'm not going to hurt myself but I'm scared of how dark my thoughts get", "negated"),
    ("my sponsor stopped answering and I feel totally abandoned", "isolation"),
    ("it's been 3 days since I used and I'm sick as a dog", "recent use, withdrawal"),
    "I want a drink more than anything right now",
    "I have nobody left",
    ("kms this shift is endless lol", "joking"),
    "relapsed on pills last week and I'm too ashamed to tell my sponsor",
    "lowkey want to get drunk tonight",
    (
        "Someone in my building overdosed this morning, I found him. I'm okay but shaken.",
        "someone else's recent overdose",
    ),
    "feeling worthless today",
    "I don't see myself staying sober",
]
_ROUND2_CONCERN_ES: list[str | tuple[str, str]] = [
    "tengo unas ganas enormes de tomar",
    "volví a tomar el sábado",
    "nadie se preocupa por mí",
    "me siento vacío y sin ganas de nada",
    ("no quiero matarme, pero estoy muy mal", "negated"),
]
_ROUND2_NONE_EN: list[str | tuple[str, str]] = [
    ("Shout out to Maria for killing it at the bake sale", "idiom"),
    "Our group is reading 'It Works: How and Why' this month",
    ("My cat knocked over my coffee, I could die 😂", "hyperbole"),
    (
        "Twenty years ago I overdosed in a gas station bathroom. Today I run the harm reduction van.",
        "recovery story",
    ),
    ("Does anyone have the link to the overdose response training?", "education"),
    ("Goodbye gluten, hello health lol", "not a goodbye message"),
    ("Last post before I head to work, have a great day everyone", "not a goodbye message"),
    ("I'm dying laughing at these memes", "idiom"),
    ("I'm not drinking tonight, heading to the late meeting instead", "negated use"),
    ("No urges today, just gratitude", "negated craving"),
    ("Cutting back on sugar this month, wish me luck", "not self-harm"),
    ("He shot a hole in one at the charity golf tournament!", "not a shooting"),
    ("I used to hate myself. Now I mostly like who I am.", "recovery story"),
    ("The speaker talked about how isolation fed her addiction; really powerful", "topic talk"),
    ("I was so lonely when I first got sober, but this group changed that", "past isolation"),
    "Happy 6 months to me! Never thought I'd make it",
    ("We lost a great man to cancer this week. Rest easy, Uncle Joe.", "natural death"),
    ("Hanging lights for the holiday party tonight, anyone want to help?", "not hanging"),
    ("Took all my kids to the zoo today!", "not pills"),
    ("my sponsee relapsed last year and is now 8 months sober, so proud of her", "someone else's past"),
    ("I crave sunshine after this long winter", "not a substance"),
    ("dead battery again, can someone give me a ride to the meeting?", "idiom"),
    ("That game was murder, we lost by 40", "idiom"),
    ("My therapist says my depression is finally lifting", "good news"),
    ("Anyone else find cravings for sugar go way up in early sobriety?", "sugar cravings"),
    ("Take me home, country roads", "song"),
]
_ROUND2_NONE_ES: list[str | tuple[str, str]] = [
    ("me muero de ganas de ir a la playa", "idiom"),
    ("hace 10 años intenté suicidarme; hoy soy consejera de pares", "recovery story"),
    ("gracias por todo, nos vemos el jueves en la reunión", "not a goodbye message"),
    ("mi teléfono se murió, les escribo más tarde", "idiom"),
    ("ya no tengo antojos, gracias a Dios", "negated craving"),
    ("qué risa, me mataste con ese chiste", "idiom"),
]

ROUND2_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _ROUND2_CRISIS_EN)
    + _rows("crisis", "es", _ROUND2_CRISIS_ES)
    + _rows("concern", "en", _ROUND2_CONCERN_EN)
    + _rows("concern", "es", _ROUND2_CONCERN_ES)
    + _rows("none", "en", _ROUND2_NONE_EN)
    + _rows("none", "es", _ROUND2_NONE_ES)
)

# ------------------------------------------------------------------------------- round 3
# Written after the third version of the rules; measured fresh, then used for tuning.
_ROUND3_CRISIS_EN: list[str | tuple[str, str]] = [
    "I can't take it anymore. I'm going to take all my sleeping pills tonight.",
    "honestly thinking about ending everything",
    "i just want to die. nothing helps",
    ("Tell my daughter I'm sorry. I love her.", "goodbye message"),
    ("I'm standing on the overpass. I don't think I can do this anymore.", "location + despair"),
    ("my brother shot up and he's blue, I called 911 what else do I do", "someone else's overdose, now"),
    ("I've started giving my things away. Won't need them.", "warning sign + finality"),
    ("going to get a bag and make sure it's enough to not wake up", "planned overdose"),
    "I'm seriously considering suicide",
    "thoughts of killing myself all day today",
    ("I keep scratching my arms until they bleed", "self-harm"),
    ("I'm going to hurt him bad when I see him", "harm to others"),
    ("i want to disappear and never come back", "passive ideation"),
    ("If I don't wake up tomorrow, that's fine with me", "passive ideation"),
    "Tonight I'm going to end my suffering",
    ("I found my dad's gun and I've been holding it for an hour", "means at hand"),
    ("She's not breathing right, she took a bunch of xanax and drank", "someone else's overdose, now"),
    "i'm so done. i want to die.",
    ("I'm a danger to myself right now", "self-declared risk"),
]
_ROUND3_CRISIS_ES: list[str | tuple[str, str]] = [
    "me quiero suicidar esta noche",
    "ya no quiero seguir viviendo así, me voy a matar",
    ("mi hermana tomó un montón de pastillas y no responde", "someone else's overdose, now"),
    "quiero desaparecer para siempre",
    ("adiós a todos, gracias por intentarlo", "goodbye message"),
    ("estoy en el puente y voy a saltar", "method, now"),
]
_ROUND3_CONCERN_EN: list[str | tuple[str, str]] = [
    "cravings hitting hard after that family dinner",
    ("I drove to my dealer's street and just sat there", "risky situation"),
    ("I don't feel like anyone would notice if I stopped coming", "isolation"),
    ("Had a glass of wine with dinner, first time in a year. Feeling weird about it.", "return to use"),
    "I'm losing it, nothing feels worth it",
    "i haven't eaten or slept in days and i just want to get high",
    ("my roommate keeps leaving beer in the fridge and it's getting to me", "temptation"),
    "relapsed again, this is the third time this month",
    "I feel completely alone in this",
    "What's the point of staying clean if my life is still a mess",
    ("Dreaming about drinking every night and waking up wanting one", "craving"),
    ("I'm not gonna kill myself but I really wish I could stop feeling like this", "negated"),
    ("My friend overdosed last night and didn't make it", "recent loss"),
    ("I lied to my sponsor about using last weekend", "recent return to use"),
    "Thinking about skipping my meds and just going out drinking",
    "I can't keep going like this",
    ("tbh I miss the rush", "euphoric recall"),
    ("I've been so depressed I can barely get out of bed", "low mood"),
    "being sober is pointless when everyone around me drinks",
]
_ROUND3_CONCERN_ES: list[str | tuple[str, str]] = [
    "tengo muchísimas ganas de drogarme",
    "estoy muy sola y nadie me llama",
    ("me tomé unas cervezas anoche después de 5 meses", "return to use"),
    "ya no tiene sentido nada",
    ("no me voy a hacer daño, pero estoy mal", "negated"),
]
_ROUND3_NONE_EN: list[str | tuple[str, str]] = [
    ("Killed it at my first 5k!! 🏃\u200d♀️", "idiom"),
    ("I'd die for my kids, they're my reason for staying sober", "devotion, not intent"),
    ("Three years ago I was shooting up in my car. Today I bought my first house.", "recovery story"),
    "What time is the Narcan distribution at the library?",
    ("Thanks for everything you do, Sam! See you Thursday", "not a goodbye message"),
    ("Our speaker talked about surviving an overdose. So inspiring.", "someone else's past story"),
    ("I'm going to the bar mitzvah this weekend, any tips for staying sober at parties?", "not a bar"),
    ("Cravings? None today. Grateful.", "negated craving"),
    ("Just bought a bottle of sparkling cider for New Year's", "not alcohol"),
    ("This weather is killing my vibe", "idiom"),
    ("I'm so tired I could sleep forever lol", "hyperbole"),
    ("Step 9 made me want to hide under a rock, but I did it", "idiom"),
    ("Watched a movie where the guy overdoses, had to turn it off but I'm okay", "media, says okay"),
    "We're collecting winter coats, drop them at the clubhouse",
    ("I relapsed in 2017 and it taught me a lot", "recovery story"),
    "Don't forget: the group meets at 6 today",
    ("My son's band absolutely killed it last night", "idiom"),
    "Nothing compares to waking up without a hangover",
    ("Happy to report no slips this month!", "negated return to use"),
    "Honestly the hardest part of early recovery was boredom",
    ("goodbye old habits, hello new me", "not a goodbye message"),
]
_ROUND3_NONE_ES: list[str | tuple[str, str]] = [
    ("hace 5 años tuve una recaída, hoy llevo 4 años limpio", "recovery story"),
    ("me muero de sueño, buenas noches a todos", "idiom"),
    "¡lo logramos! un año sin tomar",
    ("me mata la espera por los resultados", "idiom"),
    ("gracias por todo el apoyo, nos vemos mañana", "not a goodbye message"),
]

ROUND3_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _ROUND3_CRISIS_EN)
    + _rows("crisis", "es", _ROUND3_CRISIS_ES)
    + _rows("concern", "en", _ROUND3_CONCERN_EN)
    + _rows("concern", "es", _ROUND3_CONCERN_ES)
    + _rows("none", "en", _ROUND3_NONE_EN)
    + _rows("none", "es", _ROUND3_NONE_ES)
)

# ------------------------------------------------------------------------------ holdout
# Written after the fourth version of the rules; measured fresh, then (fifth version) used for tuning.
_HOLDOUT_CRISIS_EN: list[str | tuple[str, str]] = [
    "I want to kill myself and I have the means to do it",
    ("I'm so tired. I'm going to take the whole bottle and go to sleep.", "planned overdose"),
    ("I've been googling ways to die all night", "planning"),
    "i'm going to od on purpose this time",
    "I can't stop crying and I want to end my life",
    ("I've got a plan and a date. I'm done.", "plan"),
    ("my husband is slumped over in the car and won't wake up, there's a needle", "someone else's overdose, now"),
    ("Please tell my mom I love her", "goodbye message"),
    "I'm going to hang myself in the garage",
    ("I slit my wrist, it won't stop bleeding", "self-harm now"),
    ("everyone would be better off if I overdosed", "passive ideation"),
    ("I'm going to make that man pay, I've got my brother's gun", "harm to others"),
    ("Ready to go. I've said my goodbyes.", "goodbye message"),
    ("tonight I'm finally going to do it", "veiled plan"),
    "I don't want to live in this body anymore",
    ("I think I'm having an overdose, my chest is tight and I took too many", "overdose now"),
    "i wish i would just die in my sleep",
]
_HOLDOUT_CRISIS_ES: list[str | tuple[str, str]] = [
    "quiero quitarme la vida, ya no aguanto",
    ("me voy a tomar todo el frasco de pastillas hoy", "planned overdose"),
    ("mi hijo no respira, se inyectó algo", "someone else's overdose, now"),
    ("ya me despedí de todos, esta noche termino con todo", "goodbye + plan"),
    "estoy pensando en colgarme",
]
_HOLDOUT_CONCERN_EN: list[str | tuple[str, str]] = [
    ("white knuckling it through this wedding, there's an open bar", "craving + risky place"),
    "I'm scared I'll use if I go home for the holidays",
    "I need a drink so bad it hurts",
    "slipped up last week and I'm too embarrassed to tell anyone",
    ("I don't have a single person I can call", "isolation"),
    "Every day feels the same and I don't see the point of trying anymore",
    ("I'm not going to do anything stupid, I just needed to vent about how bad I feel", "vague negated risk"),
    ("got really drunk at my cousin's party", "return to use"),
    ("I keep thinking about calling my old connect", "slang for dealer"),
    ("my girlfriend overdosed on friday, she's in the hospital", "recent overdose of someone close"),
    ("I haven't left my bed in 3 days", "isolation, low mood"),
    "feeling so worthless and stupid today",
    ("tempted to take an extra pill to take the edge off", "misuse"),
    "the urges won't stop",
    "Nobody in my life understands addiction and I feel so alone",
]
_HOLDOUT_CONCERN_ES: list[str | tuple[str, str]] = [
    "recaí anoche, me siento fatal",
    "tengo ganas de beber todo el tiempo",
    "me siento sola y sin esperanza",
]
_HOLDOUT_NONE_EN: list[str | tuple[str, str]] = [
    ("Dying to know what everyone's reading this month!", "idiom"),
    ("Used to spend every night at the bar, now I spend them at meetings", "recovery story"),
    ("My sponsor and I killed a whole pizza after the meeting lol", "idiom"),
    ("We're selling candles to fund the overdose prevention program", "topic talk"),
    ("I took the long way home today and watched the sunset", "not pills"),
    ("Can't believe it's been a year since I last drank", "milestone"),
    ("Goodbye for now, I'm heading to the mountains for the weekend!", "not a goodbye message"),
    ("The urge to nap after lunch is real", "not a craving"),
    "Had a great day with my kids, feeling blessed",
    ("My dad passed away peacefully last week, he was 92", "natural death"),
    ("Anyone know where to get fentanyl test strips for our outreach table?", "harm reduction"),
    ("I love you all! See you Sunday", "not a goodbye message"),
    ("In my using days I wanted to die every single day. Not anymore.", "recovery story"),
    ("This sermon slayed me", "idiom"),
    ("We shot some hoops after the meeting", "not a shooting"),
    ("I'm addicted to this new true crime podcast lol", "idiom"),
]
_HOLDOUT_NONE_ES: list[str | tuple[str, str]] = [
    ("me muero de ganas de verlos a todos el domingo", "idiom"),
    ("hace tres años me quería morir, hoy agradezco cada día", "recovery story"),
    ("adiós, me voy de vacaciones una semana", "not a goodbye message"),
    ("¡qué chiste! casi me muero de la risa", "idiom"),
]

HOLDOUT_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _HOLDOUT_CRISIS_EN)
    + _rows("crisis", "es", _HOLDOUT_CRISIS_ES)
    + _rows("concern", "en", _HOLDOUT_CONCERN_EN)
    + _rows("concern", "es", _HOLDOUT_CONCERN_ES)
    + _rows("none", "en", _HOLDOUT_NONE_EN)
    + _rows("none", "es", _HOLDOUT_NONE_ES)
)

# -------------------------------------------------------------------------------- round 4
# Written for the fifth version of the rules, after the holdout's misses had been read,
# around the clinical warning-sign taxonomy (988 / AFSP / Columbia C-SSRS): method research
# and means, plan / date / place, preparatory acts, farewells, burdensomeness, intentional
# overdose, passive wishes, with hard negatives built from the same words. Measured on the
# fourth version first (see the module docstring), then used for tuning.
_ROUND4_CRISIS_EN: list[str | tuple[str, str]] = [
    ("spent all night looking up painless ways to go", "method research"),
    ("I've been reading about how many of my pills it would take", "method research"),
    ("searched how much insulin would be lethal", "method research"),
    ("how many tylenol would it take to not wake up", "method research"),
    ("whats the easiest way to kill urself", "method research, misspelling"),
    ("I've been stockpiling my oxy for a few weeks now", "acquiring means"),
    ("been holding onto my mom's old morphine for when I'm ready", "acquiring means"),
    ("bought a rope today. I know which tree.", "means + place"),
    ("got a gun off a guy from work. won't need it for long", "means + finality"),
    ("I have a date picked. The 14th.", "plan: date"),
    ("set the date. Friday, after my shift.", "plan: date"),
    ("I know exactly how and when I'm going to do it", "plan"),
    ("I've figured out the place and the time", "plan: place and time"),
    ("wrote letters to everyone I love and put them in the drawer", "preparatory act"),
    ("finished my goodbye letter to my son", "preparatory act"),
    ("wrote a note and left it on the kitchen table for them to find", "preparatory act"),
    ("gave my guitar and my dog to my brother, i wont be needing them", "giving possessions away"),
    ("I've been putting my affairs in order. paid everything off, wrote a will.", "preparatory acts"),
    ("found a new home for my cat so she's looked after when I'm gone", "rehoming a pet"),
    ("can you take care of my kids for me after tonight", "preparatory request"),
    ("goodbye everyone, it was nice knowing you all", "farewell"),
    ("thank you for everything. this is the last you'll hear from me", "farewell"),
    ("just wanted to say thanks for everything before I go", "farewell"),
    ("deleted all my accounts, this one is the last. bye", "farewell"),
    ("I already said goodbye to my mom, she just doesn't know it was goodbye", "farewell"),
    ("I won't be a problem for anyone much longer", "burdensomeness"),
    ("my family would be better off with the life insurance money", "burdensomeness"),
    ("everyone's life would be easier if I wasn't in it", "burdensomeness"),
    ("I'm just a burden and soon I won't be", "burdensomeness + finality"),
    ("gonna use alone tonight and hope I don't wake up", "intentional overdose"),
    ("doing the whole bag by myself tonight, dont care if i wake up", "intentional overdose"),
    ("thinking of swallowing everything in my medicine cabinet", "intentional overdose"),
    ("I hope I get hit by a car on the way home", "passive wish"),
    ("wish i'd never been born", "passive wish"),
    ("i wish i could just fall asleep and not wake up", "passive wish"),
    ("imma end it tonight fr", "slang"),
    ("i just wanna be dead", "passive wish"),
    ("My friend keeps saying goodbye to everyone and giving her stuff away, I'm scared", "someone else at risk now"),
]
_ROUND4_CRISIS_ES: list[str | tuple[str, str]] = [
    ("ya escribí mi carta de despedida", "preparatory act"),
    ("estuve buscando cómo matarme", "method research"),
    ("he estado juntando pastillas", "acquiring means"),
    ("ya regalé mis cosas, no las voy a necesitar", "giving possessions away"),
    ("cuiden a mis hijos por mí", "preparatory request"),
    ("ya tengo la fecha y el lugar", "plan"),
    ("compré una soga, ya sé dónde", "means + place"),
    ("ya no voy a ser una carga por mucho tiempo", "burdensomeness"),
    ("me voy a meter todo lo que tengo y ojalá no despierte", "intentional overdose"),
    ("quisiera dormirme y no despertar más", "passive wish"),
    ("ojalá me muriera mientras duermo", "passive wish"),
    ("gracias por todo, esta es la última vez que escribo", "farewell"),
]
_ROUND4_CONCERN_EN: list[str | tuple[str, str]] = [
    ("I feel like such a burden to my family lately", "burden without intent"),
    ("I'm not suicidal but I keep thinking everyone would be better off without me", "negated"),
    ("been thinking about death a lot and it scares me, but I'm not going to do anything", "negated"),
    ("I'm not going to kill myself but I looked at the bottle of pills for a long time", "negated"),
    ("can't stop thinking about using alone tonight", "craving, risky"),
]
_ROUND4_CONCERN_ES: list[str | tuple[str, str]] = [
    ("me siento una carga para mi familia", "burden without intent"),
]
_ROUND4_NONE_EN: list[str | tuple[str, str]] = [
    ("googling ways to dye my hair pink lol", "not method research"),
    ("looked up how many calories are in a beer, glad I don't drink anymore", "not method research"),
    ("We set a date for the wedding! June 14th", "not a plan"),
    ("I have a plan for the holidays: meetings every day and my sponsor on speed dial", "not a plan"),
    ("wrote a letter to my younger self for step work", "not a preparatory act"),
    ("Writing a goodbye letter to alcohol, my therapist suggested it", "recovery exercise"),
    ("gave away all my old wine glasses, don't need them anymore", "recovery, not giving possessions away"),
    ("Finally made a will after my daughter was born, adulting!", "not a preparatory act"),
    ("We had to rehome our dog because of my son's allergies", "not a preparatory act"),
    ("Can you take care of my dog this weekend while I'm at the retreat?", "ordinary request"),
    ("Last day at my job today, goodbye everyone at the warehouse!", "not a farewell"),
    ("Saying my goodbyes to this city, moving to Denver on Friday", "not a farewell"),
    ("My sponsor says I'm not a burden, and I'm starting to believe her", "negated burden"),
    ("stockpiling snacks for movie night", "not means"),
    ("bought a new rope for the tire swing", "not means"),
    ("How much naloxone does it take to reverse a fentanyl overdose?", "harm-reduction education"),
    ("How many milligrams of buprenorphine is a normal starting dose?", "medication question"),
    ("Never use alone. The Never Use Alone hotline will send help if you stop responding.", "harm reduction"),
    ("The gun show downtown was packed", "not means"),
    ("I used to google ways to die every night. Two years sober now and I google recipes.", "recovery story"),
    ("A year ago I wrote a suicide note. Today I read it out at my share.", "recovery story"),
    ("When I was using I gave away everything I owned, today I have my own place", "recovery story"),
    ("my grandpa put his affairs in order before his surgery and it went fine", "someone else, no risk"),
    ("thank you for everything, see you at group next week", "not a farewell"),
    ("I'm going to kill this presentation tomorrow, wish me luck", "idiom"),
    ("this is the last time I'm buying that cheap coffee lol", "not a farewell"),
]
_ROUND4_NONE_ES: list[str | tuple[str, str]] = [
    ("¡ya tenemos fecha para la boda!", "not a plan"),
    ("regalé mi ropa vieja a la iglesia", "not giving possessions away"),
    ("me despedí de mis compañeros, empiezo trabajo nuevo el lunes", "not a farewell"),
    ("buscando cómo dejar de fumar, ¿algún consejo?", "not method research"),
]

ROUND4_CASES: tuple[Case, ...] = tuple(
    _rows("crisis", "en", _ROUND4_CRISIS_EN)
    + _rows("crisis", "es", _ROUND4_CRISIS_ES)
    + _rows("concern", "en", _ROUND4_CONCERN_EN)
    + _rows("concern", "es", _ROUND4_CONCERN_ES)
    + _rows("none", "en", _ROUND4_NONE_EN)
    + _rows("none", "es", _ROUND4_NONE_ES)
)

# Every part, in the order written; all of them have been used for tuning.
PARTS: dict[str, tuple[Case, ...]] = {
    "dev": DEV_CASES,
    "round1": ROUND1_CASES,
    "round2": ROUND2_CASES,
    "round3": ROUND3_CASES,
    "holdout": HOLDOUT_CASES,
    "round4": ROUND4_CASES,
}
TUNED_CASES: tuple[Case, ...] = DEV_CASES + ROUND1_CASES + ROUND2_CASES + ROUND3_CASES + HOLDOUT_CASES + ROUND4_CASES
ALL_CASES: tuple[Case, ...] = TUNED_CASES
