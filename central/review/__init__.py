"""Legal review before publishing (issue 17 item 4): edits are drafts until a legal reviewer
approves them; publishing refuses unapproved changes (`gate.refuse_unapproved`)."""
