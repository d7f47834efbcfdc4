"""Legal review in-process (real Django, real database, the admin and the review pages):
edits are drafts, publishing refuses them by name, reviewers approve or return, four eyes,
stale versions refused, the reviewed date and history recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

MEDIATION = "flows/mediation.yaml"


@pytest.fixture(scope="module")
def _demo_once(django_db: None) -> Iterator[dict[str, str]]:
    """The demo content once per module (importing it takes seconds), rolled back at the end."""
    from django.db import transaction

    from central.demo import ensure_demo

    with transaction.atomic():
        yield ensure_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once: dict[str, str]) -> Iterator[dict[str, str]]:
    """Each test in a savepoint inside the module's transaction, rolled back after it."""
    from django.db import transaction

    with transaction.atomic():
        yield _demo_once
        transaction.set_rollback(True)


def _user(name: str, group: str) -> Client:
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(name, password="a-long-password-7", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(demo: dict[str, str]) -> Client:
    return _user("ed", "Content editors")


@pytest.fixture
def reviewer(demo: dict[str, str]) -> Client:
    return _user("lawyer", "Legal reviewers")


def _edit(client: Client, flow_id: str, change: tuple[str, str]) -> None:
    """Save a changed flow through the admin, as an editor does (inside a reversion revision)."""
    from central.publishing.models import Flow

    flow = Flow.objects.get(flow_id=flow_id)
    assert change[0] in flow.text
    response = client.post(f"/admin/publishing/flow/{flow.pk}/change/",
                           {"flow_id": flow_id, "text": flow.text.replace(*change, 1)})
    assert response.status_code == 302, response.content.decode()[-2000:]


def _orm_edit(username: str, flow_id: str, change: tuple[str, str]) -> None:
    """Save a changed flow as the editor's store does: through the ORM inside a revision."""
    import reversion
    from django.contrib.auth.models import User

    from central.publishing.models import Flow

    flow = Flow.objects.get(flow_id=flow_id)
    assert change[0] in flow.text
    with reversion.create_revision():
        reversion.set_user(User.objects.get(username=username))
        flow.text = flow.text.replace(*change, 1)
        flow.save()


def _seen(client: Client, path: str) -> str:
    page = client.get(f"/staff/review/{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    found = re.search(r'name="seen" value="([0-9a-f]{64})"', page.content.decode())
    assert found, "the decision form carries the hash of the text shown"
    return found.group(1)


def test_shipped_content_is_approved_by_the_system(demo: dict[str, str]) -> None:
    from central.publishing.models import Flow
    from central.review.gate import unapproved
    from central.review.models import Decision
    from central.review.state import reviewed_on

    assert unapproved() == []
    first = Decision.objects.get(path=MEDIATION)
    assert first.system == "shipped" and first.reviewer is None and first.decision == "approved"
    assert first.decided_at.date() == reviewed_on(Flow.objects.get(flow_id="mediation").text)


def test_publish_refuses_an_unapproved_edit_by_name_then_publishes_after_approval(
        editor: Client, reviewer: Client) -> None:
    from django.utils import timezone

    from central.publishing.content import ContentInvalid
    from central.publishing.models import Flow
    from central.publishing.publish import publish_current

    _edit(editor, "mediation", ("这件事调解过吗？", "这件纠纷以前调解过吗？"))
    with pytest.raises(ContentInvalid) as refused, translation.override("en"):
        publish_current()
    (problem,) = refused.value.problems
    assert problem.file == MEDIATION and "changed by ed " in problem.message, problem.message

    # The admin's publish button says the same, in the staff member's language.
    from django.contrib.auth.models import User
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    shown = admin.post("/admin/publishing/publication/publish/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    notes = [str(m) for m in shown.context["messages"]]
    assert any(MEDIATION in n and "ed" in n for n in notes), notes

    page = reviewer.get(f"/staff/review/{MEDIATION}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<del>事</del>" in page and "<ins>纠纷以前</ins>" in page, "the change, highlighted by character"
    done = reviewer.post(f"/staff/review/{MEDIATION}", {"seen": _seen(reviewer, MEDIATION), "decision": "approved",
                                                       "comment": "wording checked"})
    assert done.status_code == 302
    flow = Flow.objects.get(flow_id="mediation")
    assert f"\nreviewed: {timezone.localdate().isoformat()}\n" in flow.text and "这件纠纷以前调解过吗？" in flow.text
    import reversion.models
    newest = reversion.models.Version.objects.get_for_object(flow).first()
    assert newest.revision.user.username == "lawyer" and "wording checked" in newest.revision.get_comment()
    publication = publish_current()
    assert MEDIATION in publication.changed
    history = reviewer.get(f"/staff/review/{MEDIATION}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "wording checked" in history and ">ed<" in history and ">lawyer<" in history


def test_a_version_changed_since_the_reviewer_looked_is_refused(editor: Client, reviewer: Client) -> None:
    from central.review.gate import unapproved
    from central.review.models import Decision

    _edit(editor, "mediation", ("这件事调解过吗？", "这件纠纷调解过吗？"))
    seen = _seen(reviewer, MEDIATION)
    _edit(editor, "mediation", ("这件纠纷调解过吗？", "这件纠纷以前调解过吗？"))
    stale = reviewer.post(f"/staff/review/{MEDIATION}", {"seen": seen, "decision": "approved", "comment": ""},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 409
    assert "was changed after you opened it" in stale.content.decode()
    assert "纠纷以前" in stale.content.decode(), "the page shows what is there now"
    assert not Decision.objects.filter(path=MEDIATION, reviewer__username="lawyer").exists()
    assert [p.path for p in unapproved()] == [MEDIATION]


def test_an_editor_cannot_approve_their_own_change(demo: dict[str, str]) -> None:
    from django.contrib.auth.models import Group, User

    both = _user("ed2", "Content editors")
    User.objects.get(username="ed2").groups.add(Group.objects.get(name="Legal reviewers"))
    _edit(both, "mediation", ("这件事调解过吗？", "这件纠纷以前调解过吗？"))
    refused = both.post(f"/staff/review/{MEDIATION}", {"seen": _seen(both, MEDIATION), "decision": "approved",
                                                      "comment": "mine"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 409
    assert "四眼" in refused.content.decode() or "另一位" in refused.content.decode()


def test_return_needs_a_comment_and_keeps_the_flow_unpublishable(editor: Client, reviewer: Client) -> None:
    from central.publishing.content import ContentInvalid
    from central.publishing.publish import publish_current

    _orm_edit("ed", "mediation", ("goto: o_apply", "goto: o_refused"))
    seen = _seen(reviewer, MEDIATION)
    empty = reviewer.post(f"/staff/review/{MEDIATION}", {"seen": seen, "decision": "returned", "comment": " "},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 409 and "Say in the comment" in empty.content.decode()
    page = reviewer.get(f"/staff/review/{MEDIATION}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "used to go to" in page and "(o_apply)" in page and "(o_refused)" in page
    done = reviewer.post(f"/staff/review/{MEDIATION}", {"seen": seen, "decision": "returned",
                                                       "comment": "Willing people must be sent to mediation."})
    assert done.status_code == 302
    with pytest.raises(ContentInvalid) as refused, translation.override("en"):
        publish_current()
    assert "returned" in refused.value.problems[0].message
    listing = reviewer.get("/staff/review/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert MEDIATION in listing and "Willing people must be sent to mediation." in listing


def test_only_legal_reviewers_decide(editor: Client) -> None:
    _edit(editor, "mediation", ("这件事调解过吗？", "这件纠纷以前调解过吗？"))
    page = editor.get(f"/staff/review/{MEDIATION}").content.decode()
    assert 'name="seen"' not in page, "an editor sees the diff, not the decision form"
    forbidden = editor.post(f"/staff/review/{MEDIATION}", {"seen": "x", "decision": "approved"})
    assert forbidden.status_code == 403
    assert Client().get("/staff/review/").status_code == 302, "login first"


def test_a_changed_pack_file_is_held_too(reviewer: Client) -> None:
    from central.publishing.models import PackFile
    from central.review.gate import unapproved

    extra = PackFile.objects.first()
    if extra is None:
        pytest.skip("the shipped pack has no application kinds or forms")
    extra.text += "\n# changed\n"
    extra.save()
    assert [p.path for p in unapproved()] == [extra.path]
    page = reviewer.get(f"/staff/review/{extra.path}").content.decode()
    assert "\n+# changed\n" in page, "a pack file shows its changed lines"
    done = reviewer.post(f"/staff/review/{extra.path}", {"seen": _seen(reviewer, extra.path),
                                                         "decision": "approved", "comment": ""})
    assert done.status_code == 302 and unapproved() == []
    assert PackFile.objects.get(pk=extra.pk).text == extra.text, "only flows get a reviewed: date"


def test_a_save_from_the_flow_editor_is_a_draft_until_a_reviewer_approves_it(demo: dict[str, str]) -> None:
    """The seam between the two apps: central.editing's save is what the review sees."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from central.editing.store import current_token, save_flow_text
    from central.publishing.models import Flow
    from central.review.decide import ReviewRefused, decide
    from central.review.gate import refuse_unapproved, unapproved
    from central.review.state import reviewed_on, text_hash

    ed = User.objects.create_user("form-editor", password="a-long-password-7", is_staff=True)
    ed.groups.add(Group.objects.get(name="Content editors"))
    lawyer = User.objects.create_user("form-lawyer", password="a-long-password-7", is_staff=True)
    lawyer.groups.add(Group.objects.get(name="Legal reviewers"))
    text = Flow.objects.get(flow_id="mediation").text
    assert "人民调解" in text
    save_flow_text("mediation", text.replace("人民调解", "人民调解（村里的调解）", 1), ed,
                   current_token("mediation"))
    waiting = unapproved()
    assert [w.path for w in waiting] == [MEDIATION]
    from central.publishing.content import ContentInvalid

    with pytest.raises(ContentInvalid) as refused:
        refuse_unapproved()
    assert any(p.file == MEDIATION and "form-editor" in p.message for p in refused.value.problems)
    saved = Flow.objects.get(flow_id="mediation").text
    with pytest.raises(ReviewRefused):  # four eyes: the editor cannot approve their own change
        decide(MEDIATION, ed, text_hash(saved), "approved", "")
    decide(MEDIATION, lawyer, text_hash(saved), "approved", "checked against 人民调解法")
    refuse_unapproved()  # nothing waits
    approved = Flow.objects.get(flow_id="mediation").text
    assert "人民调解（村里的调解）" in approved
    assert reviewed_on(approved) == timezone.localdate()
