"""The library's uploads: limited in kind (by the name's extension and by the content) and in
size; refused with a clear error that keeps what was typed; sent only to members."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorcraft.communities import services
from mentorcraft.communities.models import Resource

from .conftest import PDF

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("guide.pdf", PDF, "application/pdf"),
        ("Template.DOCX", docx(), "wordprocessingml"),
        ("notes.txt", "Écouter d'abord.\n".encode(), "text/plain"),
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/msword"),
    ],
)
def test_allowed_kinds_are_taken_and_sent_back_as_attachments(
    client, community, mark, name, content, kind
):
    resource = services.resource_add(
        community=community, by=mark, title="A file", kind="guide", upload=upload(name, content)
    )
    assert kind in resource.content_type and resource.file_size == len(content)
    assert resource.file.name.startswith(f"communities/{community.pk}/")
    assert name not in resource.file.name  # stored under a name of our own
    client.force_login(mark)
    response = client.get(reverse("communities:resource_download", args=[resource.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert kind in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("run.exe", b"MZ\x90\x00", "not a kind of file the library takes"),
        ("page.html", b"<script>alert(1)</script>", "not a kind of file the library takes"),
        ("picture.svg", b"<svg onload='x'/>", "not a kind of file the library takes"),
        ("guide.pdf", b"<html>not a pdf</html>", "named as a PDF but its content is not one"),
        ("fake.docx", PDF, "named as a Word document but its content is not one"),
        ("zip.docx", b"PK\x03\x04garbage", "named as a Word document"),
        ("binary.txt", b"text\x00\x01\x02", "named as a text file but its content is not one"),
        ("latin.csv", "café".encode("latin-1"), "named as a CSV file"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_wrong_kinds_are_refused_by_name_or_by_content(community, mark, name, content, says):
    with pytest.raises(ValidationError) as caught:
        services.resource_add(
            community=community, by=mark, title="A file", kind="guide", upload=upload(name, content)
        )
    assert says in " ".join(caught.value.message_dict["file"])
    assert not Resource.objects.exists()


def test_an_oversize_file_gets_a_clear_error_that_keeps_what_was_typed(
    client, community, mark, settings, topics
):
    settings.COMMUNITY_UPLOAD_MAX_BYTES = 1024
    client.force_login(mark)
    url = reverse("communities:resource_create", args=[community.pk])
    response = client.post(
        url,
        {
            "title": "Our agreement template",
            "kind": "template",
            "description": "The one we use in the first meeting.",
            "topics": [topics[0].pk],
            "file": upload("big.pdf", PDF + b"0" * 2048),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "“big.pdf” is 2 KB; the library takes files of up to 1 KB." in page
    assert 'value="Our agreement template"' in page
    assert "The one we use in the first meeting." in page
    assert re.search(rf'value="{topics[0].pk}" id="id_topics_\d+" checked', page)
    assert "Choose the file again" in page
    wrong = client.post(
        url, {"title": "Script", "kind": "other", "file": upload("x.js", b"alert(1)")}
    )
    assert (
        wrong.status_code == 400
        and "not a kind of file the library takes" in wrong.content.decode()
    )
    assert not Resource.objects.exists()


def test_the_api_takes_the_same_files_and_refuses_the_same(client, community, mark, settings):
    client.force_login(mark)
    url = f"{API}/{community.pk}/resources"
    ok = client.post(url, {"title": "Guide", "kind": "guide", "file": upload("g.pdf", PDF)})
    assert ok.status_code == 201, ok.content
    made = ok.json()
    assert made["file_name"] == "g.pdf" and made["download"].endswith("/download")
    download = client.get(made["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    fake = client.post(url, {"title": "Fake", "kind": "guide", "file": upload("f.pdf", b"MZ")})
    assert fake.status_code == 400 and "content is not one" in str(fake.json()["detail"])
    settings.COMMUNITY_UPLOAD_MAX_BYTES = 10
    big = client.post(url, {"title": "Big", "kind": "guide", "file": upload("b.pdf", PDF)})
    assert big.status_code == 400 and "takes files of up to" in str(big.json()["detail"])
    both = client.post(
        url, {"title": "Both", "url": "https://example.org", "file": upload("g.pdf", PDF)}
    )
    assert both.status_code == 400
    link = client.post(url, {"title": "A link", "kind": "article", "url": "https://example.org/a"})
    assert link.status_code == 201 and link.json()["download"] is None
    neither = client.post(url, {"title": "Nothing", "kind": "article"})
    assert neither.status_code == 400
    assert client.post(url, {"title": "Bad", "url": "javascript:alert(1)"}).status_code == 400


def test_removing_a_file_takes_it_out_of_storage(
    client, community, mark, django_capture_on_commit_callbacks
):
    resource = services.resource_add(
        community=community, by=mark, title="Gone", kind="guide", upload=upload("g.pdf", PDF)
    )
    storage, name = resource.file.storage, resource.file.name
    assert storage.exists(name)
    client.force_login(mark)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("communities:resource_remove", args=[resource.pk]))
    assert response.status_code == 302 and not storage.exists(name)
    assert (
        client.get(reverse("communities:resource_download", args=[resource.pk])).status_code == 404
    )


def test_a_file_over_the_ceiling_is_refused_as_it_arrives_on_the_page_and_the_api(
    client, settings, community, mark
):
    """UPLOAD_MAX_BYTES (core/uploads.py) stops a request with a file before it is stored:
    a page says so with a 413 page, the API with a 413 that says the limit; nothing is saved."""
    settings.UPLOAD_MAX_BYTES = 4096
    client.force_login(mark)
    big = upload("huge.pdf", PDF + b"\x00" * 10_000)
    page = client.post(
        reverse("communities:resource_create", args=[community.pk]),
        {"title": "Too big", "kind": "guide", "file": big},
        headers={"referer": f"http://testserver/communities/{community.pk}/resources/new/"},
    )
    assert page.status_code == 413
    assert "The upload is larger than 4 KB." in page.text
    assert "That was too large to send" in page.text and "Nothing was saved." in page.text
    assert f'href="http://testserver/communities/{community.pk}/resources/new/"' in page.text
    big.seek(0)
    api = client.post(
        f"{API}/{community.pk}/resources", {"title": "Too big", "kind": "guide", "file": big}
    )
    assert api.status_code == 413
    assert api.json()["detail"][0]["msg"].startswith("The upload is larger than")
    assert not Resource.objects.exists()
    # Under the ceiling, the library's own (smaller) limit still speaks in the form.
    settings.UPLOAD_MAX_BYTES = 10 * 2**20
    settings.COMMUNITY_UPLOAD_MAX_BYTES = 1024
    small = client.post(
        reverse("communities:resource_create", args=[community.pk]),
        {"title": "Still too big", "kind": "guide", "file": upload("b.pdf", PDF + b"\x00" * 2000)},
    )
    assert small.status_code == 400 and "the library takes files of up to" in small.text


def test_the_ceiling_also_stops_a_body_whose_length_was_not_declared(settings):
    from django.core.exceptions import RequestDataTooBig

    from mentorcraft.core.uploads import UploadSizeLimit

    settings.UPLOAD_MAX_BYTES = 100
    handler = UploadSizeLimit()
    handler.handle_raw_input(None, {}, 0, b"x")  # no length said
    assert handler.receive_data_chunk(b"a" * 60, 0) == b"a" * 60
    with pytest.raises(RequestDataTooBig, match="larger than"):
        handler.receive_data_chunk(b"a" * 60, 60)
    with pytest.raises(RequestDataTooBig):
        UploadSizeLimit().handle_raw_input(None, {}, 101, b"x")


def test_an_upload_cut_off_by_the_sender_is_left_to_the_usual_checks(rf):
    """A phone that loses its signal mid-upload: the early read of the form does not turn that
    into a server error; the request goes on to the CSRF check as before."""
    from django.http import HttpResponse, UnreadablePostError

    from mentorcraft.core.middleware import UploadTooLargeMiddleware

    request = rf.post("/communities/1/resources/new/", {"title": "x"})

    def cut_off() -> None:
        raise UnreadablePostError("the client went away")

    request._load_post_and_files = cut_off
    answer = UploadTooLargeMiddleware(lambda r: HttpResponse("went on"))(request)
    assert answer.status_code == 200 and answer.content == b"went on"
