"""Demo data: the claims of the 2025-08-15 Azerbaijani article the product began with.

Loading goes through the same domain functions as editors' work (create_source,
create_claim, change_status), so the demo is also a check that they accept a
real article. Loading twice changes nothing: sources are found by name, claims
by their text, and a claim that exists is left as it is.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from sources.models import Source
from sources.registry import add_alias, create_source

from .authoring import create_claim
from .models import Claim
from .workflow import change_status

SEED_FILE = Path(__file__).with_name("data") / "seed_article.json"


@dataclass
class DemoResult:
    sources_created: int = 0
    claims_created: int = 0
    claims_existing: int = 0


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_sources(spec: list[dict]) -> tuple[dict[str, Source], int]:
    by_name: dict[str, Source] = {}
    created = 0
    for item in spec:
        item = dict(item)
        aliases = item.pop("aliases", [])
        parent = item.pop("parent", None)
        source = Source.objects.filter(name=item["name"]).first()
        if source is None:
            source = create_source(
                item.pop("name"), aliases=aliases,
                parent=by_name[parent] if parent else None, **item,
            )
            created += 1
        else:
            for alias in aliases:
                add_alias(source, alias)
        by_name[source.name] = source
    return by_name, created


@transaction.atomic
def load_demo(actor: AbstractBaseUser | None = None, path: Path = SEED_FILE) -> DemoResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    article = data["article"]
    sources, sources_created = _load_sources(data["sources"])
    result = DemoResult(sources_created=sources_created)
    for item in data["claims"]:
        if Claim.objects.filter(text=item["text"], language=article["language"]).exists():
            result.claims_existing += 1
            continue
        quantity = item.get("quantity")
        if quantity:
            quantity = {
                k: Decimal(v) if k in ("value", "lower", "upper") else v
                for k, v in quantity.items()
            }
        claim = create_claim(
            actor=actor,
            text=item["text"],
            language=article["language"],
            summary_en=item["summary_en"],
            made_on=_date(item.get("made_on")),
            about_start=_date(item.get("about_start")),
            about_end=_date(item.get("about_end")),
            published=item.get("published", False),
            tags=item.get("tags", []),
            quantity=quantity,
            attributions=[
                {
                    "source": sources[a["source"]],
                    "role": a["role"],
                    "phrase": a.get("phrase", ""),
                    "quote": a.get("quote", ""),
                    "stance": a.get("stance", "asserts"),
                    "credibility": a.get("credibility", 6),
                    "stated_on": _date(article["published"]) if a["role"] != "claimant" else None,
                    "link": article["url"] if a["role"] == "outlet" else None,
                }
                for a in item["attributions"]
            ],
            evidence=[{"link": article["url"], "relation": "reported_in"}],
        )
        steps = item.get("status", [])
        for i, (status, note) in enumerate(steps):
            last = i == len(steps) - 1
            change_status(claim, status, actor=actor, note=note,
                          rationale=item.get("rationale") if last else None)
        result.claims_created += 1
    return result
