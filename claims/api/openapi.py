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
