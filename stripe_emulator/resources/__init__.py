"""The /v1 resources, one module each; ``ENDPOINTS`` lists every route they serve."""
