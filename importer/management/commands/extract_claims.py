"""python manage.py extract_claims FILE|URL [--lang xx] [--format json|table]"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer import SUPPORTED, BadText, UnsupportedLanguage, extract
from importer.api import serialize
from importer.fetch import FetchError, NoMainText, UnsafeURL, fetch_article


class Command(BaseCommand):
    help = "Propose the attributed claims of an article (a file, '-' for stdin, or a URL)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A text file, '-' for standard input, or an URL.")
        parser.add_argument("--lang", default=None,
                            help=f"one of {', '.join(SUPPORTED)} (default: detect).")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, source: str, lang: str | None, format: str, **options):
        text = self._read(source)
        try:
            result = extract(text, lang)
        except (BadText, UnsupportedLanguage) as exc:
            raise CommandError(str(exc)) from None
        if format == "json":
            self.stdout.write(json.dumps(serialize(result), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"language: {result.language}"
                          f"{' (detected)' if result.detected else ''}; "
                          f"{len(result.claims)} claim(s)")
        for i, claim in enumerate(result.claims, 1):
            self.stdout.write(f"\n{i}. {claim.text[:160]}{'…' if len(claim.text) > 160 else ''}")
            for a in claim.attributions:
                source = a.source.name if a.source.id else f"NEW {a.source.name} ({a.source.kind})"
                self.stdout.write(f"   {a.role:<9} {a.surface!r} → {source}; "
                                  f"“{a.phrase}”, {a.stance}"
                                  f"{'; carried over' if a.inferred else ''}")
            if claim.quantity:
                q = claim.quantity
                self.stdout.write(f"   figure    {q.qualifier} value={q.value} lower={q.lower} "
                                  f"upper={q.upper} {q.unit} {q.counted} (“{q.as_said}”)")

    def _read(self, source: str) -> str:
        if source.startswith(("http://", "https://")):
            try:
                return fetch_article(source).text
            except UnsafeURL as exc:
                raise CommandError(f"The address is refused: {exc.reason}") from None
            except (FetchError, NoMainText) as exc:
                raise CommandError(str(exc)) from None
        if source == "-":
            return sys.stdin.read()
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{source} is not UTF-8 text.") from None
