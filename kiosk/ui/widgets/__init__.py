"""Shared widgets: buttons, labels, cards, keypads, the date picker, paged lists."""
