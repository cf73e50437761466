"""A background check recorded without an end used to count forever; now an extract holds at
most a year. Checks already recorded without an end get the end they always had in law: a year
after the day the extract was shown."""

from django.db import migrations


def one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def give_an_end(apps, schema_editor):
    Volunteer = apps.get_model("coordinator", "Volunteer")
    open_ended = Volunteer.objects.filter(background_check_date__isnull=False, background_check_expires__isnull=True)
    for volunteer in open_ended.only("pk", "background_check_date").iterator():
        Volunteer.objects.filter(pk=volunteer.pk).update(
            background_check_expires=one_year_after(volunteer.background_check_date)
        )


class Migration(migrations.Migration):
    dependencies = [("coordinator", "0009_person_names")]

    operations = [migrations.RunPython(give_an_end, migrations.RunPython.noop)]
