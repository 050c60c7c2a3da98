from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from reports import exports, presentation
from reports.catalogue import REPORTS
from reports.forms import ReportFilterForm


class Command(BaseCommand):
    help = ("Write the claim-status reports to a file: CSV (one section per report), JSON, "
            "or a self-contained HTML page with its charts.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["csv", "json", "html"], required=True)
        parser.add_argument("--out", required=True,
                            help="File to write, relative to the current directory "
                                 "('-' for stdout); its folder is made if missing.")
        parser.add_argument("--report", action="append", choices=sorted(REPORTS),
                            help="Only this report (repeatable); all of them by default.")
        parser.add_argument("--from", dest="date_from", help="Claims created on or after (date).")
        parser.add_argument("--until", dest="date_to", help="Claims created on or before (date).")
        parser.add_argument("--tag")
        parser.add_argument("--language")
        parser.add_argument("--source", type=int, help="Source id.")
        parser.add_argument("--snapshot", type=int, help="Read a stored snapshot by id.")
        parser.add_argument("--published-only", action="store_true",
                            help="Count published claims only (what read-only API keys see).")

    def handle(self, *args, **options) -> None:
        params = {k: options[k] for k in ("date_from", "date_to", "tag", "language", "source",
                                          "snapshot") if options[k] not in (None, "")}
        form = ReportFilterForm(params)
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}"
                                 for field, errors in form.errors.items())
            raise CommandError(problems)
        only = options["report"]
        built = form.figures(published_only=options["published_only"], only=only)
        fmt = options["format"]
        if fmt == "json":
            text = exports.to_json(built)
        elif fmt == "csv":
            text = (exports.to_csv(REPORTS[only[0]], built["reports"][only[0]])
                    if only and len(only) == 1 else exports.to_csv_bundle(built))
        else:
            text = render_to_string("reports/standalone.html", {
                "built": built, "sections": presentation.sections(built, links=False),
                "headline": presentation.headline(built), "standalone": True, "links": False,
            })
        if options["out"] == "-":
            self.stdout.write(text, ending="")
            return
        # Where the caller asked, resolved against where they are, never the checkout.
        out = Path(options["out"]).expanduser().absolute()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
        self.stderr.write(f"Wrote {len(built['reports'])} report(s) as {fmt} to {out}")
