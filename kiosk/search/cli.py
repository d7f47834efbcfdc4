"""`kiosk search`: one query from the command line, or one per line with --batch."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kiosk.content.bundle import Bundle


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="what the resident typed or said")
    parser.add_argument("--top", type=int, default=3, help="how many flows (default 3)")
    parser.add_argument("--json", action="store_true", help="print a JSON list per query")
    parser.add_argument("--batch", action="store_true", help="read one query per line from stdin")
    parser.add_argument("--locale", help="locale of the titles (default: from the query)")
    parser.add_argument("--referral", action="store_true",
                        help="with --json: an object per query, {hits, out_of_scope, referral}, saying "
                             "who handles a matter that is not ours")


def run(
    args: argparse.Namespace, bundle: Bundle, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    if args.batch == (args.query is not None):  # "" is a query (the answer is [])
        print("give either a QUERY or --batch (queries on stdin)", file=sys.stderr)
        return 2
    import msgspec

    from kiosk.search.scope import SearchResult
    from kiosk.search.service import SearchService

    service = SearchService.for_bundle(bundle)
    queries = (line.rstrip("\n") for line in stdin) if args.batch else iter([args.query])
    for query in queries:
        result = service.find(query, top=args.top, locale=args.locale) if query.strip() else SearchResult([])
        if args.referral and (args.json or args.batch):
            stdout.write(json.dumps(msgspec.to_builtins(result), ensure_ascii=False) + "\n")
        elif args.json or args.batch:  # a list, [] when nothing fits (checks outside rely on it)
            stdout.write(json.dumps(msgspec.to_builtins(result.hits), ensure_ascii=False) + "\n")
        elif result.referral is not None:
            stdout.write(f"not here: {result.referral.text}\n")
        elif not result.hits:
            stdout.write("no match\n")
        else:
            for hit in result.hits:
                stdout.write(f"{hit.score:8.3f}  {hit.flow:<24} {hit.title}\n")
        stdout.flush()
    return 0
