"""The bell in the admin header: unread notifications, one query per page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from desk.notifications import can_read_the_desk, unread_count

register = template.Library()

# Drawn, not an emoji: the admin's fonts may have no bell glyph.
BELL = mark_safe(
    '<svg class="desk-bell-icon" aria-hidden="true" focusable="false" width="14" height="14" '
    'viewBox="0 0 24 24" fill="currentColor"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 '
    '0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18'
    'v-1l-2-2z"/></svg>')


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
    label = f"Notifications: {count} unread"  # names the number shown (WCAG 2.5.3)
    return format_html(
        '<a href="{}" class="desk-bell{}" id="desk-bell" aria-label="{}" title="{}">'
        '{} <span class="desk-bell-count" aria-hidden="true">{}'
        '</span></a> / ', url, " desk-bell-unread" if count else "", label, label, BELL, count)
