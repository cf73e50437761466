"""The coordinator's loop: declining a proposal, pairing by hand, the introduction, follow-ups,
extending and ending a match."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinator import relationship, vocabulary
from coordinator.forms.people import conditional
from coordinator.models import (
    FollowUp,
    Gender,
    Match,
    Meeting,
    Newcomer,
    TargetGroup,
    Volunteer,
)
from coordinator.selectors.reports import age_bands
from coordinator.selectors.waiting import NO_AREA_TYPED


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför passar de inte?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paret föreslås aldrig igen. Skriv inte om hälsa, religion eller etnicitet."),
        error_messages={"required": _("Skriv varför förslaget avböjs.")},
    )


def target_group_filter_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Målgrupp"), required=False, choices=[("", _("Alla")), *TargetGroup.choices])


def interpreter_filter_field() -> forms.ChoiceField:
    """The filter the selectors read as `interpreter` ("yes"/"no")."""
    return forms.ChoiceField(
        label=_("Tolk"),
        required=False,
        choices=[("", _("Alla")), ("yes", _("Behöver tolk")), ("no", _("Behöver inte tolk"))],
    )


class QueueFilterForm(forms.Form):
    """What a coordinator narrows the proposal queue by (a GET form: the address keeps it)."""

    area = forms.CharField(
        label=_("Område"),
        required=False,
        max_length=50,
        help_text=_("Början av postnumret eller en del av orten."),
    )
    waited = forms.TypedChoiceField(
        label=_("Har väntat"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Hur länge som helst")), ("30", _("Minst 30 dagar")), ("90", _("Minst 90 dagar")),
                 ("180", _("Minst 180 dagar"))],
    )  # fmt: skip
    score = forms.TypedChoiceField(
        label=_("Poäng"),
        required=False,
        coerce=float,
        empty_value=None,
        choices=[("", _("Alla")), ("0.5", _("Minst 0,5")), ("0.7", _("Minst 0,7")), ("0.9", _("Minst 0,9"))],
    )
    language = forms.ChoiceField(label=_("Den nyanländes språk"), required=False)
    target_group = target_group_filter_field()
    interpreter = interpreter_filter_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Alla")), *vocabulary.language_choices()]

    def filters(self) -> dict:
        """The filters chosen, or none for a form that does not validate."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")} if self.is_valid() else {}


