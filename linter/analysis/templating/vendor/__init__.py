"""Third-party code, generated (see `lark_runtime.py`'s header and `grammar_tables.py`)."""
