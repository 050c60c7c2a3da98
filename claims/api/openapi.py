"""OpenAPI pieces that describe claims: the ClaimReview document."""

CLAIMREVIEW = {
    "type": "object",
    "description": "schema.org ClaimReview (JSON-LD); see docs/api.md for the rating scale.",
    "required": ["@context", "@type", "url", "claimReviewed", "datePublished", "author",
                 "reviewRating", "itemReviewed"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "datePublished": {"type": "string", "format": "date"},
        "author": {"type": "object", "required": ["@type", "name"]},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
            "properties": {
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "bestRating": {"type": "integer", "enum": [5]},
                "worstRating": {"type": "integer", "enum": [1]},
                "alternateName": {"type": "string"},
                "ratingExplanation": {"type": "string"},
            },
        },
        "itemReviewed": {"type": "object", "required": ["@type", "author"]},
    },
}

TOMBSTONE = {
    "type": "object",
    "description": "In an `updated_since` feed: this entry left the feed (docs/api.md, "
                   "Tombstones). Remove your copy.",
    "required": ["id", "deleted", "at"],
    "properties": {
        "id": {"type": "integer"},
        "deleted": {"oneOf": [{"type": "boolean", "enum": [True]},
                              {"type": "string",
                               "enum": ["unpublished", "retracted", "withdrawn"]}]},
        "at": {"type": "string", "format": "date-time"},
        "url": {"type": "string", "format": "uri"},
    },
}
CLAIMREVIEW_FEED_ENTRY = {"oneOf": [CLAIMREVIEW, TOMBSTONE]}


def claim_writes(result: dict, generator, request, public) -> dict:
    """What a claim write needs that the serializer fields cannot say themselves.

    - attributions and evidence: at most MAX_ITEMS each (the serializer refuses more);
    - PUT/PATCH: the version edited, as `version` or If-Match (without either: 428),
      so the body schema of an update requires `version` and If-Match has its shape.
    """
    from .serializers import MAX_ITEMS

    schemas = result.get("components", {}).get("schemas", {})
    for name in ("ClaimInputRequest", "PatchedClaimInputRequest"):
        for field in ("attributions", "evidence"):
            prop = schemas.get(name, {}).get("properties", {}).get(field)
            if prop is not None:
                prop["maxItems"] = MAX_ITEMS
    item = result.get("paths", {}).get("/api/v1/claims/{id}/", {})
    for method in ("put", "patch"):
        operation = item.get(method)
        if operation is None:
            continue
        for media in operation.get("requestBody", {}).get("content", {}).values():
            media["schema"] = {"allOf": [media["schema"], {"required": ["version"]}]}
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "header" and parameter.get("name") == "If-Match":
                parameter["schema"] = {"type": "string", "pattern": '^(W/)?"?[0-9]{1,10}"?$'}
    return result
