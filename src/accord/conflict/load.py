"""Read conflict models from YAML/JSON files (accord format) and GMCR+ ``.gmcr`` files.

accord format (every key except ``decision_makers`` and ``preferences`` is optional)::

    name: Elmira groundwater conflict
    decision_makers:
      - {name: MoE, options: [Modify]}
      - {name: UR, options: [Delay, Accept, Abandon]}
      - {name: LG, options: [Insist]}
    infeasible: ["-YY--", "-NNN-", "Delay & Abandon"]   # patterns (Y, N, - = either) or statements
    mutually_exclusive: [[Delay, Accept, Abandon]]      # at most one of these
    at_least_one: [[Delay, Accept, Abandon]]
    irreversible:                                       # the change that can NOT be made
      - {option: Modify, direction: "Y->N"}             # once taken, cannot be withdrawn
      - {option: Abandon, direction: "Y->N"}
    status_quo: NYNNN
    preferences:                                        # most to least preferred
      MoE: [NNYNN, [YNYNN, YNYNY], ...]                 # ranking; a nested list is a tie; '-' expands
      UR:
        prioritize:                                     # or option prioritization statements
          - "-Modify iff Accept"
          - {statement: "-Abandon", source: "S12", note: "..."}

Every error names ``file:line:column`` and the field, with a did-you-mean for unknown names.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from accord.conflict.logic import (
    Node,
    StatementError,
    evaluate,
    parse_statement,
    prioritization_scores,
    rank_from_scores,
)
from accord.conflict.model import (
    DIRECTIONS,
    FORBID_N_TO_Y,
    FORBID_NONE,
    FORBID_Y_TO_N,
    MAX_OPTIONS,
    ConflictModel,
    build_model,
    code_to_pattern,
    pattern_mask,
)
from accord.errors import Location, ModelError, did_you_mean, one_of
from accord.yamlio import Document, PathKey, parse_text, read_bytes

_PATTERN = re.compile(r"^[YN-]+$")
_KEYS = {
    "name",
    "description",
    "decision_makers",
    "infeasible",
    "mutually_exclusive",
    "at_least_one",
    "irreversible",
    "preferences",
    "status_quo",
    "sources",
    "notes",
    "date",
    "citation",
}


#: Keys of a decision maker, of a DM's preferences given as a mapping, and of a priority statement
#: given as a mapping.
DM_KEYS = ("name", "options", "description", "source", "note")
PREFERENCE_KEYS = ("ranking", "prioritize", "unknown", "source", "estimate", "note")
STATEMENT_KEYS = ("statement", "source", "estimate", "note")
#: Keys of an option given as a mapping: ``label`` is the plain-words phrase reports use, written
#: with the decision maker as subject ("launches an expanded offensive").
OPTION_KEYS = ("name", "label", "description", "source", "note")
#: Keys of an ``infeasible`` entry given as a mapping (exactly one of ``pattern``, ``statement``).
INFEASIBLE_KEYS = ("pattern", "statement", "source", "note")
#: Keys of an ``irreversible`` entry (``direction`` defaults to ``Y->N``: once taken, kept).
IRREVERSIBLE_KEYS = ("option", "direction", "source", "note")


def builtin_names() -> list[str]:
    """Names of the built-in models (``accord.conflict.builtin/*.yaml``)."""
    root = resources.files("accord.conflict") / "builtin"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_model(source: str | Path) -> ConflictModel:
    """Load a conflict model from a file path or a built-in name.

    ``.gmcr`` files are read as GMCR+ save files (:func:`parse_gmcr`); anything else as the accord
    YAML/JSON format (:func:`parse_model`).

    Raises
    ------
    accord.errors.ModelError
        With ``file:line:column`` for every problem in the input.
    """
    text = str(source)
    p = Path(text)
    if not p.exists() and "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        names = builtin_names()
        if text in names:
            data = (resources.files("accord.conflict") / "builtin" / f"{text}.yaml").read_bytes()
            return parse_model(parse_text(data, text, ModelError))
        if not text.endswith((".json", ".gmcr")):
            raise ModelError(
                f"no such file or built-in model{did_you_mean(text, names)}; built-ins: {one_of(names)}",
                Location(text),
            )
    raw = read_bytes(p, ModelError)
    if text.lower().endswith(".gmcr"):
        return parse_gmcr(raw, text)
    return parse_model(parse_text(raw, text, ModelError))


def loads_model(text: str, name: str = "<string>") -> ConflictModel:
    """Parse a model from YAML text."""
    return parse_model(parse_text(text, name, ModelError))


class _Ctx:
    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def err(self, message: str, path: PathKey, *, key: bool = False) -> ModelError:
        return ModelError(message, self.doc.location(path, key=key))


def _name(ctx: _Ctx, value: Any, path: PathKey, what: str) -> str:
    """A name must be text: YAML turns yes/no/on/off into booleans, ~ into null, 12 into a number."""
    if value is None:
        raise ctx.err(f"{what} is missing (null)", path)
    if not isinstance(value, str):
        hint = "; write it in quotes" if isinstance(value, bool | int | float) else ""
        raise ctx.err(f"expected {what} as text, got {_yaml_kind(value)} {value!r}{hint}", path)
    if not value.strip():
        raise ctx.err(f"{what} is empty", path)
    return value


def _yaml_kind(value: Any) -> str:
    """What a parsed YAML/JSON value is, in the words of the file (not Python's type names)."""
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _check_keys(ctx: _Ctx, item: dict[str, Any], allowed: tuple[str, ...], path: PathKey, what: str) -> None:
    """Refuse a key outside ``allowed``, with a did-you-mean and the valid keys."""
    for key in item:
        if key not in allowed:
            raise ctx.err(
                f"unknown key '{key}'{did_you_mean(str(key), allowed)}; {what} takes {', '.join(allowed)}",
                (*path, key),
                key=True,
            )


def _list_or_none(ctx: _Ctx, data: dict[str, Any], key: str, what: str) -> list[Any]:
    """An optional list: absent or null is empty; anything else must be a list."""
    value = data.get(key)
    if value is None:
        return []
    return list(_expect(ctx, value, list, (key,), what))


def _expect(ctx: _Ctx, value: Any, kind: type | tuple[type, ...], path: PathKey, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        got = "nothing (null)" if value is None else f"{_yaml_kind(value)} {value!r}"
        raise ctx.err(f"expected {what}, got {got}", path)
    return value


def parse_model(doc: Document) -> ConflictModel:
    """Validate a parsed document and build the model (see the module docstring for the format)."""
    ctx = _Ctx(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise ctx.err("a conflict model is a mapping with 'decision_makers' and 'preferences'", ())
    for key in data:
        if key not in _KEYS:
            raise ctx.err(
                f"unknown key '{key}'{did_you_mean(key, _KEYS)}; valid keys: {one_of(sorted(_KEYS), 20)}",
                (key,),
                key=True,
            )
    for req in ("decision_makers", "preferences"):
        if req not in data:
            raise ctx.err(f"missing '{req}'", ())
    name = str(data.get("name") or Path(doc.file).stem)

    # -- decision makers and options --------------------------------------------------------------
    dms_raw = _expect(ctx, data["decision_makers"], list, ("decision_makers",), "a list of decision makers")
    if not dms_raw:
        raise ctx.err("give at least one decision maker", ("decision_makers",))
    dms: list[tuple[str, list[str]]] = []
    opt_meta: list[dict[str, Any]] = []
    dm_meta: list[dict[str, Any]] = []
    opt_paths: list[PathKey] = []
    for k, d in enumerate(dms_raw):
        path: PathKey = ("decision_makers", k)
        _expect(ctx, d, dict, path, "a mapping {name: ..., options: [...]}")
        _check_keys(ctx, d, DM_KEYS, path, "a decision maker")
        if "name" not in d or "options" not in d:
            raise ctx.err("a decision maker needs 'name' and 'options'", path)
        dm_name = _name(ctx, d["name"], (*path, "name"), "a decision maker's name")
        if dm_name in [x[0] for x in dms]:
            raise ctx.err(f"decision maker '{dm_name}' is given twice", (*path, "name"))
        opts_raw = _expect(ctx, d["options"], list, (*path, "options"), "a list of option names")
        if not opts_raw:
            raise ctx.err("a decision maker needs at least one option", (*path, "options"))
        names: list[str] = []
        for j, o in enumerate(opts_raw):
            if isinstance(o, dict):
                if "name" not in o:
                    raise ctx.err("an option given as a mapping needs 'name'", (*path, "options", j))
                _check_keys(ctx, o, OPTION_KEYS, (*path, "options", j), "an option")
                if "label" in o and (not isinstance(o["label"], str) or not o["label"].strip()):
                    raise ctx.err(
                        "label must be a short phrase, e.g. 'launches an expanded offensive'",
                        (*path, "options", j, "label"),
                    )
                oname = _name(ctx, o["name"], (*path, "options", j, "name"), "an option name")
                opt_meta.append({k2: v for k2, v in o.items() if k2 != "name"})
            else:
                oname = _name(ctx, o, (*path, "options", j), "an option name")
                opt_meta.append({})
            if oname in names:
                raise ctx.err(f"option '{oname}' is given twice for {dm_name}", (*path, "options", j))
            names.append(oname)
            opt_paths.append((*path, "options", j))
        dms.append((dm_name, names))
        dm_meta.append({k2: v for k2, v in d.items() if k2 not in ("name", "options")})
    all_opts = [(dm, o) for dm, opts in dms for o in opts]
    n = len(all_opts)
    qualified = {f"{dm}.{o}": (dm, o) for dm, o in all_opts}
    for (dm, o), opath in zip(all_opts, opt_paths, strict=True):
        if o in qualified and qualified[o] != (dm, o):
            other_dm, other_o = qualified[o]
            raise ctx.err(
                f"option name '{o}' of {dm} reads as {other_dm}'s option '{other_o}'; rename one of them",
                opath,
            )
    if n > MAX_OPTIONS:
        raise ctx.err(f"{n} options; at most {MAX_OPTIONS} are supported", ("decision_makers",))
    n_codes = 2**n
    codes_all = np.arange(n_codes, dtype=np.int64)
    columns: dict[str, np.ndarray] = {}
    plain_count: dict[str, int] = {}
    for _, o in all_opts:
        plain_count[o] = plain_count.get(o, 0) + 1
    for i, (dm, o) in enumerate(all_opts):
        col = ((codes_all >> i) & 1).astype(bool)
        columns[f"{dm}.{o}"] = col
        if plain_count[o] == 1:
            columns[o] = col
    opt_index = {f"{dm}.{o}": i for i, (dm, o) in enumerate(all_opts)}
    for i, (_dm, o) in enumerate(all_opts):
        if plain_count[o] == 1:
            opt_index[o] = i

    def option_ref(ref: Any, path: PathKey) -> int:
        r = str(ref)
        if r in opt_index:
            return opt_index[r]
        if plain_count.get(r, 0) > 1:
            owners = [dm for dm, o in all_opts if o == r]
            raise ctx.err(
                f"option '{r}' belongs to several decision makers; "
                f"write {one_of(f'{d}.{r}' for d in owners)}",
                path,
            )
        raise ctx.err(f"unknown option '{r}'{did_you_mean(r, opt_index)}", path)

    def statement(text: Any, path: PathKey) -> tuple[Node, np.ndarray]:
        if not isinstance(text, str):
            raise ctx.err(f"expected a statement such as 'Opt1 & -Opt2', got {text!r}", path)
        try:
            node = parse_statement(text)
        except StatementError as exc:
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise ctx.err(f"{exc.message} (at character {exc.column} of '{shown}')", path) from None
        for ref, col in node.names():
            if ref not in columns:
                option_ref(ref, path)  # raises with did-you-mean / ambiguity
                raise ctx.err(f"unknown option '{ref}' at character {col}", path)  # pragma: no cover
        return node, evaluate(node, columns)

    def pattern(text: str, path: PathKey) -> np.ndarray:
        if len(text) != n:
            raise ctx.err(
                f"pattern '{text}' has {len(text)} letters; give {n}, one per option in order "
                f"({', '.join(o for _, o in all_opts)})",
                path,
            )
        return pattern_mask(text, n_codes)

    # -- feasibility ------------------------------------------------------------------------------
    infeasible = np.zeros(n_codes, dtype=bool)
    inf_raw = _list_or_none(ctx, data, "infeasible", "a list of patterns or statements")
    for k, item in enumerate(inf_raw):
        path = ("infeasible", k)
        if isinstance(item, dict):
            _check_keys(ctx, item, INFEASIBLE_KEYS, path, "an infeasible entry")
            if ("pattern" in item) == ("statement" in item):
                raise ctx.err("give exactly one of 'pattern' or 'statement'", path)
            text = item.get("pattern", item.get("statement"))
            path = (*path, "pattern" if "pattern" in item else "statement")
        else:
            text = item
        if not isinstance(text, str):
            raise ctx.err(f"expected a pattern like 'YN-' or a statement, got {text!r}", path)
        if _PATTERN.match(text) and text not in columns:
            infeasible |= pattern(text, path)
        else:
            infeasible |= statement(text, path)[1]
    for key, at_most in (("mutually_exclusive", True), ("at_least_one", False)):
        groups = _list_or_none(ctx, data, key, "a list of lists of options")
        for k, group in enumerate(groups):
            _expect(ctx, group, list, (key, k), "a list of options")
            if len(group) < 2 and at_most:
                raise ctx.err("a mutually exclusive group needs at least two options", (key, k))
            idx = []
            for j, o in enumerate(group):
                oi = option_ref(o, (key, k, j))
                if oi in idx:
                    raise ctx.err(f"option '{o}' is listed twice in this group", (key, k, j))
                idx.append(oi)
            count = sum(((codes_all >> i) & 1) for i in idx)
            infeasible |= count > 1 if at_most else count == 0
    if infeasible.all():
        raise ctx.err("every state is infeasible; relax the constraints", ("infeasible",))
    feasible_codes = np.flatnonzero(~infeasible)

    # -- irreversibility --------------------------------------------------------------------------
    forbid = [FORBID_NONE] * n
    irr = _list_or_none(ctx, data, "irreversible", "a list of {option, direction}")
    for k, item in enumerate(irr):
        path = ("irreversible", k)
        _expect(ctx, item, dict, path, "a mapping {option: ..., direction: 'Y->N'}")
        _check_keys(ctx, item, IRREVERSIBLE_KEYS, path, "an irreversible move")
        if "option" not in item:
            raise ctx.err("give 'option'", path)
        oi = option_ref(item["option"], (*path, "option"))
        direction = str(item.get("direction", "Y->N")).replace(" ", "")
        if direction not in DIRECTIONS:
            raise ctx.err(
                f"direction '{direction}' is not one of {one_of(DIRECTIONS)} "
                "(the change that cannot be made)",
                (*path, "direction"),
            )
        forbid[oi] |= DIRECTIONS[direction]

    # -- preferences ------------------------------------------------------------------------------
    prefs = _expect(ctx, data["preferences"], dict, ("preferences",), "a mapping from DM name to ranking")
    dm_names = [d for d, _ in dms]
    for key in prefs:
        if key not in dm_names:
            raise ctx.err(
                f"unknown decision maker '{key}'{did_you_mean(key, dm_names)}", ("preferences", key), key=True
            )
    index = np.full(n_codes, -1, dtype=np.int64)
    index[feasible_codes] = np.arange(feasible_codes.size)
    m = feasible_codes.size
    levels = np.zeros((len(dms), m), dtype=np.int64)
    pref_meta: dict[str, Any] = {}
    unknown_meta: dict[str, list[tuple[int, int]]] = {}
    for di, dm in enumerate(dm_names):
        if dm not in prefs:
            raise ctx.err(f"no preferences for '{dm}'", ("preferences",))
        spec = prefs[dm]
        path = ("preferences", dm)
        meta: dict[str, Any] = {}
        if isinstance(spec, dict):
            _check_keys(ctx, spec, PREFERENCE_KEYS, path, "a preference entry")
            meta = {k2: v for k2, v in spec.items() if k2 in ("source", "estimate", "note")}
            if ("ranking" in spec) == ("prioritize" in spec):
                raise ctx.err("give exactly one of 'ranking' or 'prioritize'", path)
            if "ranking" in spec:
                levels[di] = _ranking(
                    ctx, spec["ranking"], (*path, "ranking"), n, pattern, infeasible, index, m
                )
            else:
                stmts = _expect(ctx, spec["prioritize"], list, (*path, "prioritize"), "a list of statements")
                if not stmts:
                    raise ctx.err("give at least one statement", (*path, "prioritize"))
                truths = []
                smeta = []
                for k, st in enumerate(stmts):
                    spath: PathKey = (*path, "prioritize", k)
                    if isinstance(st, dict):
                        _check_keys(ctx, st, STATEMENT_KEYS, spath, "a statement entry")
                        if "statement" not in st:
                            raise ctx.err("give 'statement'", spath)
                        text = st["statement"]
                        smeta.append({k2: v for k2, v in st.items()})
                        spath = (*spath, "statement")
                    else:
                        text = st
                        smeta.append({"statement": st})
                    truths.append(statement(text, spath)[1][feasible_codes])
                levels[di] = rank_from_scores(prioritization_scores(truths))
                meta["prioritize"] = smeta
            if "unknown" in spec:
                pairs_raw = _expect(
                    ctx, spec["unknown"], list, (*path, "unknown"), "a list of [state, state] pairs"
                )
                pairs: list[tuple[int, int]] = []
                for k, pair in enumerate(pairs_raw):
                    ppath: PathKey = (*path, "unknown", k)
                    if not isinstance(pair, list) or len(pair) != 2:
                        raise ctx.err("an unknown-preference entry is a pair [state, state]", ppath)
                    sides = []
                    for j, item in enumerate(pair):
                        if not isinstance(item, str) or not _PATTERN.match(item):
                            raise ctx.err(
                                f"expected a state pattern of Y, N and -, got {item!r}", (*ppath, j)
                            )
                        hit = np.flatnonzero(pattern(item, (*ppath, j)) & ~infeasible)
                        if hit.size == 0:
                            raise ctx.err(f"'{item}' names only infeasible states", (*ppath, j))
                        sides.append(index[hit])
                    pairs += [(int(a), int(b)) for a in sides[0] for b in sides[1] if a != b]
                unknown_meta[dm] = pairs
        else:
            levels[di] = _ranking(ctx, spec, path, n, pattern, infeasible, index, m)
        pref_meta[dm] = meta

    model = build_model(
        name,
        dms,
        infeasible=infeasible,
        forbid=forbid,
        levels=levels,
        meta={
            "description": data.get("description"),
            "decision_makers": {d: dm_meta[k] for k, d in enumerate(dm_names)},
            "options": opt_meta,
            "preferences": pref_meta,
            "unknown": unknown_meta,
            "sources": data.get("sources"),
            "notes": data.get("notes"),
            "file": doc.file,
        },
    )
    if "status_quo" in data:
        sq = data["status_quo"]
        if not isinstance(sq, str):
            raise ctx.err("status_quo is a pattern such as 'NYN'", ("status_quo",))
        mask = pattern(sq, ("status_quo",))
        if not re.fullmatch(r"[YN]+", sq):
            raise ctx.err(
                f"status_quo '{sq}' must be one state: Y or N for every option (no '-')", ("status_quo",)
            )
        hits = np.flatnonzero(mask & ~infeasible)
        if hits.size != 1:
            raise ctx.err(
                f"status_quo '{sq}' is an infeasible state (ruled out under 'infeasible' or the option "
                "constraints); give a feasible one",
                ("status_quo",),
            )
        model.status_quo = int(index[hits[0]])
    return model


def _ranking(
    ctx: _Ctx,
    spec: Any,
    path: PathKey,
    n: int,
    pattern: Any,
    infeasible: np.ndarray,
    index: np.ndarray,
    m: int,
) -> np.ndarray:
    if not isinstance(spec, list):
        raise ctx.err(
            "a ranking is a list of states, most preferred first (nested list = tie), "
            "or a mapping with 'ranking' or 'prioritize'",
            path,
        )
    levels = np.full(m, -1, dtype=np.int64)
    where: dict[int, PathKey] = {}
    top = len(spec)
    for g, entry in enumerate(spec):
        items = entry if isinstance(entry, list) else [entry]
        for j, item in enumerate(items):
            ipath = (*path, g, j) if isinstance(entry, list) else (*path, g)
            if not isinstance(item, str) or not _PATTERN.match(item):
                raise ctx.err(f"expected a state pattern of Y, N and - ({n} letters), got {item!r}", ipath)
            mask = pattern(item, ipath)
            hit = np.flatnonzero(mask & ~infeasible)
            if hit.size == 0:
                raise ctx.err(f"'{item}' names only infeasible states; rank feasible states only", ipath)
            ids = index[hit]
            dup = ids[levels[ids] >= 0]
            if dup.size:
                first = where[int(dup[0])]
                loc = ctx.doc.location(first)
                raise ctx.err(
                    f"state {code_to_pattern(int(hit[levels[ids] >= 0][0]), n)} is ranked twice "
                    f"(first on line {loc.line})",
                    ipath,
                )
            levels[ids] = top - g
            for s in ids:
                where[int(s)] = ipath
    missing = np.flatnonzero(levels < 0)
    if missing.size:
        codes = np.flatnonzero(~infeasible)[missing]
        shown = ", ".join(code_to_pattern(int(c), n) for c in codes[:6])
        more = f" and {missing.size - 6} more" if missing.size > 6 else ""
        raise ctx.err(
            f"ranking misses {missing.size} feasible state(s): {shown}{more}; "
            "rank every feasible state (use '-' to group states)",
            path,
        )
    return levels


# -- GMCR+ ---------------------------------------------------------------------------------------


def parse_gmcr(raw: bytes | str, name: str = "<gmcr>") -> ConflictModel:
    """Read a GMCR+ save file (JSON: ``options``, ``decisionMakers``, ``infeasibles``).

    Format as written by GMCR+ 0.3-0.4: options carry ``permittedDirection`` (``fwd``: may only be
    taken, ``back``: may only be dropped, ``both``); each DM lists option indices, prioritization
    ``preferences`` (a list of conditions ``[[option, "Y"|"N"], ...]``, or ``{"compound": true,
    "members": [conditions]}`` for an OR of conditions) and, when ``useManualPreferenceRanking``
    (older files: ``useManualPreferenceVectors``) is true, ``preferenceRanking`` (older:
    ``preferenceVector``): 1-based numbers of feasible states in increasing code order, nested
    lists for ties. Options are reordered so that each DM's options are contiguous, as GMCR+ does.
    Every value is type-checked; errors name ``file:line:column`` and the field, as for YAML models.
    """
    doc = parse_text(raw, name if name.endswith(".json") else name + ".json", ModelError)
    doc.file = name
    ctx = _Ctx(doc)
    data = doc.data
    if not isinstance(data, dict) or "options" not in data or "decisionMakers" not in data:
        raise ctx.err("not a GMCR+ file: expected keys 'options' and 'decisionMakers'", ())
    options = _expect(ctx, data["options"], list, ("options",), "a list of options")
    dms = _expect(ctx, data["decisionMakers"], list, ("decisionMakers",), "a list of decision makers")
    if not options:
        raise ctx.err("no options; a model needs at least one", ("options",))
    if len(options) > MAX_OPTIONS:
        raise ctx.err(f"{len(options)} options; at most {MAX_OPTIONS} are supported", ("options",))
    if not dms:
        raise ctx.err("no decision makers; a model needs at least one", ("decisionMakers",))
    opt_names: list[str] = []
    for k, o in enumerate(options):
        if isinstance(o, dict):
            oname = o.get("name", f"opt{k}")
            opt_names.append(_name(ctx, oname, ("options", k, "name"), "an option name"))
        else:
            opt_names.append(_name(ctx, o, ("options", k), "an option name"))

    def index_of(value: Any, path: PathKey) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(options):
            raise ctx.err(f"expected an option index from 0 to {len(options) - 1}, got {value!r}", path)
        return value

    order: list[int] = []
    groups: list[tuple[str, list[int]]] = []
    for k, d in enumerate(dms):
        path: PathKey = ("decisionMakers", k)
        _expect(ctx, d, dict, path, "a decision maker")
        if d.get("misperceptions"):
            raise ctx.err("misperceptions are not supported", (*path, "misperceptions"))
        dm_name = _name(ctx, d.get("name", f"DM{k + 1}"), (*path, "name"), "a decision maker's name")
        if dm_name in [g for g, _ in groups]:
            raise ctx.err(f"decision maker '{dm_name}' is given twice", (*path, "name"))
        idx_raw = _expect(ctx, d.get("options", []), list, (*path, "options"), "a list of option indices")
        if not idx_raw:
            raise ctx.err(f"decision maker '{dm_name}' has no options", (*path, "options"))
        idx = [index_of(i, (*path, "options", j)) for j, i in enumerate(idx_raw)]
        for j, i in enumerate(idx):
            if i in order or i in idx[:j]:
                raise ctx.err(f"option {i} is given to two decision makers, or twice", (*path, "options", j))
        names = [opt_names[i] for i in idx]
        for j, oname in enumerate(names):
            if oname in names[:j]:
                raise ctx.err(f"option '{oname}' is given twice for {dm_name}", (*path, "options", j))
        order.extend(idx)
        groups.append((dm_name, idx))
    if sorted(order) != list(range(len(options))):
        unowned = sorted(set(range(len(options))) - set(order))
        raise ctx.err(
            f"every option must belong to one decision maker; option(s) {unowned} belong to none",
            ("decisionMakers",),
        )
    new_pos = {old: new for new, old in enumerate(order)}
    n = len(order)
    n_codes = 2**n
    codes_all = np.arange(n_codes, dtype=np.int64)

    def cond_mask(cond: Any, path: PathKey) -> np.ndarray:
        if isinstance(cond, dict):
            members = _expect(ctx, cond.get("members"), list, (*path, "members"), "a list of conditions")
            out = np.zeros(n_codes, dtype=bool)
            for j, mem in enumerate(members):
                out |= cond_mask(mem, (*path, "members", j))
            return out
        _expect(ctx, cond, list, path, "a condition (a list of [option index, 'Y' or 'N'] pairs)")
        ok = np.ones(n_codes, dtype=bool)
        for j, pair in enumerate(cond):
            if not isinstance(pair, list) or len(pair) != 2 or pair[1] not in ("Y", "N"):
                raise ctx.err(f"expected an [option index, 'Y' or 'N'] pair, got {pair!r}", (*path, j))
            bit = (codes_all >> new_pos[index_of(pair[0], (*path, j, 0))]) & 1
            ok &= bit == (1 if pair[1] == "Y" else 0)
        return ok

    infeasible = np.zeros(n_codes, dtype=bool)
    inf_raw = _list_or_none(ctx, data, "infeasibles", "a list of conditions")
    for k, cond in enumerate(inf_raw):
        infeasible |= cond_mask(cond, ("infeasibles", k))
    if infeasible.all():
        raise ctx.err("every state is infeasible", ("infeasibles",))
    feasible_codes = np.flatnonzero(~infeasible)
    m = feasible_codes.size
    forbid = [FORBID_NONE] * n
    for k, o in enumerate(options):
        direction = o.get("permittedDirection", "both") if isinstance(o, dict) else "both"
        if direction == "fwd":
            forbid[new_pos[k]] = FORBID_Y_TO_N
        elif direction == "back":
            forbid[new_pos[k]] = FORBID_N_TO_Y
        elif direction != "both":
            raise ctx.err(
                f"permittedDirection {direction!r} is not 'fwd', 'back' or 'both'",
                ("options", k, "permittedDirection"),
            )
    flag = (
        "useManualPreferenceRanking" if "useManualPreferenceRanking" in data else "useManualPreferenceVectors"
    )
    manual = _expect(ctx, data.get(flag, False), bool, (flag,), "true or false")
    levels = np.zeros((len(dms), m), dtype=np.int64)
    for k, d in enumerate(dms):
        if manual:
            key = "preferenceRanking" if "preferenceRanking" in d else "preferenceVector"
            path = ("decisionMakers", k, key)
            ranking = d.get(key)
            if not isinstance(ranking, list):
                raise ctx.err("missing preference ranking (a list of state numbers)", ("decisionMakers", k))
            lv = np.full(m, -1, dtype=np.int64)
            for g, entry in enumerate(ranking):
                for s in entry if isinstance(entry, list) else [entry]:
                    if not isinstance(s, int) or isinstance(s, bool) or not 1 <= s <= m or lv[s - 1] >= 0:
                        raise ctx.err(f"state number {s!r} is out of 1..{m} or ranked twice", (*path, g))
                    lv[s - 1] = len(ranking) - g
            if (lv < 0).any():
                raise ctx.err(f"ranking misses {(lv < 0).sum()} feasible states", path)
            levels[k] = lv
        else:
            prefs = _expect(
                ctx,
                d.get("preferences", []),
                list,
                ("decisionMakers", k, "preferences"),
                "a list of conditions",
            )
            truths = [
                cond_mask(c, ("decisionMakers", k, "preferences", j))[feasible_codes]
                for j, c in enumerate(prefs)
            ]
            if truths:
                levels[k] = rank_from_scores(prioritization_scores(truths))
    dm_list = [(g, [opt_names[i] for i in idx]) for g, idx in groups]
    return build_model(
        Path(name).stem, dm_list, infeasible=infeasible, forbid=forbid, levels=levels, meta={"file": name}
    )
