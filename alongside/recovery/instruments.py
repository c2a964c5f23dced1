"""Assessment instruments (BARC-10, PHQ-9, GAD-7): their published text and scoring rules.

Pure: no Django. Views render an ``Instrument`` in the member's language, ``score`` turns the
answers into a total, a severity band and safety flags, and ``fhir.py`` exports both.

The item text is the published wording and must not be "improved": a validated instrument is
only valid as worded. Where a Spanish text is the project's own translation rather than a
published one, ``Instrument.translation_note`` says so.

Sources of the text (checked when this file was written):

- BARC-10: Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and
  validation of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug use
  disorder. Drug Alcohol Depend. 2017;177:71-76. No published Spanish version was found, so the
  Spanish text is the project's translation.
- PHQ-9 and GAD-7: the Pfizer forms (English, and Spanish for the USA) distributed at
  phqscreeners.com. LOINC codes are those of the LOINC PHQ-9 (44249-1) and GAD-7 (69737-5) panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "INSTRUMENTS",
    "LANGUAGES",
    "Band",
    "FlagRule",
    "Instrument",
    "Item",
    "Option",
    "Score",
    "Text",
    "normalise_language",
    "score",
]

LANGUAGES = ("en", "es")


def normalise_language(language: str) -> str:
    """``"es-MX"`` and ``"ES"`` → ``"es"``; anything without a text here is a ``ValueError``.

    An instrument shown in a language the person did not choose is not the same instrument,
    so there is deliberately no silent fallback to English.
    """
    primary = language.replace("_", "-").split("-", 1)[0].lower()
    if primary not in LANGUAGES:
        raise ValueError(f"no instrument text in language {language!r}; available: {', '.join(LANGUAGES)}")
    return primary


@dataclass(frozen=True)
class Text:
    """One piece of text in every language the instruments are offered in."""

    en: str
    es: str

    def get(self, language: str) -> str:
        return self.es if normalise_language(language) == "es" else self.en


@dataclass(frozen=True)
class Option:
    value: int  # what the answer scores
    text: Text
    loinc: str | None = None  # LOINC answer code (LA…), where LOINC has one


@dataclass(frozen=True)
class Item:
    link_id: str  # stable id, also the FHIR linkId: never renumber
    text: Text
    loinc: str | None = None


@dataclass(frozen=True)
class Band:
    key: str  # stored with the assessment: "minimal", "mild", ...
    low: int  # inclusive
    high: int  # inclusive
    label: Text


@dataclass(frozen=True)
class FlagRule:
    """Raise ``flag`` when the answer to ``link_id`` is at least ``at_least``, whatever the total."""

    flag: str
    link_id: str
    at_least: int


@dataclass(frozen=True)
class Instrument:
    code: str  # "barc10" | "phq9" | "gad7"
    title: Text
    stem: Text
    items: tuple[Item, ...]
    options: tuple[Option, ...]  # the same answer scale for every item, lowest score first
    min_total: int
    max_total: int
    bands: tuple[Band, ...]  # empty where the instrument publishes no bands
    citation: str
    licence_note: str
    translation_note: str | None = None
    loinc: str | None = None  # the panel
    total_loinc: str | None = None  # the total score
    flag_rules: tuple[FlagRule, ...] = ()

    def band_for(self, total: int) -> Band | None:
        return next((band for band in self.bands if band.low <= total <= band.high), None)

    def option(self, value: int) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise ValueError(f"{self.code}: no answer option scores {value}")


@dataclass(frozen=True)
class Score:
    total: int
    band: str | None  # Band.key
    flags: tuple[str, ...]


def score(code: str, answers: Sequence[int]) -> Score:
    """Score one completed questionnaire; answers are the option values, in item order.

    Every item must be answered: these instruments have no published rule for prorating a
    partial form, and a total from a partial form would read lower than the truth.
    """
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise ValueError(f"unknown instrument {code!r}; known: {', '.join(INSTRUMENTS)}")
    items = instrument.items
    if isinstance(answers, str | bytes):
        raise ValueError(f"{code}: answers must be a sequence of numbers, one per item")
    if len(answers) < len(items):
        first_missing = items[len(answers)]
        raise ValueError(
            f"{code}: expected {len(items)} answers, got {len(answers)}; "
            f"item {len(answers) + 1} ({first_missing.link_id}) is missing"
        )
    if len(answers) > len(items):
        raise ValueError(f"{code}: expected {len(items)} answers, got {len(answers)}")

    allowed = {option.value for option in instrument.options}
    low, high = min(allowed), max(allowed)
    for number, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
        # bool is an int in Python; a True slipping in from a form would score 1 silently.
        if answer is None:
            raise ValueError(f"{code}: item {number} ({item.link_id}) is missing")
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in allowed:
            raise ValueError(
                f"{code}: item {number} ({item.link_id}) must be a whole number {low}–{high}, got {answer!r}"
            )

    total = sum(answers)
    by_link_id = {item.link_id: answer for item, answer in zip(items, answers, strict=True)}
    flags = tuple(rule.flag for rule in instrument.flag_rules if by_link_id[rule.link_id] >= rule.at_least)
    band = instrument.band_for(total)
    return Score(total=total, band=band.key if band else None, flags=flags)


# --- The instruments ----------------------------------------------------------------------

_PFIZER_LICENCE = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)

# PHQ-9 and GAD-7 share one frequency scale and its LOINC answer list (LL358-9).
_FREQUENCY = (
    Option(0, Text("Not at all", "Ningún día"), "LA6568-5"),
    Option(1, Text("Several days", "Varios días"), "LA6569-3"),
    Option(2, Text("More than half the days", "Más de la mitad de los días"), "LA6570-1"),
    Option(3, Text("Nearly every day", "Casi todos los días"), "LA6571-9"),
)

_BARC10 = Instrument(
    code="barc10",
    title=Text(
        "Brief Assessment of Recovery Capital (BARC-10)",
        "Evaluación breve del capital de recuperación (BARC-10)",
    ),
    # The paper publishes statements and an agreement scale, not an instruction line; this
    # one is ours and only says how to use the scale.
    stem=Text(
        "How much do you agree or disagree with each statement?",
        "¿Qué tan de acuerdo o en desacuerdo está con cada afirmación?",
    ),
    items=tuple(
        Item(f"barc10-{number}", text)
        for number, text in enumerate(
            (
                Text(
                    "There are more important things to me in life than using substances.",
                    "Hay cosas en la vida más importantes para mí que consumir sustancias.",
                ),
                Text("In general I am happy with my life.", "En general, estoy contento/a con mi vida."),
                Text(
                    "I have enough energy to complete the tasks I set myself.",
                    "Tengo suficiente energía para completar las tareas que me propongo.",
                ),
                Text(
                    "I am proud of the community I live in and feel part of it.",
                    "Estoy orgulloso/a de la comunidad en la que vivo y me siento parte de ella.",
                ),
                Text("I get lots of support from friends.", "Recibo mucho apoyo de mis amistades."),
                Text(
                    "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
                    "Considero que mi vida es estimulante y plena sin necesidad de consumir drogas o alcohol.",
                ),
                Text(
                    "My living space has helped to drive my recovery journey.",
                    "El lugar donde vivo me ha ayudado a avanzar en mi proceso de recuperación.",
                ),
                Text("I take full responsibility for my actions.", "Asumo toda la responsabilidad de mis actos."),
                Text(
                    "I am happy dealing with a range of professional people.",
                    "Me siento a gusto tratando con distintos tipos de profesionales.",
                ),
                Text(
                    "I am making good progress on my recovery journey.",
                    "Estoy avanzando bien en mi proceso de recuperación.",
                ),
            ),
            start=1,
        )
    ),
    options=(
        Option(1, Text("Strongly disagree", "Totalmente en desacuerdo")),
        Option(2, Text("Disagree", "En desacuerdo")),
        Option(3, Text("Somewhat disagree", "Algo en desacuerdo")),
        Option(4, Text("Somewhat agree", "Algo de acuerdo")),
        Option(5, Text("Agree", "De acuerdo")),
        Option(6, Text("Strongly agree", "Totalmente de acuerdo")),
    ),
    min_total=10,
    max_total=60,
    # The paper reports no severity bands, only that 47 or more predicted sustained remission
    # in its sample; that is a research finding, not a label to put on a person.
    bands=(),
    citation=(
        "Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and validation "
        "of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug use disorder. "
        "Drug and Alcohol Dependence. 2017;177:71-76."
    ),
    licence_note="Free to use; cite Vilsaint et al. (2017).",
    translation_note=(
        "The Spanish text is the Alongside project's own translation, not a validated Spanish version of the BARC-10."
    ),
)

_PHQ9 = Instrument(
    code="phq9",
    title=Text(
        "Patient Health Questionnaire (PHQ-9)",
        "Cuestionario sobre la salud del paciente (PHQ-9)",
    ),
    stem=Text(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
    ),
    items=(
        Item(
            "phq9-1",
            Text("Little interest or pleasure in doing things", "Poco interés o placer en hacer cosas"),
            "44250-9",
        ),
        Item(
            "phq9-2",
            Text("Feeling down, depressed, or hopeless", "Se ha sentido decaído(a), deprimido(a) o sin esperanzas"),
            "44255-8",
        ),
        Item(
            "phq9-3",
            Text(
                "Trouble falling or staying asleep, or sleeping too much",
                "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
            ),
            "44259-0",
        ),
        Item(
            "phq9-4",
            Text("Feeling tired or having little energy", "Se ha sentido cansado(a) o con poca energía"),
            "44254-1",
        ),
        Item("phq9-5", Text("Poor appetite or overeating", "Sin apetito o ha comido en exceso"), "44251-7"),
        Item(
            "phq9-6",
            Text(
                "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
                "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted "
                "mismo(a) o con su familia",
            ),
            "44258-2",
        ),
        Item(
            "phq9-7",
            Text(
                "Trouble concentrating on things, such as reading the newspaper or watching television",
                "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico "
                "o ver la televisión",
            ),
            "44252-5",
        ),
        Item(
            "phq9-8",
            Text(
                "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
                "fidgety or restless that you have been moving around a lot more than usual",
                "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – "
                "muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal",
            ),
            "44253-3",
        ),
        Item(
            "phq9-9",
            Text(
                "Thoughts that you would be better off dead or of hurting yourself in some way",
                "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
            ),
            "44260-8",
        ),
    ),
    options=_FREQUENCY,
    min_total=0,
    max_total=27,
    bands=(
        Band("minimal", 0, 4, Text("Minimal", "Mínima")),
        Band("mild", 5, 9, Text("Mild", "Leve")),
        Band("moderate", 10, 14, Text("Moderate", "Moderada")),
        Band("moderately_severe", 15, 19, Text("Moderately severe", "Moderadamente grave")),
        Band("severe", 20, 27, Text("Severe", "Grave")),
    ),
    citation=(
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. "
        "Journal of General Internal Medicine. 2001;16(9):606-613."
    ),
    licence_note=_PFIZER_LICENCE,
    loinc="44249-1",
    total_loinc="44261-6",
    # Item 9 is a safety question: any answer but "Not at all" needs a person to follow up,
    # even when the total is low.
    flag_rules=(FlagRule("self_harm_thoughts", "phq9-9", 1),),
)

_GAD7 = Instrument(
    code="gad7",
    title=Text(
        "Generalized Anxiety Disorder 7-item scale (GAD-7)",
        "Escala del trastorno de ansiedad generalizada (GAD-7)",
    ),
    stem=Text(
        "Over the last 2 weeks, how often have you been bothered by the following problems?",
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?",
    ),
    items=(
        Item(
            "gad7-1",
            Text(
                "Feeling nervous, anxious, or on edge",
                "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
            ),
            "69725-0",
        ),
        Item(
            "gad7-2",
            Text(
                "Not being able to stop or control worrying",
                "No ha sido capaz de parar o controlar su preocupación",
            ),
            "68509-9",
        ),
        Item(
            "gad7-3",
            Text(
                "Worrying too much about different things",
                "Se ha preocupado demasiado por motivos diferentes",
            ),
            "69733-4",
        ),
        Item("gad7-4", Text("Trouble relaxing", "Ha tenido dificultad para relajarse"), "69734-2"),
        Item(
            "gad7-5",
            Text(
                "Being so restless that it is hard to sit still",
                "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
            ),
            "69735-9",
        ),
        Item(
            "gad7-6",
            Text("Becoming easily annoyed or irritable", "Se ha molestado o irritado fácilmente"),
            "69689-8",
        ),
        Item(
            "gad7-7",
            Text(
                "Feeling afraid as if something awful might happen",
                "Ha tenido miedo de que algo terrible fuera a pasar",
            ),
            "69736-7",
        ),
    ),
    options=_FREQUENCY,
    min_total=0,
    max_total=21,
    bands=(
        Band("minimal", 0, 4, Text("Minimal", "Mínima")),
        Band("mild", 5, 9, Text("Mild", "Leve")),
        Band("moderate", 10, 14, Text("Moderate", "Moderada")),
        Band("severe", 15, 21, Text("Severe", "Grave")),
    ),
    citation=(
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety "
        "disorder: the GAD-7. Archives of Internal Medicine. 2006;166(10):1092-1097."
    ),
    licence_note=_PFIZER_LICENCE,
    loinc="69737-5",
    total_loinc="70274-6",
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (_BARC10, _PHQ9, _GAD7)}
