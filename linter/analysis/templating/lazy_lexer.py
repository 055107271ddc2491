"""The contextual lexer of the three grammars, made to compile less at start-up.

lark's contextual lexer keeps one scanner per set of terminals a parser state accepts, and
a scanner is one regular expression joining those terminals as alternatives (`(?P<NAME>
...)|(?P<INT>...)`), compiled at its first token: the 217 upstream examples meet 25 such
sets, ~5 ms of `re` compiling in every lint for a few dozen tokens each. Here a scanner
first tries its terminals one by one, in the alternation's order, with each terminal's own
pattern (compiled once and shared by every scanner that has it), and compiles the joined
expression only once it has matched `COMPILE_AFTER` tokens, where its speed pays.

The tokens are the same: at a position the alternation matches with its first alternative
that matches there, which is what trying the same patterns in the same order finds (no
terminal refers to a group by number, and each is matched up to the same end).

Installed through lark's own hook for a lexer class (`_plugins`, see `grammar_tables`);
the vendored runtime is not changed.
"""

from __future__ import annotations

from functools import lru_cache

from argolint.analysis.templating.vendor.lark_runtime import (BasicLexer, CallChain, ContextualLexer, PatternRE,
                                                             PatternStr, Scanner, UnlessCallback, classify)

# Tokens a scanner matches terminal by terminal before it compiles its joined expression.
COMPILE_AFTER = 64


class TerminalByTerminalScanner:
    """A `Scanner` (the part `BasicLexer` uses: `match`, `allowed_types`) that compiles
    nothing at first."""

    def __init__(self, terminals: list, g_regex_flags: int, re_module, use_bytes: bool):
        self.terminals = terminals
        self.g_regex_flags = g_regex_flags
        self.re_module = re_module
        self.use_bytes = use_bytes
        self.allowed_types = {t.name for t in terminals}
        self._patterns = None  # (name, compiled pattern) in the alternation's order
        self._joined = None  # the lark Scanner, once COMPILE_AFTER tokens are matched
        self._matched = 0

    def match(self, text, pos):
        if self._joined is not None:
            return self._joined.match(text, pos)
        self._matched += 1
        if self._matched > COMPILE_AFTER:
            self._joined = Scanner(self.terminals, self.g_regex_flags, self.re_module, self.use_bytes)
            return self._joined.match(text, pos)
        patterns = self._patterns
        if patterns is None:
            patterns = self._patterns = [(t.name, self._compile(t.pattern.to_regexp())) for t in self.terminals]
        source, end = text.text, text.end
        for name, pattern in patterns:
            found = pattern.match(source, pos, end)
            if found:
                return found.group(0), name
        return None

    def _compile(self, regexp: str):
        return self.re_module.compile(regexp.encode("latin-1") if self.use_bytes else regexp, self.g_regex_flags)


@lru_cache(maxsize=1024)
def _matches_whole(re_module, regexp: str, text: str, flags: int) -> bool:
    """Whether `regexp` matches all of `text` (lark's `_get_match(...) == text`)."""
    found = re_module.match(regexp, text, flags)
    return found is not None and found.group(0) == text


def _create_unless(terminals: list, g_regex_flags: int, re_module, use_bytes: bool):
    """lark's `_create_unless`, remembering which string terminals each pattern terminal
    matches whole: every scanner asks again for its own terminals (25 scanners, 1,240
    matches in a lint of the examples, for ~90 distinct pairs)."""
    by_type = classify(terminals, lambda t: type(t.pattern))
    embedded_strs = set()
    callback = {}
    for retok in by_type.get(PatternRE, []):
        unless = []
        for strtok in by_type.get(PatternStr, []):
            if strtok.priority != retok.priority:
                continue
            if _matches_whole(re_module, retok.pattern.to_regexp(), strtok.pattern.value, g_regex_flags):
                unless.append(strtok)
                if strtok.pattern.flags <= retok.pattern.flags:
                    embedded_strs.add(strtok)
        if unless:
            callback[retok.name] = UnlessCallback(Scanner(unless, g_regex_flags, re_module, use_bytes=use_bytes))
    return [t for t in terminals if t not in embedded_strs], callback


class _BasicLexer(BasicLexer):
    def _build_scanner(self):
        """`BasicLexer._build_scanner`, returning the scanner above instead of lark's."""
        terminals, self.callback = _create_unless(self.terminals, self.g_regex_flags, self.re, self.use_bytes)
        for type_, f in self.user_callbacks.items():
            if type_ in self.callback:
                self.callback[type_] = CallChain(self.callback[type_], f, lambda t: t.type == type_)
            else:
                self.callback[type_] = f
        return TerminalByTerminalScanner(terminals, self.g_regex_flags, self.re, self.use_bytes)


class LazyContextualLexer(ContextualLexer):
    BasicLexer = _BasicLexer
