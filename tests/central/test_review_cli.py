"""`central publish` against PostgreSQL (SQLite is covered in-process and in the browser test,
tests/central/test_review_gate.py and test_review_browser.py): an edit saved in a
reversion revision is refused by name with its editor until a legal reviewer approves it;
a decision on a text that changed since is refused; then publishing goes through."""

from __future__ import annotations

import json
import subprocess

from central.testing.servers import CENTRAL, CentralServer
from tests.central.review_helpers import approve_all

EDIT = """
import reversion
from django.contrib.auth.models import User
from central.publishing.models import Flow
editor, _ = User.objects.get_or_create(username="cli-editor", defaults={"is_staff": True})
flow = Flow.objects.get(flow_id="divorce")
with reversion.create_revision():
    reversion.set_user(editor)
    flow.text = flow.text + "\\n# {note}\\n"
    flow.save()
"""

STALE = """
from django.contrib.auth.models import Group, User
from central.review.decide import ReviewRefused, decide
from central.review.state import text_hash
user, _ = User.objects.get_or_create(username="cli-reviewer", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Legal reviewers"))
try:
    decide("flows/divorce.yaml", user, text_hash("what the reviewer saw earlier"), "approved", "")
except ReviewRefused as exc:
    print("REFUSED", exc)
"""


def test_cli_publish_refuses_unapproved_edit_by_name_until_approved(pg_server: CentralServer) -> None:
    server = pg_server
    approve_all(server)  # what earlier tests on this shared server left waiting
    server.django(EDIT.replace("{note}", "changed on the command line"))
    refused = subprocess.run([CENTRAL, "publish", "--json"], env=server.env, capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode != 0 and "not published" in refused.stderr
    # The command speaks the bureau's language (LANGUAGE_CODE zh-hans).
    assert "flows/divorce.yaml: 由 cli-editor 修改，还没有经过法律审核通过" in refused.stderr, refused.stderr
    stale = server.django(STALE)
    assert "REFUSED 您打开之后，flows/divorce.yaml 又被修改了" in stale, stale
    approve_all(server)
    published = json.loads(server.command("publish", "--json"))
    assert published["version"] >= 1
    assert "changed by" not in server.django(
        "from central.review.gate import unapproved; print('changed by' if unapproved() else 'clean')")
