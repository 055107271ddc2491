"""argolint: static validation, linting and dry runs for Argo Workflows manifests."""

__version__ = "0.1.0"
