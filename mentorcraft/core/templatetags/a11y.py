"""Template helpers for accessibility that every page shares."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """ "Error: " when a form the view handed to the page came back with errors, so the page
    title says so before anything else (WCAG 3.3.1)."""
    for value in context.flatten().values():
        # Only forms already validated by the view: a page never validates a form itself.
        if isinstance(value, BaseForm) and value.is_bound and value._errors:
            return "Error: "
        formset = isinstance(value, BaseFormSet) and value.is_bound and value._errors is not None
        if formset and value.total_error_count():
            return "Error: "
    return ""
