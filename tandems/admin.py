from django.contrib import admin

from .models import Tandem, TandemMember


class TandemMemberInline(admin.TabularInline):
    model = TandemMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Tandem)
class TandemAdmin(admin.ModelAdmin):
    inlines = [TandemMemberInline]
    list_select_related = ["participation__municipality", "participation__cohort__lab"]
