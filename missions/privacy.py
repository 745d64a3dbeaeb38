"""The missions' part of a person's data export (the protocol: accounts/privacy.py): what the
person last changed in mission profiles, their progress updates, review actions and history
entries. On deletion all of it stays without an author (SET_NULL; accounts clears the
history's plain-id copies)."""

from django.db.models import Q

from accounts.privacy import register_section, rows, value

from .models import Measure, MissionProfile, ProgressUpdate, ReviewEvent, SmartGoal

_CHANGES = {"+": "created", "~": "changed", "-": "deleted"}


def _history_entries(user) -> list[dict]:
    history = []
    for model, kind in (
        (MissionProfile, "mission_profile"),
        (SmartGoal, "goal"),
        (Measure, "measure"),
    ):
        historical = model.history.model
        found = historical.objects.filter(Q(history_user=user) | Q(updated_by=user)).order_by(
            "history_date", "history_id"
        )
        for row in found.values("id", "history_date", "history_type", "history_change_reason"):
            history.append(
                {
                    "object": kind,
                    "object_id": row["id"],
                    "date": value(row["history_date"]),
                    "change": _CHANGES.get(row["history_type"], row["history_type"]),
                    "reason": row["history_change_reason"],
                }
            )
    return history


def _mission_contributions(user) -> dict:
    where = "participation__municipality__name"
    return {
        "profiles_last_changed": rows(
            MissionProfile.objects.filter(updated_by=user).order_by("pk"),
            ["id", where, "status", "updated_at"],
        ),
        "goals_last_changed": rows(
            SmartGoal.objects.filter(updated_by=user).order_by("pk"),
            ["id", f"profile__{where}", "statement", "updated_at"],
        ),
        "measures_last_changed": rows(
            Measure.objects.filter(updated_by=user).order_by("pk"),
            ["id", f"profile__{where}", "title", "status", "updated_at"],
        ),
        "progress_updates": rows(
            ProgressUpdate.objects.filter(author=user).order_by("date", "pk"),
            ["id", "goal_id", "goal__statement", "value", "date", "note", "created_at"],
        ),
        "review_events": rows(
            ReviewEvent.objects.filter(by=user).order_by("at", "pk"),
            ["id", f"profile__{where}", "action", "comment", "at"],
        ),
        "history_entries": _history_entries(user),
    }


def register() -> None:
    fields = [
        ("missions.MissionProfile", "updated_by"),
        ("missions.SmartGoal", "updated_by"),
        ("missions.Measure", "updated_by"),
        ("missions.ProgressUpdate", "author"),
        ("missions.ReviewEvent", "by"),
    ]
    for model in ("MissionProfile", "SmartGoal", "Measure"):
        fields += [
            (f"missions.Historical{model}", "history_user"),
            (f"missions.Historical{model}", "updated_by"),
        ]
    register_section("mission_contributions", export=_mission_contributions, fields=fields)
