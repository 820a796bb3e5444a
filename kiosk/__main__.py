"""``python -m kiosk check FILE...``: load questionnaires and print their load reports."""

from __future__ import annotations

import argparse
import sys

from kiosk.questionnaire import QuestionnaireError, load_questionnaire
from kiosk.questionnaire.load_report import format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="load FHIR Questionnaires and report on them")
    check.add_argument("files", nargs="+")
    check.add_argument("--value-sets", metavar="DIR", default=None,
                       help="the clinic's ValueSet files and FHIR packages (.tgz), besides "
                            "FHIR's core value sets (default $KIOSK_VALUE_SETS)")
    args = parser.parse_args(argv)
    from kiosk.content.core_value_sets import standard_value_sets

    value_sets = standard_value_sets(args.value_sets)

    failed = 0
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
