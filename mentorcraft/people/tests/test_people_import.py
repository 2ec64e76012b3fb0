"""Importing the organisation's record of people from CSV: all or nothing, every wrong row named,
a check that keeps nothing, and the imported line manager winning over a person's own pick."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from conftest import make_person
from mentorcraft.core.audit import history
from mentorcraft.core.pagination import PER_PAGE
from mentorcraft.people import imports
from mentorcraft.people.models import Department, PeopleImport, Profile, User

pytestmark = pytest.mark.django_db

URL = "/people/import/"
API = "/api/v1/people/import"
HEADER = "email,full name,job title,team,location,line manager email\n"


@pytest.fixture
def admin_user(db) -> User:  # noqa: ANN001
    user = make_person("root@example.org", "Rita Root")
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def staff(db) -> tuple[User, User, User]:  # noqa: ANN001
    ana = make_person("ana@example.org", "Ana P", job_title="Nurse", location="York")
    rosa = make_person("rosa@example.org", "Rosa Delgado", job_title="Ward manager")
    ben = make_person("ben@example.org", "Ben Okafor")
    return ana, rosa, ben


def profile(user: User) -> Profile:
    return Profile.objects.select_related("department").get(user=user)


def test_an_admin_checks_then_imports_and_the_record_wins(client, admin_user, staff):
    ana, rosa, ben = staff
    Profile.objects.filter(user=ana).update(line_manager=ben)  # Ana's own pick
    rows = (
        HEADER + "ANA@example.org,Ana Patel,Staff nurse,Nursing,,rosa@example.org\n"
        "rosa@example.org,,,Nursing,Leeds,\n"
    )
    client.force_login(admin_user)
    checked = client.post(URL, {"text": rows, "check": "1"})
    assert checked.status_code == 200
    assert "Checked: ready to import" in checked.text
    assert "2 people in the file: 2 would change" in checked.text
    assert "New team: Nursing." in checked.text
    assert "Import 2 people</button>" in checked.text
    # A check keeps nothing, and the rows come back in the box.
    assert profile(ana).full_name == "Ana P" and not Department.objects.filter(name="Nursing")
    assert "ANA@example.org,Ana Patel" in checked.text
    assert not PeopleImport.objects.exists()

    done = client.post(URL, {"text": rows, "import": "1"})
    assert done.status_code == 302
    page = client.get(URL).text
    assert "Imported: 2 of 2 people changed, 1 line manager put on record." in page
    ana_now = profile(ana)
    assert (ana_now.full_name, ana_now.job_title, ana_now.department.name) == (
        "Ana Patel",
        "Staff nurse",
        "Nursing",
    )
    assert ana_now.location == "York"  # a blank cell leaves what is there
    assert ana_now.org_manager == rosa and ana_now.line_manager == rosa
    assert ana_now.org_manager_set_by == admin_user
    assert profile(rosa).job_title == "Ward manager" and profile(rosa).location == "Leeds"
    record = PeopleImport.objects.get()
    assert (record.by, record.rows, record.changed, record.managers_set) == (admin_user, 2, 2, 1)
    assert "Rita Root" in page and "pasted rows" in page  # listed under earlier imports
    actions = [e.action for e in history(record)]
    assert actions == ["people.imported"]
    # The person can no longer pick another line manager on their profile.
    client.force_login(ana)
    assert 'name="line_manager"' not in client.get("/me/").text


def test_one_wrong_row_keeps_everything_as_it_was_and_names_each_line(client, admin_user, staff):
    ana, rosa, _ = staff
    rows = (
        HEADER + "ana@example.org,Ana Patel,,,,rosa@example.org\n"
        "nobody@example.org,No Body,,,,\n"
        "rosa@example.org,,,,,ghost@example.org\n"
        'ana@example.org,"Two\nlines",,,,\n'
        "not-an-address,,,,,\n"
        f"rosa@example.org,,{'x' * 121},,,\n"
    )
    client.force_login(admin_user)
    response = client.post(URL, {"text": rows, "import": "1"})
    assert response.status_code == 400
    assert response.text.count("<title>Error: ") == 1
    assert "Nothing was imported: 7 problems" in response.text
    found: dict[int, str] = {}
    for error in imports.people_import(text=rows, by=admin_user).errors:
        found[error.line] = f"{found.get(error.line, '')} {error.message}"
    assert "nobody@example.org: invite them first" in found[3]
    assert "ghost@example.org has no account" in found[4]
    assert "on line 2 already" in found[5] and "must be on one line" in found[5]
    assert "not an e-mail address" in found[7]  # the row above took two lines
    assert "121 characters; at most 120" in found[8] and "on line 4 already" in found[8]
    # Line 2 was fine, yet nothing of it was kept.
    assert profile(ana).full_name == "Ana P" and profile(ana).org_manager is None
    assert not PeopleImport.objects.exists()
    assert "nobody@example.org,No Body" in response.text  # the rows are not lost
    # Those without an account (a person and a line manager) can be invited from here.
    assert "Invite the 2 people with no account yet" in response.text
    link = re.search(r'href="(/invitations/\?emails=[^"]+)"', response.text).group(1)
    invite = client.get(html.unescape(link))
    assert invite.status_code == 200
    assert "nobody@example.org\nghost@example.org</textarea>" in invite.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Choose a CSV file, or paste the rows"),
        ("email\n", "has nobody in it"),
        ("name,job title\nAna,Nurse\n", "one of them must be “email”"),
        ("email,shoe size\nana@example.org,5\n", "“shoe size” is not a column"),
        ("email,e-mail\na@example.org,a@example.org\n", "appears twice"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(client, admin_user, staff, text, expected):
    client.force_login(admin_user)
    response = client.post(URL, {"text": text, "check": "1"})
    assert response.status_code == 400
    assert expected in response.text
    assert "<title>Error: Import people" in response.text


def test_a_loop_of_line_managers_is_refused(admin_user, staff):
    ana, rosa, _ = staff
    rows = HEADER + "ana@example.org,,,,,rosa@example.org\nrosa@example.org,,,,,ana@example.org\n"
    result = imports.people_import(text=rows, by=admin_user)
    assert not result.applied
    # Judged on the file's outcome: both rows of the loop are named.
    assert [e.line for e in result.errors] == [2, 3]
    assert "reports to Ana P in the end: a loop" in result.errors[0].message
    assert profile(ana).org_manager is None


def test_a_reorganisation_is_judged_on_its_outcome_not_its_row_order(admin_user, staff):
    ana, rosa, ben = staff
    Profile.objects.filter(user=ana).update(line_manager=rosa)  # today Rosa manages Ana
    # Rosa moves under Ana, and Ana under Ben: no loop once both rows are in, in either order.
    for rows in (
        HEADER + "rosa@example.org,,,,,ana@example.org\nana@example.org,,,,,ben@example.org\n",
        HEADER + "ana@example.org,,,,,ben@example.org\nrosa@example.org,,,,,ana@example.org\n",
    ):
        result = imports.people_import(text=rows, by=admin_user, check_only=True)
        assert result.errors == [], result.errors


def test_a_cell_with_no_column_is_a_row_error_not_a_shift(admin_user, staff):
    rows = "email,full name,job title\nana@example.org,Patel, Ana,Nurse\n"
    result = imports.people_import(text=rows, by=admin_user)
    assert not result.applied and [e.line for e in result.errors] == [2]
    assert "Cell 4 (“Nurse”) is past the last column" in result.errors[0].message
    assert profile(staff[0]).job_title == "Nurse"  # nothing moved into the wrong field
    blank = imports.people_import(text="email,,job title\nana@example.org,x,Nurse\n", by=None)
    assert "Cell 2 (“x”) is under no column" in blank.errors[0].message


def test_windows_and_old_mac_line_ends_read_the_same(admin_user, staff):
    for end in ("\r\n", "\r"):
        rows = end.join(["email,job title", "ana@example.org,Matron", ""])
        result = imports.people_import(text=rows, by=admin_user, check_only=True)
        assert result.errors == [] and result.rows == 1 and result.changed == 1


def test_each_changed_record_is_in_the_audit_log_by_field(admin_user, staff):
    ana = staff[0]
    imports.people_import(text=HEADER + "ana@example.org,Ana Patel,,Nursing,,\n", by=admin_user)
    entries = [e for e in history(ana) if e.action == "people.record_imported"]
    assert [e.detail for e in entries] == ["from an import: name, team"]
    assert entries[0].actor == admin_user


def test_a_checked_files_name_goes_when_its_rows_are_edited(client, admin_user, staff):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("hr.csv", b"email,job title\nana@example.org,Matron\n")
    checked = client.post(URL, {"file": upload, "check": "1"})
    digest = re.search(r'name="file_digest" value="([0-9a-f]+)"', checked.text).group(1)
    assert 'name="file_name" value="hr.csv"' in checked.text
    # The browser sends the box back with CRLF: still the file's rows.
    same = "email,job title\r\nana@example.org,Matron\r\n"
    client.post(URL, {"text": same, "file_name": "hr.csv", "file_digest": digest, "import": "1"})
    assert PeopleImport.objects.get().file_name == "hr.csv"
    edited = "email,job title\nana@example.org,Sister\n"
    client.post(URL, {"text": edited, "file_name": "hr.csv", "file_digest": digest, "import": "1"})
    assert PeopleImport.objects.order_by("-pk").first().file_name == ""


def test_an_uploaded_file_semicolons_and_a_byte_order_mark(client, admin_user, staff):
    ana, rosa, _ = staff
    data = "\ufeffEmail;Full name;Team\nana@example.org;Ana Patel;Theatres\n".encode()
    client.force_login(admin_user)
    upload = SimpleUploadedFile("hr-export.csv", data, content_type="text/csv")
    assert client.post(URL, {"file": upload, "import": "1"}).status_code == 302
    assert profile(ana).department.name == "Theatres"
    assert PeopleImport.objects.get().file_name == "hr-export.csv"
    latin = SimpleUploadedFile("old.csv", "email,full name\na@x.org,Jos\xe9\n".encode("latin-1"))
    refused = client.post(URL, {"file": latin, "check": "1"})
    assert refused.status_code == 400 and "save it as “CSV UTF-8" in refused.text


def test_a_semicolon_inside_a_quoted_cell_does_not_hide_the_separator(admin_user, staff):
    rows = 'email;job title\nana@example.org;"Ward sister; Leeds"\n'
    result = imports.people_import(text=rows, by=admin_user)
    assert result.errors == [] and result.applied
    assert profile(staff[0]).job_title == "Ward sister; Leeds"


def test_a_file_and_pasted_rows_together_are_refused_and_the_rows_kept(client, admin_user, staff):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("a.csv", b"email,full name\nana@example.org,From File\n")
    pasted = "email,full name\nana@example.org,From Box\n"
    response = client.post(URL, {"file": upload, "text": pasted, "import": "1"})
    assert response.status_code == 400
    assert "You chose a file and pasted rows too" in response.text
    assert "ana@example.org,From Box" in response.text
    assert profile(staff[0]).full_name == "Ana P"


def test_importing_the_same_file_again_changes_nothing(admin_user, staff):
    rows = HEADER + "ana@example.org,Ana Patel,Nurse,Nursing,York,rosa@example.org\n"
    first = imports.people_import(text=rows, by=admin_user)
    again = imports.people_import(text=rows, by=admin_user)
    assert (first.changed, first.managers_set) == (1, 1)
    assert (again.applied, again.changed, again.unchanged, again.managers_set) == (True, 0, 1, 0)
    assert Department.objects.filter(name__iexact="nursing").count() == 1


def test_an_erased_person_cannot_be_imported(admin_user, staff):
    from mentorcraft.people.privacy import person_erase

    ben = staff[2]
    person_erase(person=ben, by=admin_user)
    ben.refresh_from_db()
    result = imports.people_import(
        text=HEADER + f"{ben.email},Ben Again,,,,\nana@example.org,,,,,{ben.email}\n",
        by=admin_user,
    )
    assert not result.applied and [e.line for e in result.errors] == [2, 3]
    assert "no longer active (or was erased)" in result.errors[0].message
    assert profile(ben).full_name != "Ben Again"


def test_an_erased_or_deactivated_person_cannot_be_imported(admin_user, staff):
    ana, rosa, _ = staff
    User.objects.filter(pk=rosa.pk).update(is_active=False)
    result = imports.people_import(
        text=HEADER + "rosa@example.org,Rosa D,,,,\nana@example.org,,,,,rosa@example.org\n",
        by=admin_user,
    )
    messages = " ".join(e.message for e in result.errors)
    assert "rosa@example.org is no longer active" in messages
    assert "is no longer active" in result.errors[-1].message
    assert not result.applied


@pytest.mark.parametrize("who", ["alice", "mark", "olive", "staff_only"])
def test_only_administrators_import(client, request, staff, who):
    if who == "staff_only":  # may use the admin, is not a superuser
        person = make_person("desk@example.org", "Desk Staff")
        User.objects.filter(pk=person.pk).update(is_staff=True)
    else:
        person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(URL).status_code == 403
    rows = HEADER + "ana@example.org,Ana Patel,,,,\n"
    assert client.post(URL, {"text": rows, "import": "1"}).status_code == 403
    response = client.post(API, {"csv": rows}, content_type="application/json")
    assert response.status_code == 403
    assert profile(staff[0]).full_name == "Ana P"
    assert "Import people" not in client.get("/").text


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_nav_offers_the_import_to_administrators(client, admin_user):
    client.force_login(admin_user)
    assert f'href="{URL}"' in client.get("/").text


def test_the_api_checks_imports_and_refuses_with_every_row(client, admin_user, staff):
    ana, rosa, _ = staff
    client.force_login(admin_user)
    good = HEADER + "ana@example.org,Ana Patel,,,,rosa@example.org\n"
    checked = client.post(API, {"csv": good, "check_only": True}, content_type="application/json")
    assert checked.status_code == 200
    assert checked.json() == {
        "applied": False,
        "rows": 1,
        "changed": 1,
        "unchanged": 0,
        "managers_set": 1,
        "new_teams": [],
    }
    assert profile(ana).full_name == "Ana P"
    bad = good + "ghost@example.org,,,,,\n"
    refused = client.post(API, {"csv": bad}, content_type="application/json")
    assert refused.status_code == 422
    problems = refused.json()["detail"]
    assert [(e["line"], e["loc"], e["type"]) for e in problems] == [
        (3, ["body", "payload", "csv"], "import_row")
    ]
    assert "invite them first" in problems[0]["msg"]
    assert profile(ana).full_name == "Ana P"
    done = client.post(API, {"csv": good, "file_name": "feed.csv"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["applied"] is True
    assert profile(ana).org_manager == rosa


def test_the_command_imports_checks_and_refuses(tmp_path, staff, capsys):
    ana, rosa, _ = staff
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "ana@example.org,Ana Patel,,,,rosa@example.org\n", encoding="utf-8")
    call_command("import_people", str(path), "--check")
    assert "Checked (nothing kept): 1 rows, 1 people changed" in capsys.readouterr().out
    assert profile(ana).full_name == "Ana P"
    call_command("import_people", str(path))
    assert profile(ana).full_name == "Ana Patel"
    record = PeopleImport.objects.get()
    assert record.by is None and record.file_name == "people.csv"
    assert profile(ana).org_manager_set_by is None  # an import, not a person
    path.write_text(HEADER + "ghost@example.org,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_people", str(path))
    assert "line 2: Nobody in Mentorcraft has the address" in capsys.readouterr().err
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_people", str(tmp_path / "missing.csv"))


def test_a_method_the_api_path_does_not_take_is_a_json_405(client, admin_user):
    client.force_login(admin_user)
    response = client.get(API)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"detail": "This address does not take GET; it takes POST."}


def test_earlier_imports_are_listed_a_page_at_a_time(client, admin_user):
    for n in range(PER_PAGE + 5):
        PeopleImport.objects.create(by=admin_user, file_name=f"feed-{n:02}.csv", rows=1)
    client.force_login(admin_user)
    first = client.get(URL).text
    assert f"feed-{PER_PAGE + 4:02}.csv" in first and "feed-00.csv" not in first  # newest first
    last = client.get(URL, {"page": "999"}).text  # past the end: the last page
    assert "feed-00.csv" in last
