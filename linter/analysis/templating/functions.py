"""Functions an Argo expression may call: expr-lang's built-ins and Argo's additions.

Arity is (minimum, maximum); maximum None means variadic. `PREDICATE_ARGUMENTS` gives, for
the built-ins that take closures, the argument positions that are predicates (expr parses
`filter(xs, # > 1)` and `filter(xs, {# > 1})` alike).
"""

from __future__ import annotations

BUILTINS: dict[str, tuple[int, int | None]] = {
    # predicates
    "all": (2, 2), "none": (2, 2), "any": (2, 2), "one": (2, 2),
    "filter": (2, 2), "map": (2, 2), "find": (2, 2), "findIndex": (2, 2),
    "findLast": (2, 2), "findLastIndex": (2, 2), "count": (1, 2), "sum": (1, 2),
    "groupBy": (2, 2), "sortBy": (2, 3), "reduce": (2, 3),
    # values and conversion
    "len": (1, 1), "type": (1, 1), "abs": (1, 1), "ceil": (1, 1), "floor": (1, 1),
    "round": (1, 1), "int": (1, 1), "float": (1, 1), "string": (1, 1),
    "max": (1, None), "min": (1, None), "mean": (1, None), "median": (1, None),
    "toJSON": (1, 1), "fromJSON": (1, 1), "toBase64": (1, 1), "fromBase64": (1, 1),
    # strings
    "trim": (1, 2), "trimPrefix": (2, 2), "trimSuffix": (2, 2), "upper": (1, 1), "lower": (1, 1),
    "split": (2, 3), "splitAfter": (2, 3), "replace": (3, 3), "repeat": (2, 2), "join": (1, 2),
    "indexOf": (2, 2), "lastIndexOf": (2, 2), "hasPrefix": (2, 2), "hasSuffix": (2, 2),
    # time
    "now": (0, 0), "duration": (1, 1), "date": (1, 3), "timezone": (1, 1),
    # collections
    "first": (1, 1), "last": (1, 1), "get": (2, 2), "take": (2, 2), "keys": (1, 1),
    "values": (1, 1), "toPairs": (1, 1), "fromPairs": (1, 1), "sort": (1, 2),
    "concat": (1, None), "flatten": (1, 1), "uniq": (1, 1),
    # bits
    "bitand": (2, 2), "bitor": (2, 2), "bitxor": (2, 2), "bitnand": (2, 2), "bitnot": (1, 1),
    "bitshl": (2, 2), "bitshr": (2, 2), "bitushr": (2, 2),
    # Argo (util/expr/env)
    "asInt": (1, 1), "asFloat": (1, 1), "toJson": (1, 1), "jsonpath": (2, 2),
}

PREDICATE_ARGUMENTS: dict[str, tuple[int, ...]] = {
    name: (1,) for name in ("all", "none", "any", "one", "filter", "map", "find", "findIndex",
                            "findLast", "findLastIndex", "count", "sum", "groupBy", "sortBy", "reduce")
}

# Masterminds/sprig v3 generic functions (Argo exposes them as `sprig.<name>`, without
# `env` and `expandenv`).
SPRIG = frozenset("""
hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate
htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch
abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll
trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric swapcase
shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote
cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int
int64 float64 seq toDecimal split splitList splitn toStrings until untilStep add1 add sub div
mod mul randInt add1f addf subf divf mulf biggest max min maxf minf ceil floor round join
sortAlpha default empty coalesce all any compact mustCompact fromJson toJson toPrettyJson
toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy mustDeepCopy
typeOf typeIs typeIsLike kindOf kindIs deepEqual getHostByName base dir clean ext isAbs osBase
osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey
pluck keys pick omit merge mergeOverwrite mustMerge mustMergeOverwrite values append push
mustAppend mustPush prepend mustPrepend first mustFirst rest mustRest last mustLast initial
mustInitial reverse mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice
concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert
genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
genSignedCertWithKey encryptAES decryptAES randBytes uuidv4 semver semverCompare fail
regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind mustRegexFind
regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral
regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin
""".split())


def arity_text(name: str) -> str:
    low, high = BUILTINS[name]
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"