class PeopleFilterForm(forms.Form):
    """How a coordinator looks up the programme's people (a GET form: the address keeps it)."""

    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    # No place on the map, as the engine sees it (the dashboard's warning before a run links here);
    # `locality` "-" is who waits longest's group of those with no locality written. They are
    # nearly always the same people, so the labels say which is which.
    place = forms.ChoiceField(
        label=_("Plats för avståndet"),
        required=False,
        choices=[("", _("Alla")), ("missing", _("Saknas"))],
        help_text=_(
            "Saknas: varken postnummer eller ort kunde placeras. Den som saknar plats kan föreslås någon var "
            "som helst i programmet."
        ),
    )
    target_group = target_group_filter_field()
    interpreter = interpreter_filter_field()
    # The groups of who waits longest (the dashboard links each to the list narrowed to it).
    first_language = forms.ChoiceField(label=_("Första språk"), required=False)
    gender = forms.ChoiceField(
        label=_("Kön"), required=False, choices=[("", _("Alla")), *Gender.choices, ("unknown", _("Okänt"))]
    )
    age = forms.ChoiceField(label=_("Ålder"), required=False)
    locality = forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=100,
        help_text=_("Hela ortnamnet, eller ett streck (-) för dem där ingen ort är ifylld."),
    )

    # Volunteers only: whom to ask when the dashboard says a language is missing.
    speaks = forms.ChoiceField(label=_("Talar"), required=False)
    # Newcomers only: the list in name order, or as the dashboard's "who has waited longest".
    order = forms.ChoiceField(
        label=_("Ordning"),
        required=False,
        choices=[("", _("Namn")), ("waited", _("Längst väntan först"))],
    )

    def __init__(self, *args, kind: str = "newcomers", **kwargs):
        super().__init__(*args, **kwargs)
        statuses = Newcomer.Status.choices if kind == "newcomers" else Volunteer.Status.choices
        self.fields["status"].choices = [("", _("Alla")), *statuses]
        if kind != "newcomers":
            for name in ("target_group", "interpreter", "first_language", "gender", "age"):
                del self.fields[name]
            self.fields["speaks"].choices = [("", _("Alla")), *vocabulary.language_choices()]
            del self.fields["order"]
            return
        del self.fields["speaks"]
        self.fields["first_language"].choices = [
            ("", _("Alla")), *vocabulary.language_choices(), ("unknown", _("Okänt"))
        ]  # fmt: skip
        self.fields["age"].choices = [("", _("Alla")), *[(b, b) for b in age_bands()], ("unknown", _("Okänd"))]

    def filters(self) -> dict:
        """The filters given that are valid: one made up by hand is named as wrong (the error
        summary) and left out, the others still narrow the list."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    FIRST = ("q", "status", "order")  # the rest are under "More filters", open when one is used

    def first_fields(self) -> list:
        return [self[name] for name in self.FIRST if name in self.fields]

    def more_fields(self) -> list:
        return [field for field in self if field.name not in self.FIRST]

    def applied(self) -> list[tuple[str, str]]:
        """The filters in use, as (the field's label, the value as shown): what the list is narrowed to."""
        shown = []
        for name, value in self.filters().items():
            if name == "order":  # an order, not a narrowing
                continue
            field = self.fields[name]
            choices = dict(getattr(field, "choices", []))
            if name == "locality" and value in NO_AREA_TYPED:
                choices[value] = _("ingen (de utan ort)")
            shown.append((str(field.label), str(choices.get(value, value))))
        return shown

    def more_used(self) -> bool:
        return any(self.data.get(field.name) or field.errors for field in self.more_fields())


def person_label(person) -> str:
    """Enough to tell namesakes apart: "Rana Saleh, född 1990, 178 32 Ekerö"."""
    parts = [str(person)]
    if person.birth_year:
        parts.append(str(_("född %(year)s") % {"year": person.birth_year}))
    place = " ".join(x for x in (person.postcode, person.locality) if x)
    if place:
        parts.append(place)
    return ", ".join(parts)


class PairForm(forms.Form):
    """A pair a coordinator chooses by hand: to match now, or to lock before a run. The choices
    shown are the people she has looked up; a choice is checked against everyone who may be
    paired (a queryset, never read whole)."""

    newcomer = forms.ModelChoiceField(
        label=_("Nyanländ"),
        queryset=Newcomer.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en nyanländ."), "invalid_choice": _("Välj en nyanländ i listan.")},
    )
    volunteer = forms.ModelChoiceField(
        label=_("Volontär"),
        queryset=Volunteer.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en volontär."), "invalid_choice": _("Välj en volontär i listan.")},
    )

    def __init__(self, *args, eligible_newcomers=None, eligible_volunteers=None, newcomers=(), volunteers=(), **kw):
        super().__init__(*args, **kw)
        for name, eligible, shown in (
            ("newcomer", eligible_newcomers, newcomers),
            ("volunteer", eligible_volunteers, volunteers),
        ):
            field = self.fields[name]
            field.queryset = eligible if eligible is not None else field.queryset
            field.widget.choices = [(p.pk, person_label(p)) for p in shown]


class PairSearchForm(forms.Form):
    """Whom a coordinator looks up to pair (a GET form: the address keeps the search)."""

    nyanland = forms.CharField(
        label=_("Sök nyanländ"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort, till exempel: Rana 1990."),
    )
    volontar = forms.CharField(
        label=_("Sök volontär"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort."),
    )


class IntroForm(forms.Form):
    at = forms.DateTimeField(
        label=_("När"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Var"), max_length=200, help_text=_("Till exempel biblioteket i Ekerö centrum."))
    coordinator_attends = forms.BooleanField(label=_("Jag är med på mötet"), required=False, initial=True)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at < timezone.now():
            raise ValidationError(_("Mötet ligger i det förflutna."))
        return at


def _scale_field(statement) -> forms.Field:
    return conditional(
        forms.ChoiceField(
            label=statement,
            required=False,
            choices=[(str(value), f"{value} {words}") for value, words in relationship.POINTS],
            widget=forms.RadioSelect(attrs={"class": "scale"}),
        )
    )  # all five or none: not "(valfritt)" one by one


class FollowUpForm(forms.Form):
    """A check-in: the same questions every time, so that the answers can be compared."""

    SIDES = ("volunteer", "newcomer")

    outcome = forms.ChoiceField(label=_("Hur går det?"), choices=FollowUp.Outcome.choices, widget=forms.RadioSelect)
    done_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    meetings_since = forms.IntegerField(
        label=_("Hur många gånger har de träffats sedan förra uppföljningen?"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    met_how = forms.MultipleChoiceField(
        label=_("Hur har de hörts?"),
        required=False,
        choices=FollowUp.MetHow.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.CharField(
        label=_("Vad har de gjort?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel fika, promenad, läxhjälp, biblioteket."),
    )
    concern = forms.CharField(
        label=_("Finns det någon oro?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skriv inte om hälsa, religion eller etnicitet."),
    )
    safeguarding = forms.BooleanField(
        label=_("Jag är orolig för någons säkerhet"),
        required=False,
        help_text=_("Organisationens administratörer får veta det med en gång."),
    )
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv bara det som behövs för uppföljningen. Skriv inte om hälsa, religion eller etnicitet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for side in self.SIDES:
            for key, statement in relationship.ITEMS:
                self.fields[f"{side}_{key}"] = _scale_field(statement)

    def scale_fields(self, side: str) -> list:
        return [self[f"{side}_{key}"] for key, _statement in relationship.ITEMS]

    def volunteer_scale(self) -> list:
        return self.scale_fields("volunteer")

    def newcomer_scale(self) -> list:
        return self.scale_fields("newcomer")

    def clean_done_on(self):
        done = self.cleaned_data["done_on"]
        if done > timezone.localdate():
            raise ValidationError(_("Datumet ligger i framtiden."))
        return done

    def clean(self):
        data = super().clean()
        for side in self.SIDES:
            keys = [f"{side}_{key}" for key, _statement in relationship.ITEMS]
            given = [data.get(k) for k in keys]
            if any(given) and not all(given):
                first_missing = keys[given.index(next(g for g in given if not g))]
                self.add_error(
                    first_missing, _("Svara på alla fem påståendena, eller på inget om ni inte pratade om det.")
                )
            data[f"{side}_answers"] = [int(g) for g in given] if all(given) else []
        return data

    def answers(self) -> dict:
        """The cleaned answers, as services.follow_up_record takes them."""
        d = self.cleaned_data
        return {
            "outcome": d["outcome"],
            "notes": d["notes"],
            "on": d["done_on"],
            "meetings_since": d.get("meetings_since"),
            "met_how": d.get("met_how") or [],
            "activities": d.get("activities", ""),
            "volunteer_answers": d["volunteer_answers"],
            "newcomer_answers": d["newcomer_answers"],
            "concern": d.get("concern", ""),
            "safeguarding": d.get("safeguarding", False),
        }


class MeetingForm(forms.Form):
    """A meeting logged in one tap: today and about an hour unless she says otherwise."""

    on = forms.DateField(
        label=_("Dag"), required=False, widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    minutes = forms.TypedChoiceField(
        label=_("Ungefär hur länge?"),
        required=False,
        choices=Meeting.MINUTES,
        coerce=int,
        empty_value=60,
        initial=60,
        widget=forms.RadioSelect,
    )
    what = forms.CharField(
        label=_("Vad gjorde ni?"),
        required=False,
        max_length=200,
        help_text=_("Om du vill, till exempel: fika och pratade om jobbsökande."),
    )

    def clean_on(self):
        return self.cleaned_data.get("on") or timezone.localdate()  # the day's limits: services.meeting_log


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=_("Förläng med (månader)"), min_value=1, max_value=24, initial=3)


EXIT_HOW_WELL = [("", _("Inte frågat")), *((str(v), label) for v, label in relationship.EXIT_HOW_WELL)]
EXIT_KEEP_IN_TOUCH = [("", _("Inte frågat")), *((str(v), label) for v, label in relationship.EXIT_KEEP_IN_TOUCH)]


class EndForm(forms.Form):
    """Ending a match: why and who wanted it, what happens next for each of them, and (if the
    coordinator asked in the ending conversation) their answers to the two exit questions;
    unanswered sides are asked by e-mail and SMS."""

    reason = forms.ChoiceField(
        label=_("Varför slutar matchningen?"),
        choices=Match.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj varför matchningen slutar.")},
    )
    wanted_by = forms.ChoiceField(
        label=_("Vem ville avsluta?"),
        choices=Match.WantedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vem som ville avsluta.")},
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skriv inte om hälsa, religion eller etnicitet."),
    )
    newcomer_returns = forms.BooleanField(
        label=_("Den nyanlände vill ha en ny matchning"), required=False, initial=True
    )
    newcomer_priority = forms.BooleanField(
        label=_("Med förtur"),
        required=False,
        help_text=_("Den nyanlände räknas som om hen har väntat längst när nästa förslag görs."),
    )
    newcomer_note = forms.CharField(
        label=_("Inför nästa matchning (den nyanlände)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel: vill gärna träffa någon på dagtid. Syns när den nyanlände föreslås nästa gång."),
    )
    volunteer_returns = forms.BooleanField(label=_("Volontären vill träffa någon ny"), required=False, initial=True)
    volunteer_note = forms.CharField(
        label=_("Inför nästa matchning (volontären)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    same_again = forms.BooleanField(
        label=_("Båda vill fortsätta med varandra: föreslå samma volontär igen"),
        required=False,
        help_text=_("Paret hålls som ett låst par till nästa körning. Går bara när båda vill ha en ny matchning."),
    )
    volunteer_exit_1 = forms.ChoiceField(
        label=_("Volontären: hur bra har det fungerat?"), choices=EXIT_HOW_WELL, required=False
    )
    volunteer_exit_2 = forms.ChoiceField(
        label=_("Volontären: tänker ni fortsätta att höras?"), choices=EXIT_KEEP_IN_TOUCH, required=False
    )
    newcomer_exit_1 = forms.ChoiceField(
        label=_("Den nyanlände: hur bra har det fungerat?"), choices=EXIT_HOW_WELL, required=False
    )
    newcomer_exit_2 = forms.ChoiceField(
        label=_("Den nyanlände: tänker ni fortsätta att höras?"), choices=EXIT_KEEP_IN_TOUCH, required=False
    )
    confirm = forms.BooleanField(
        label=_("Ja, avsluta matchningen. Det går inte att ångra."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att matchningen ska avslutas.")},
    )

    def clean(self):
        data = super().clean()
        for side in ("volunteer", "newcomer"):
            first, second = data.get(f"{side}_exit_1"), data.get(f"{side}_exit_2")
            if bool(first) != bool(second):
                missing = f"{side}_exit_2" if first else f"{side}_exit_1"
                self.add_error(missing, _("Svara på båda frågorna, eller låt båda stå som Inte frågat."))
        return data

    def exit_answers(self, side: str) -> list[int] | None:
        """A side's two exit answers as recorded here, or None: ask her by e-mail or SMS."""
        first, second = self.cleaned_data.get(f"{side}_exit_1"), self.cleaned_data.get(f"{side}_exit_2")
        return [int(first), int(second)] if first and second else None
