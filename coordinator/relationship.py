"""How it is going between the two: five short statements, each answered from 1 (not at all) to 5
(completely), asked of the volunteer and of the newcomer at every check-in, in the same words
every time so that the answers can be compared over the months and between matches.

The statements are our own, for adults who befriend adults, adapted from the published
strength-of-relationship scales of youth mentoring, whose items cover closeness, enjoyment,
being understood, wanting to go on, and feeling safe:

- Rhodes, J. E., Schwartz, S. E. O., Willis, M. M. & Wu, M. B. (2017). Validating a mentoring
  relationship quality scale: Does match strength predict match length? *Youth & Society*
  49(4), 415–437 (the Strength of Relationship scale, mentor's and mentee's versions).
- Harris, J. T. & Nakkula, M. J. (2008). *Match Characteristics Questionnaire*. Applied
  Research Consulting; and Rhodes, J. E., Reddy, R., Roffman, J. & Grossman, J. B. (2005).
  Promoting successful youth mentoring relationships: a preliminary screening questionnaire.
  *Journal of Primary Prevention* 26(2), 147–167 (the Youth–Mentor Relationship Questionnaire).
- MENTOR (2015). *Elements of Effective Practice for Mentoring*, 4th ed.: contact with both
  sides at least twice in the first month and monthly after, asking each time about activities,
  relationship quality and safety.

They are not a validated instrument: the mean of the five is a signal for the coordinator
(a low or falling mean puts a match on the at-risk list), not a measurement to publish.
"""

from django.utils.translation import gettext_lazy as _

ITEMS = (
    ("enjoy", _("Vi har trevligt när vi träffas.")),
    ("talk", _("Jag kan prata med min vän om sådant som är viktigt för mig.")),
    ("understood", _("Min vän förstår mig, också när orden inte räcker.")),
    ("look_forward", _("Jag ser fram emot nästa gång vi ses.")),
    ("safe", _("Jag känner mig trygg med min vän.")),
)
POINTS = (
    (1, _("Stämmer inte alls")),
    (2, _("Stämmer dåligt")),
    (3, _("Stämmer delvis")),
    (4, _("Stämmer ganska bra")),
    (5, _("Stämmer helt")),
)
LOW = 3.0  # a mean below this is a concern

# The two exit questions, asked of each side when a match ends (the participants' own words for
# them, in eight languages, are in coordinator.participant_texts).
EXIT_HOW_WELL = (
    (1, _("Inte alls bra")),
    (2, _("Inte så bra")),
    (3, _("Sådär")),
    (4, _("Bra")),
    (5, _("Mycket bra")),
)
EXIT_KEEP_IN_TOUCH = ((1, _("Ja")), (2, _("Nej")), (3, _("Vet inte")))


def mean(answers: list[int]) -> float | None:
    """The mean of a side's five answers; None when the side was not asked."""
    return sum(answers) / len(answers) if answers else None


def valid(answers: object) -> bool:
    """Five whole numbers from 1 to 5, or nothing (not asked this time)."""
    return isinstance(answers, list) and (
        answers == [] or (len(answers) == len(ITEMS) and all(type(a) is int and 1 <= a <= 5 for a in answers))
    )
