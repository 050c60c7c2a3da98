"""The bell in the admin header: unread notifications, one query per page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from desk.notifications import can_read_the_desk, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not can_read_the_desk(user):
        return ""
    count = unread_count(user)
    url = reverse("admin:desk_notification_changelist")
    if count:
        url += "?unread=1"
    label = f"Notifications: {count} unread" if count else "Notifications: none unread"
    return format_html(
        '<a href="{}" class="desk-bell{}" id="desk-bell" aria-label="{}" title="{}">'
        '<span aria-hidden="true">🔔</span> <span class="desk-bell-count" aria-hidden="true">{}'
        '</span></a> / ', url, " desk-bell-unread" if count else "", label, label, count)
