"""What the accessibility test scans and how: every page the project renders, found from
its URL conf, and axe-core (from tests/browser/node_modules, put there by `npm ci`) run
in each.

Pages are found, not listed by hand: every registered admin model gives its list, add,
change, history and delete pages and its app's index; the URL patterns outside those
are either visited by the test or named in NOT_HTML with the reason. A new URL pattern
nobody classified fails the test (`unvisited_views`), so a new page cannot slip past.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib import admin
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, as the issue asks; best-practice rules are left out.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("critical", "serious")

# URL names (namespace:name) or routes that render no HTML page, with the reason.
NOT_HTML = {
    "": "redirects to /admin/",
    "healthz": "JSON",
    "admin:autocomplete": "JSON for the autocomplete widgets",
    "admin:jsi18n": "JavaScript",
    "admin:view_on_site": "redirects to the object's public URL",
    "admin/(?P<url>.*)$": "the admin's catch-all: redirects or 404",
    "admin:claims_claim_similar_answer": "POST only; a GET redirects to the claim page",
    # The desk panel's and the webhooks admin's buttons: POST, then back to the page.
    "admin:claims_claim_desk_comment": "POST only (405)",
    "admin:claims_claim_desk_edit_comment": "POST only (405)",
    "admin:claims_claim_desk_follow": "POST only (405)",
    "admin:claims_claim_desk_tick": "POST only (405)",
    "admin:claims_claim_desk_apply": "POST only (405)",
    "admin:desk_notification_open": "redirects to the claim the notification is about",
    "admin:desk_notification_read_all": "POST only (405)",
    "admin:webhooks_delivery_replay": "POST only (405)",
    "reports:download": "CSV and JSON downloads",
    "feed-verdicts": "Atom XML", "feed-verdicts-source": "Atom XML",
    "feed-verdicts-tag": "Atom XML", "feed-verdicts-language": "Atom XML",
    "api-schema": "OpenAPI YAML",
}
# Admin model URLs of the form <object_id>/ only redirect to <object_id>/change/.
REDIRECT_SUFFIX = "<path:object_id>/"


@dataclass
class Finding:
    page: str
    scheme: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        shown = "; ".join(self.targets[:6]) + (" …" if len(self.targets) > 6 else "")
        return (f"[{self.scheme}] {self.page}: {self.rule} ({self.impact}, "
                f"{len(self.targets)} element(s)) {self.help} -> {shown}")


def run_axe(page, label: str, scheme: str) -> list[Finding]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it stands."""
    if not AXE.exists():
        raise AssertionError(
            f"{AXE} is missing: scripts/test.sh runs `npm ci` in tests/browser "
            "(or run it there by hand).")
    # Colours move to the scheme through the admin's CSS transitions: wait them out, or
    # axe reads a half-faded page.
    page.evaluate("""async () => {
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        await Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)
                          .map(a => a.finished.catch(() => null)));
    }""")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {
               runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations""",
        TAGS)
    return [Finding(label, scheme, v["id"], v["impact"], v["help"],
                    [" ".join(json.dumps(t) if not isinstance(t, str) else t
                              for t in node["target"]) for node in v["nodes"]])
            for v in violations if v["impact"] in FAILING]


def admin_model_pages(site: admin.AdminSite = admin.site) -> tuple[list[str], list[str]]:
    """(paths, models with no row): each registered model's list and add pages, its first
    row's change, history and delete pages, and each app's index."""
    paths: list[str] = [reverse("admin:index")]
    empty: list[str] = []
    apps: set[str] = set()
    for model in sorted(site._registry, key=lambda m: m._meta.label):
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        apps.add(model._meta.app_label)
        paths += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is None:
            empty.append(model._meta.label)
            continue
        paths += [reverse(f"{info}_{page}", args=[first.pk])
                  for page in ("change", "history", "delete")]
    paths += [reverse("admin:app_list", kwargs={"app_label": label}) for label in sorted(apps)]
    return paths, empty


def view_key(path: str) -> str:
    """The name a URL pattern is known by here: namespace:name, else its route."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return path
    return match.view_name if match.url_name else match.route


def all_views() -> dict[str, str]:
    """Every URL pattern of the project: key (as view_key gives it) -> route."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                walk(pattern, prefix + str(pattern.pattern),
                     f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                found.setdefault(f"{namespace}{pattern.name}" if pattern.name else route, route)

    walk(get_resolver(), "", "")
    return found


def unvisited_views(visited: set[str]) -> list[str]:
    """URL patterns neither visited nor named in NOT_HTML (nor admin redirects)."""
    return sorted(
        f"{key} ({route})" for key, route in all_views().items()
        if key not in visited and key not in NOT_HTML and not route.endswith(REDIRECT_SUFFIX)
        # DRF's format-suffix twins (claims.json) render as their base pattern does.
        and "(?P<format>" not in route)
