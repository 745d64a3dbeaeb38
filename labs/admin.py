from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from . import services
from .models import Cohort, Invitation, Lab, LabMembership, Municipality, Participation


@admin.register(Lab)
class LabAdmin(GuardedModelAdmin):
    list_display = ["name", "slug", "organiser"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "lab", "start_date", "end_date"]
    list_filter = ["lab"]
    list_select_related = ["lab"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "state", "district", "population", "lab"]
    list_filter = ["lab", "state"]
    search_fields = ["name", "ags"]
    list_select_related = ["lab"]


@admin.register(Participation)
class ParticipationAdmin(GuardedModelAdmin):
    list_display = ["municipality", "cohort", "status"]
    list_filter = ["cohort__lab", "status"]
    list_select_related = ["municipality", "cohort__lab"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # as an admission in the platform: group, tandem, mission profile
            services.participation_set_up(participation=obj)


@admin.register(LabMembership)
class LabMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "lab", "role"]
    list_filter = ["lab", "role"]
    list_select_related = ["user", "lab"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "lab", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["lab", "role"]
    readonly_fields = ["token_hash"]
    list_select_related = ["lab"]
