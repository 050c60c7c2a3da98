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
