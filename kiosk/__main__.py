"""``python -m kiosk check [FILE...] [--content DIR]``: check the kiosk's content folder and
load FHIR Questionnaires, printing their load reports.

With no FILE and no ``--content``, the shipped content (``kiosk/content``) is checked. Every
problem is one line naming the file, the place and the problem; the exit code is 1 when any
was found, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.errors import ContentError
from kiosk.questionnaire import QuestionnaireError, load_questionnaire
from kiosk.questionnaire.load_report import format_report


def check_content(root: Path | None, value_sets: Path | None = None) -> bool:
    """Load the content folder as the kiosk does at start; say what it holds, or why not."""
    from kiosk.content.library import load_content

    name = str(root) if root is not None else "kiosk/content"
    if root is not None and not root.is_dir():
        print(f"{name}: not a content folder", file=sys.stderr)
        return False
    try:
        content = load_content(root, value_sets)
    except ContentError as exc:
        print(f"{exc.source}: {exc.where}: {exc.problem}", file=sys.stderr)
        return False
    print(f"{name}: content is usable — {len(content.procedures)} procedures, "
          f"{len(content.catalogues)} languages ({', '.join(sorted(content.catalogues))}), "
          f"{len(content.flag_rules)} flag rules, {len(content.teach_back.checks)} "
          f"understanding checks; questionnaire "
          f"{content.questionnaire.title or content.questionnaire.url}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="check the content folder and load FHIR Questionnaires")
    check.add_argument("files", nargs="*", help="Questionnaire JSON files to load and report on")
    check.add_argument("--content", type=Path, metavar="DIR",
                       help="a content folder to check (default, with no FILE: the shipped "
                            "kiosk/content)")
    check.add_argument("--value-sets", type=Path, metavar="DIR", default=None,
                       help="the clinic's ValueSet files and FHIR packages (.tgz), besides "
                            "FHIR's core value sets (default $KIOSK_VALUE_SETS)")
    args = parser.parse_args(argv)

    failed = 0
    if args.content is not None or not args.files:
        failed += not check_content(args.content, args.value_sets)
    if not args.files:
        return 1 if failed else 0
    from kiosk.content.core_value_sets import standard_value_sets

    try:
        value_sets = standard_value_sets(args.value_sets)
    except ContentError as exc:
        print(f"{exc.source}: {exc.where}: {exc.problem}", file=sys.stderr)
        return 1
    for path in args.files:
        try:
            questionnaire = load_questionnaire(path, value_sets=value_sets)
        except QuestionnaireError as exc:
            print(f"{exc.source}: not a usable Questionnaire: {exc.where}: {exc.problem}",
                  file=sys.stderr)
            failed += 1
            continue
        print(format_report(questionnaire))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
