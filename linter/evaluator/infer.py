"""Outputs a dry run can know without a mock: what a container that only `echo`es or
`printf`s writes to stdout and to files.

A command is read with `shlex` (the shell's quoting rules) and understood only when every
simple command of it is `echo`, `printf`, `cat` of a file it wrote, `mkdir`, `true`, `:`,
`set`, `sleep` or `exit 0`, joined by `;`, `&&` or newlines, with `>` / `>>` redirections.
Anything else (a variable, a substitution, a glob, a pipe, another program, a backslash
escape `echo` might interpret) makes the whole command unknown: an inferred value is
always what the container would certainly print.
"""

from __future__ import annotations

import re
import shlex
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Optional

_SHELLS = ("sh", "bash", "ash", "dash", "zsh", "ksh")
_HARMLESS = ("mkdir", "true", ":", "set", "sleep")
# characters the shell would expand when unquoted, or inside double quotes
_UNQUOTED_SPECIAL = set("$`*?[]{}~()<|\\!#")
_DOUBLE_QUOTED_SPECIAL = set("$`\\!")


# `echo [-n] ARG` with one argument the shell leaves as it is: what shlex reads from it too
# (an argument that starts with `-` may be an option to echo: not simple)
_SIMPLE_ECHO = re.compile(r"""\s*echo(?P<n>\s+-n)?\s+(?:"(?!-)(?P<dq>[^"\\$`!]*)"|'(?!-)(?P<sq>[^'\\]*)'|"""
                          r"""(?P<word>[A-Za-z0-9_./:=,+@%][A-Za-z0-9_./:=,+@%-]*))\s*""")


class Unknown(Exception):
    """The command does something a dry run cannot know."""


@dataclass
class Effects:
    stdout: str = ""
    files: dict = field(default_factory=dict)  # path -> content


def script_of(kind: str, command: Optional[list], args: Optional[list], source: Optional[str]) -> Optional[str]:
    """The shell text a container or script template runs, or None when it is not a shell
    script (`sh -c TEXT`, a script template run by a shell, or `echo`/`printf` run directly)."""
    command = list(command or [])
    args = list(args or [])
    if kind == "script":  # `args` are the ones before /argo/staging/script: none
        if source is not None and command and _program(command[0]) in _SHELLS and len(command) == 1:
            return source
        return None
    argv = command + args
    if not argv or any(not isinstance(a, str) for a in argv):
        return None
    if _program(argv[0]) in _SHELLS:
        if len(argv) == 3 and argv[1] in ("-c", "-ec", "-ce", "-xc", "-cx"):
            return argv[2]
        return None
    if _program(argv[0]) in ("echo", "printf"):
        return " ".join(shlex.quote(a) for a in [_program(argv[0])] + argv[1:])
    return None


def _program(path: str) -> str:
    return path.rsplit("/", 1)[-1]


@lru_cache(maxsize=1024)
def infer(script: str) -> Optional[Effects]:
    """What `script` writes, or None when any part of it is unknown (cached: the pods of a
    loop run the same script; callers do not change the result)."""
    simple = _SIMPLE_ECHO.fullmatch(script)
    if simple is not None:  # the common `echo "..."`, without lexing a long argument char by char
        text = next(group for group in simple.group("dq", "sq", "word") if group is not None)
        return Effects(stdout=text + ("" if simple.group("n") else "\n"))
    try:
        commands = _split(_check_quoting(script))
        effects = Effects()
        for words in commands:
            _run(words, effects)
        return effects
    except (Unknown, ValueError):
        return None


def _check_quoting(script: str) -> str:
    """The script with unquoted newlines turned into `;`; raises Unknown at anything the shell
    would expand."""
    out, quote = [], None
    for i, ch in enumerate(script):
        if quote == "'":
            quote = None if ch == "'" else quote
        elif quote == '"':
            # inside double quotes a backslash escapes only $ ` " \ and newline; before any other
            # character it stays, as printf's `\n` does
            if ch in _DOUBLE_QUOTED_SPECIAL and not (ch == "\\" and script[i + 1:i + 2] not in '$`"\\\n'):
                raise Unknown(ch)
            quote = None if ch == '"' else quote
        elif ch in "'\"":
            quote = ch
        elif ch in _UNQUOTED_SPECIAL or (ch == ">" and out and out[-1].isdigit()):
            raise Unknown(ch)  # `2> file` redirects a file descriptor: not understood
        elif ch == "\n":
            ch = ";"
        out.append(ch)
    if quote is not None:
        raise Unknown("unclosed quote")
    return "".join(out)


def _split(script: str) -> list:
    """Simple commands as lists of words and redirection operators."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=";&>")
    lexer.whitespace_split = True
    commands, words = [], []
    for token in lexer:
        if token in (";", "&&"):
            if words:
                commands.append(words)
            words = []
        elif token in (">", ">>"):
            words.append(("redirect", token))
        elif set(token) <= set(";&>"):
            raise Unknown(token)  # `&`, `||`, `>&` ...
        else:
            words.append(token)
    if words:
        commands.append(words)
    return commands


def _run(words: list, effects: Effects) -> None:
    argv, target, append = [], None, False
    i = 0
    while i < len(words):
        word = words[i]
        if isinstance(word, tuple):
            if i + 1 >= len(words) or isinstance(words[i + 1], tuple) or target is not None:
                raise Unknown("redirection")
            target, append = words[i + 1], word[1] == ">>"
            i += 2
            continue
        argv.append(word)
        i += 1
    if not argv:
        raise Unknown("empty command")
    program = argv[0]
    if program == "echo":
        text = _echo(argv[1:])
    elif program == "printf":
        text = _printf(argv[1:])
    elif program == "cat" and len(argv) >= 2 and all(path in effects.files for path in argv[1:]):
        text = "".join(effects.files[path] for path in argv[1:])
    elif program == "exit" and argv[1:] in ([], ["0"]):
        text = ""
    elif program in _HARMLESS:
        if target is not None:
            raise Unknown("redirected " + program)
        return
    else:
        raise Unknown(program)
    if target is None:
        effects.stdout += text
    elif append:
        effects.files[target] = effects.files.get(target, "") + text
    else:
        effects.files[target] = text


def _echo(args: list) -> str:
    newline = True
    if args and args[0] == "-n":
        newline, args = False, args[1:]
    if args and args[0].startswith("-") and set(args[0][1:]) <= set("neE") and args[0] != "-":
        raise Unknown("echo option")
    if any("\\" in a for a in args):
        raise Unknown("echo escape")  # dash's echo interprets them, bash's does not
    return " ".join(args) + ("\n" if newline else "")


_PRINTF_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def _printf(args: list) -> str:
    if not args:
        raise Unknown("printf without a format")
    fmt, values = args[0], list(args[1:])
    out = []
    while True:
        i = 0
        while i < len(fmt):
            ch = fmt[i]
            if ch == "\\" and i + 1 < len(fmt) and fmt[i + 1] in _PRINTF_ESCAPES:
                out.append(_PRINTF_ESCAPES[fmt[i + 1]])
                i += 2
            elif ch == "\\":
                raise Unknown("printf escape")
            elif ch == "%" and fmt[i + 1:i + 2] == "%":
                out.append("%")
                i += 2
            elif ch == "%" and fmt[i + 1:i + 2] == "s":
                out.append(values.pop(0) if values else "")
                i += 2
            elif ch == "%":
                raise Unknown("printf conversion")
            else:
                out.append(ch)
                i += 1
        if not values or "%s" not in fmt:
            break
    return "".join(out)
