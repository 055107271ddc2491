"""The language server (pygls) over the same load, analysis and lint stages."""
