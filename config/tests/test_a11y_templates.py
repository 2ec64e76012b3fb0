"""Accessibility held without a browser: the shared form templates, the page title on errors,
and the contrast of the focus ring and field borders in the style sheet."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

CSS = Path(__file__).resolve().parents[2] / "mentorcraft" / "static" / "css" / "mentorcraft.css"


class Elements(HTMLParser):
    """Every element's attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def parse(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.elements


class SampleForm(forms.Form):
    title = forms.CharField(help_text="A few words.")
    level = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one."
    )
    agree = forms.BooleanField()
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict:
        raise forms.ValidationError("Something about the whole form.")


def test_every_aria_describedby_points_at_an_element_the_form_renders():
    form = SampleForm(data={})
    assert not form.is_valid()
    elements = parse(render_to_string("_form.html", {"form": form}))
    ids = [attrs["id"] for _, attrs in elements if "id" in attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    described = [attrs["aria-describedby"] for _, attrs in elements if "aria-describedby" in attrs]
    assert "id_title_helptext id_title_error" in described
    assert "id_level_helptext id_level_error" in described  # on the radio group's fieldset
    assert "id_agree_error" in described
    for value in described:
        for target in value.split():
            assert target in ids, f"aria-describedby points at a missing #{target}"


def test_the_error_summary_links_to_each_field_with_an_error():
    form = SampleForm(data={})
    form.is_valid()
    html = render_to_string("_form.html", {"form": form})
    summary = html[html.index("error-summary") : html.index("</div>")]
    assert "Something about the whole form." in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == ["id_title", "id_level_0", "id_agree"]
    ids = {attrs.get("id") for _, attrs in parse(html)}
    assert set(links) <= ids
    # The hidden field's error is listed, with nothing to link to.
    assert "Token:" not in summary
    assert summary.count("<li>") == 5  # the form's, three linked fields', the hidden field's


def test_a_valid_or_unbound_form_has_no_summary():
    assert "error-summary" not in render_to_string("_form.html", {"form": SampleForm()})


@pytest.mark.django_db
def test_the_page_title_starts_with_error_when_a_form_has_errors(client, mentorship):
    client.force_login(mentorship.mentor)
    url = reverse("mentorships:meeting_new", args=[mentorship.pk])
    page = client.get(url).content.decode()
    assert "<title>Error: " not in page
    page = client.post(url, {"duration_minutes": "1"}).content.decode()
    assert "<title>Error: " in page
    assert 'class="form-errors error-summary"' in page


def custom_properties() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS.read_text(encoding="utf-8")).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#f5b400", "#ffffff") == pytest.approx(1.84, abs=0.01)  # the old focus ring


def test_focus_ring_and_field_borders_stand_out_at_least_3_to_1():
    props = custom_properties()
    for name in ("--focus", "--field-border"):
        for background in ("#ffffff", props["--bg"]):
            assert contrast(props[name], background) >= 3, (name, background)
    # In the dark header the ring is light.
    assert contrast(props["--focus-on-dark"], props["--brand"]) >= 3
    css = CSS.read_text(encoding="utf-8")
    assert ":focus-visible { outline: 3px solid var(--focus)" in css
    assert "border: 1px solid var(--field-border)" in css
