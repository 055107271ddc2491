"""Stage 1, load: files to YAML documents with exact spans for every key and value."""
