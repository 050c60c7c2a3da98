"""Which PostgreSQL text search finds claims in Azerbaijani, Korean, Russian and English?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_api .venv/bin/python bench/search_configs.py

Loads a small multilingual corpus into a temporary table and runs the same
queries (what a newsroom types: other case, missing accents, dotless ı, word
starts, Korean words without their particles, words inside compounds) through:

  simple+unaccent   to_tsvector('simple', unaccent(text)), whole words
  …+prefix          the same with every query word as a prefix (word:*)
  trigram           pg_trgm substring match (LIKE '%q%') on unaccent(lower(text))
  both (chosen)     prefix words, OR a substring for Hangul/CJK queries, on text
                    folded in Python (claims.search.search_fold), as claims.search does

and prints hits and misses per language. Timings at scale are in bench/api.py.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from claims.search import _UNSPACED, _tsquery, search_fold  # noqa: E402

DOCS = {
    "az1": "Rəsmi Seulun məlumatına görə, Bakı yaxınlığında 600 əsgər öldürülüb.",
    "az2": "Ukrayna Silahlı Qüvvələrinin Baş Qərargahı itkiləri açıqladı.",
    "ko1": "조선중앙통신은 서울에서 600명이 사망했다고 보도했다.",
    "ko2": "국가정보원은 북한군 파병 규모가 1만명 이상이라고 밝혔다.",
    "ru1": "Минобороны России сообщило о 600 погибших солдатах, ещё 20 пропали.",
    "ru2": "Генштаб ВСУ опубликовал данные о потерях.",
    "en1": "Seoul's spy agency says 600 North Korean soldiers were killed.",
    "en2": "The Pentagon estimates more than 10,000 troops were deployed.",
}
QUERIES = [  # (language, query, expected documents)
    ("az", "Bakı", {"az1"}), ("az", "BAKI", {"az1"}), ("az", "baki", {"az1"}),
    ("az", "oldurulub", {"az1"}), ("az", "Seul", {"az1"}), ("az", "qüvvə", {"az2"}),
    ("az", "qerargah", {"az2"}),
    ("ko", "조선중앙통신", {"ko1"}), ("ko", "중앙통신", {"ko1"}), ("ko", "서울", {"ko1"}),
    ("ko", "국가정보원", {"ko2"}), ("ko", "북한군", {"ko2"}), ("ko", "파병", {"ko2"}),
    ("ru", "минобороны", {"ru1"}), ("ru", "еще", {"ru1"}), ("ru", "погиб", {"ru1"}),
    ("ru", "ВСУ", {"ru2"}), ("ru", "потерь", set()),
    ("en", "seoul", {"en1"}), ("en", "séoul", {"en1"}), ("en", "korean soldiers", {"en1"}),
    ("en", "deploy", {"en2"}), ("en", "pentagon", {"en2"}),
    # Words that are not next to each other.
    ("en", "spy killed", {"en1"}), ("ru", "России погибших", {"ru1"}),
    ("ko", "서울 보도", {"ko1"}), ("az", "Bakı əsgər", {"az1"}),
]

CONFIGS = {
    "simple+unaccent": (
        "to_tsvector('simple', unaccent(lower(doc))) @@ plainto_tsquery('simple', "
        "unaccent(lower(%(q)s)))"),
    "simple+unaccent+prefix": (
        "to_tsvector('simple', unaccent(lower(doc))) @@ to_tsquery('simple', "
        "unaccent(lower(%(prefix_raw)s)))"),
    "trigram": "unaccent(lower(doc)) LIKE '%%' || unaccent(lower(%(q)s)) || '%%'",
    "both (chosen)": ("to_tsvector('simple', folded) @@ to_tsquery('simple', %(prefix)s)"
                      " OR (%(unspaced)s AND folded LIKE '%%' || %(folded_q)s || '%%')"),
}


def main() -> None:
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cur.execute("CREATE TEMP TABLE corpus (id text, doc text, folded text)")
        for key, doc in DOCS.items():
            cur.execute("INSERT INTO corpus VALUES (%s, %s, %s)", [key, doc, search_fold(doc)])
        totals = {name: [0, 0] for name in CONFIGS}
        print(f"{'lang':<5}{'query':<18}" + "".join(f"{n:>24}" for n in CONFIGS))
        for lang, q, expected in QUERIES:
            raw_words = [w for w in q.lower().split() if w]
            params = {"q": q, "folded_q": search_fold(q), "prefix": _tsquery(search_fold(q)),
                      "prefix_raw": " & ".join(f"{w}:*" for w in raw_words),
                      "unspaced": bool(_UNSPACED.search(q)) and len(q) >= 3}
            cells = []
            for name, condition in CONFIGS.items():
                cur.execute(f"SELECT id FROM corpus WHERE {condition}", params)
                got = {row[0] for row in cur.fetchall()}
                ok = got == expected
                totals[name][0] += ok
                totals[name][1] += 1
                cells.append("ok" if ok else f"got {sorted(got) or '-'}")
            print(f"{lang:<5}{q:<18}" + "".join(f"{c:>24}" for c in cells))
        print(f"{'':<23}" + "".join(f"{f'{a}/{b} right':>24}" for a, b in totals.values()))


if __name__ == "__main__":
    main()
