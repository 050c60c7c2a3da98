"""Plumbing shared by every /api/v1/ endpoint: errors, parsing, paging, base viewset.

Endpoint modules (claims/api, sources/api, reports, ...) build on these and
stay thin: validate, call a domain function, serialize.
"""
