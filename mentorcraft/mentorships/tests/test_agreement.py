from __future__ import annotations

import pytest
from django.urls import reverse

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import AgreementVersion
from mentorcraft.mentorships.selectors import agreement_state
from mentorcraft.mentorships.services import agreement_propose, agreement_sign

pytestmark = pytest.mark.django_db


def test_in_force_when_both_signed_the_same_version(mentorship, mark, meg):
    v1 = agreement_propose(mentorship=mentorship, by=mark, text="Monthly, online.")
    assert agreement_state(mentorship)["in_force"] is None
    agreement_sign(version=v1, by=meg)
    assert agreement_state(mentorship)["in_force"] == v1


def test_a_change_after_signing_needs_both_to_sign_again(mentorship, mark, meg):
    v1 = agreement_propose(mentorship=mentorship, by=mark, text="Monthly, online.")
    agreement_sign(version=v1, by=meg)
    v2 = agreement_propose(mentorship=mentorship, by=meg, text="Fortnightly, in person.")
    state = agreement_state(mentorship)
    assert state["latest"] == v2 and state["in_force"] == v1  # the signed one still holds
    with pytest.raises(TransitionError, match="newer version was proposed"):
        agreement_sign(version=v1, by=mark)
    agreement_sign(version=v2, by=mark)
    assert agreement_state(mentorship)["in_force"] == v2
    assert AgreementVersion.objects.filter(mentorship=mentorship).count() == 2  # history kept


def propose_url(mentorship) -> str:  # noqa: ANN001
    return reverse("mentorships:agreement_propose", args=[mentorship.pk])


def sign_url(mentorship) -> str:  # noqa: ANN001
    return reverse("mentorships:agreement_sign", args=[mentorship.pk])


def test_the_pair_agrees_on_the_page(client, mentorship, mark, meg):
    client.force_login(mark)
    page = client.get(mentorship.get_absolute_url())
    assert "Confidentiality" in page.text  # starts from the template
    client.post(propose_url(mentorship), {"text": "Our own rules."})
    client.force_login(meg)
    response = client.post(sign_url(mentorship), {"version": "1"}, follow=True)
    assert "In force" in response.text and "Our own rules." in response.text


def test_signing_signs_the_version_read_not_one_proposed_meanwhile(client, mentorship, mark, meg):
    agreement_propose(mentorship=mentorship, by=mark, text="Version one.")
    client.force_login(meg)
    assert 'name="version" value="1"' in client.get(mentorship.get_absolute_url()).text
    agreement_propose(mentorship=mentorship, by=mark, text="Version two, slipped in.")
    response = client.post(sign_url(mentorship), {"version": "1"})
    assert response.status_code == 400 and "newer version" in response.text
    assert "Version two, slipped in." in response.text  # the form still shows the latest text
    assert agreement_state(mentorship)["in_force"] is None


def test_a_closed_mentorships_agreement_is_not_signed(mentorship, mark, meg):
    from mentorcraft.mentorships.services import closure_start

    v1 = agreement_propose(mentorship=mentorship, by=mark, text="Monthly.")
    closure_start(mentorship=mentorship, by=mark, kind="early", reason="Moved.")
    v1.mentorship.refresh_from_db()
    with pytest.raises(TransitionError, match="closed"):
        agreement_sign(version=v1, by=meg)


def test_an_empty_agreement_is_refused_and_nothing_is_saved(client, mentorship, mark):
    client.force_login(mark)
    response = client.post(propose_url(mentorship), {"text": "  "})
    assert response.status_code == 400
    assert "Write the agreement" in response.text
    assert not AgreementVersion.objects.exists()


def test_coordinators_see_whether_it_is_in_force_but_not_the_text(
    client, mentorship, mark, meg, alice
):
    v1 = agreement_propose(mentorship=mentorship, by=mark, text="Secret wording.")
    agreement_sign(version=v1, by=meg)
    client.force_login(alice)
    page = client.get(mentorship.get_absolute_url())
    assert "In force" in page.text and "Secret wording." not in page.text
    response = client.post(propose_url(mentorship), {"text": "Mine"})
    assert response.status_code == 403


@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("cora", 403)])
def test_others_cannot_write_the_agreement(client, request, mentorship, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(propose_url(mentorship), {"text": "X"})
    assert response.status_code == status
    assert not AgreementVersion.objects.exists()


def test_the_unknown_pair_page_is_404(client, mark):
    client.force_login(mark)
    assert client.get(reverse("mentorships:detail", args=[424242])).status_code == 404
