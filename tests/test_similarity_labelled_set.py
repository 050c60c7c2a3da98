"""The labelled matching set stays well formed (bench/matching.py measures on it)."""

import json
import sys
from datetime import date
from pathlib import Path

from similarity import embedding

SET = Path(__file__).parent / "data" / "similarity" / "labelled.json"


def test_every_claim_is_real_text_with_its_url_in_one_of_the_four_languages():
    data = json.loads(SET.read_text(encoding="utf-8"))
    for item in data["items"]:
        assert item["url"].startswith("http"), item["id"]
        assert item["language"] in {"az", "ru", "ko", "en"}, item["id"]
        assert embedding.check_text(item["text"]) == item["text"].strip(), item["id"]
        assert item["cluster"] is None or item["cluster"] in data["clusters"], item["id"]
        for other in item["negative_of"]:
            assert other in data["clusters"], item["id"]


def test_each_cluster_has_two_claims_a_split_and_known_hard_negatives():
    data = json.loads(SET.read_text(encoding="utf-8"))
    members = {cid: [i for i in data["items"] if i["cluster"] == cid] for cid in data["clusters"]}
    for cid, cluster in data["clusters"].items():
        assert len(members[cid]) >= 2, cid
        assert cluster["split"] in {"dev", "test", "test2", "test3"}, cid
        assert set(cluster["hard_negatives"]) <= set(data["clusters"]) - {cid}, cid
    languages = {i["language"] for c in members.values() for i in c}
    assert languages == {"az", "ru", "ko", "en"}
    splits = {c["split"] for c in data["clusters"].values()}
    assert splits == {"dev", "test", "test2", "test3"}


def test_every_claimant_of_the_set_is_in_the_registry_the_bench_reads():
    """bench/matching.py finds who a bare text names from sources.json, as the API does
    from SourceAlias: a claimant missing there would be invisible to the text ranker."""
    data = json.loads(SET.read_text(encoding="utf-8"))
    registry = json.loads((SET.parent / "sources.json").read_text(encoding="utf-8"))["sources"]
    claimants = {item["claimant"] for item in data["items"] if item["claimant"]}
    assert claimants <= set(registry)
    assert all(registry[name] for name in registry)


FIRST_ROUND = 39  # clusters scored under the first rule; "test" was read more than once
# Clusters added in a named batch ("batch": "fresh-a", …) alternate dev and test3 within their
# batch, in file order: test and test2 had both been scored several times (docs/matching.md,
# "The third held-out split").
BATCH_SPLITS = ("dev", "test3")


def split_rule(clusters: list[dict]) -> list[str]:
    """The split each cluster must have, in file order: the first 39 unbatched clusters
    alternate dev and test, later unbatched ones dev and test2, each batch's own dev and test3."""
    seen: dict[str | None, int] = {}
    splits = []
    for cluster in clusters:
        batch = cluster.get("batch")
        k = seen[batch] = seen.get(batch, -1) + 1
        if batch:
            splits.append(BATCH_SPLITS[k % 2])
        elif k < FIRST_ROUND:
            splits.append(("dev", "test")[k % 2])
        else:
            splits.append(("dev", "test2")[(k - FIRST_ROUND) % 2])
    return splits


def test_clusters_alternate_dev_and_a_held_out_split_in_file_order():
    """The split is a fixed rule, not a choice per cluster: dev, test, dev, … in the order the
    clusters were added, so new clusters cannot be placed where a ranker does well. The first
    39 alternate dev and test; every later one dev and test2 (a fresh held-out split, since test
    was scored more than once); a batch's clusters dev and test3."""
    data = json.loads(SET.read_text(encoding="utf-8"))
    clusters = list(data["clusters"].values())
    assert len(clusters) > FIRST_ROUND
    assert [c["split"] for c in clusters] == split_rule(clusters)


def test_the_split_rule_refuses_a_cluster_moved_to_another_split():
    """The rule test above can fail: one batched cluster moved from test3 to dev breaks it."""
    data = json.loads(SET.read_text(encoding="utf-8"))
    clusters = [dict(c) for c in data["clusters"].values()]
    held_out = next(c for c in clusters if c.get("batch") and c["split"] == "test3")
    held_out["split"] = "dev"
    assert [c["split"] for c in clusters] != split_rule(clusters)


def test_no_background_passage_comes_from_a_labelled_article():
    """bench/matching.py leaves out background passages from labelled articles: they may
    state a labelled claim without its label."""
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from bench import matching

    _, items = matching.load()
    labelled = {item["url"] for item in items if not item.get("background")}
    background = [item for item in items if item.get("background")]
    assert background and not [item for item in background if item["url"] in labelled]


def test_every_date_is_a_whole_day_or_unknown():
    data = json.loads(SET.read_text(encoding="utf-8"))
    for item in data["items"]:
        assert item["date"] is None or date.fromisoformat(item["date"]), item["id"]
