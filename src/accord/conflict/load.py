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


#: Keys of an option given as a mapping: ``label`` is the plain-words phrase reports use, written
#: with the decision maker as subject ("launches an expanded offensive").
OPTION_KEYS = ("name", "label", "description", "source", "note")
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


def _expect(ctx: _Ctx, value: Any, kind: type | tuple[type, ...], path: PathKey, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ctx.err(f"expected {what}, got {type(value).__name__} {value!r}", path)
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
    for k, d in enumerate(dms_raw):
        path: PathKey = ("decision_makers", k)
        _expect(ctx, d, dict, path, "a mapping {name: ..., options: [...]}")
        for key in d:
            if key not in ("name", "options", "description", "source", "note"):
                raise ctx.err(
                    f"unknown key '{key}'{did_you_mean(key, ['name', 'options', 'description'])}",
                    (*path, key),
                    key=True,
                )
        if "name" not in d or "options" not in d:
            raise ctx.err("a decision maker needs 'name' and 'options'", path)
        dm_name = str(d["name"])
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
                for key in o:
                    if key not in OPTION_KEYS:
                        raise ctx.err(
                            f"unknown key '{key}'{did_you_mean(key, OPTION_KEYS)}; "
                            f"an option takes {', '.join(OPTION_KEYS)}",
                            (*path, "options", j, key),
                            key=True,
                        )
                if "label" in o and (not isinstance(o["label"], str) or not o["label"].strip()):
                    raise ctx.err(
                        "label must be a short phrase, e.g. 'launches an expanded offensive'",
                        (*path, "options", j, "label"),
                    )
                oname = str(o["name"])
                opt_meta.append({k2: v for k2, v in o.items() if k2 != "name"})
            else:
                oname = str(o)
                opt_meta.append({})
            if not oname.strip():
                raise ctx.err("empty option name", (*path, "options", j))
            if oname in names:
                raise ctx.err(f"option '{oname}' is given twice for {dm_name}", (*path, "options", j))
            names.append(oname)
        dms.append((dm_name, names))
        dm_meta.append({k2: v for k2, v in d.items() if k2 not in ("name", "options")})
    all_opts = [(dm, o) for dm, opts in dms for o in opts]
    n = len(all_opts)
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
            raise ctx.err(f"{exc.message} (at character {exc.column} of '{text}')", path) from None
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
    inf_raw = data.get("infeasible") or []
    _expect(ctx, inf_raw, list, ("infeasible",), "a list of patterns or statements")
    for k, item in enumerate(inf_raw):
        path = ("infeasible", k)
        if isinstance(item, dict):
            text = item.get("pattern", item.get("statement"))
            if text is None:
                raise ctx.err("give 'pattern' or 'statement'", path)
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
        groups = data.get(key) or []
        _expect(ctx, groups, list, (key,), "a list of lists of options")
        for k, group in enumerate(groups):
            _expect(ctx, group, list, (key, k), "a list of options")
            if len(group) < 2 and at_most:
                raise ctx.err("a mutually exclusive group needs at least two options", (key, k))
            idx = [option_ref(o, (key, k, j)) for j, o in enumerate(group)]
            count = sum(((codes_all >> i) & 1) for i in idx)
            infeasible |= count > 1 if at_most else count == 0
    if infeasible.all():
        raise ctx.err("every state is infeasible; relax the constraints", ("infeasible",))
    feasible_codes = np.flatnonzero(~infeasible)

    # -- irreversibility --------------------------------------------------------------------------
    forbid = [FORBID_NONE] * n
    irr = data.get("irreversible") or []
    _expect(ctx, irr, list, ("irreversible",), "a list of {option, direction}")
    for k, item in enumerate(irr):
        path = ("irreversible", k)
        _expect(ctx, item, dict, path, "a mapping {option: ..., direction: 'Y->N'}")
        for key in item:
            if key not in IRREVERSIBLE_KEYS:
                raise ctx.err(
                    f"unknown key '{key}'{did_you_mean(key, IRREVERSIBLE_KEYS)}; "
                    f"an irreversible move takes {', '.join(IRREVERSIBLE_KEYS)}",
                    (*path, key),
                    key=True,
                )
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
            allowed = {"ranking", "prioritize", "unknown", "source", "estimate", "note"}
            for key in spec:
                if key not in allowed:
                    raise ctx.err(f"unknown key '{key}'{did_you_mean(key, allowed)}", (*path, key), key=True)
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
                        for key in st:
                            if key not in ("statement", "source", "estimate", "note"):
                                raise ctx.err(
                                    f"unknown key '{key}'"
                                    f"{did_you_mean(key, ['statement', 'source', 'estimate'])}",
                                    (*spath, key),
                                    key=True,
                                )
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
    """
    doc = parse_text(raw, name if name.endswith(".json") else name + ".json", ModelError)
    doc.file = name
    ctx = _Ctx(doc)
    data = doc.data
    if not isinstance(data, dict) or "options" not in data or "decisionMakers" not in data:
        raise ctx.err("not a GMCR+ file: expected keys 'options' and 'decisionMakers'", ())
    options = _expect(ctx, data["options"], list, ("options",), "a list of options")
    dms = _expect(ctx, data["decisionMakers"], list, ("decisionMakers",), "a list of decision makers")
    order: list[int] = []
    groups: list[tuple[str, list[int]]] = []
    for k, d in enumerate(dms):
        _expect(ctx, d, dict, ("decisionMakers", k), "a decision maker")
        if d.get("misperceptions"):
            raise ctx.err("misperceptions are not supported", ("decisionMakers", k, "misperceptions"))
        idx = [int(i) for i in d.get("options", [])]
        for j, i in enumerate(idx):
            if not 0 <= i < len(options) or i in order:
                raise ctx.err(
                    f"option index {i} is out of range or used twice", ("decisionMakers", k, "options", j)
                )
        order.extend(idx)
        groups.append((str(d.get("name", f"DM{k + 1}")), idx))
    if sorted(order) != list(range(len(options))):
        raise ctx.err("every option must belong to exactly one decision maker", ("decisionMakers",))
    new_pos = {old: new for new, old in enumerate(order)}
    n = len(order)
    n_codes = 2**n
    codes_all = np.arange(n_codes, dtype=np.int64)

    def cond_mask(cond: Any, path: PathKey) -> np.ndarray:
        if isinstance(cond, dict):
            out = np.zeros(n_codes, dtype=bool)
            for j, mem in enumerate(cond.get("members", [])):
                out |= cond_mask(mem, (*path, "members", j))
            return out
        ok = np.ones(n_codes, dtype=bool)
        for j, pair in enumerate(cond):
            if not isinstance(pair, list) or len(pair) != 2 or pair[1] not in ("Y", "N"):
                raise ctx.err("a condition is a list of [option index, 'Y' or 'N']", (*path, j))
            bit = (codes_all >> new_pos[int(pair[0])]) & 1
            ok &= bit == (1 if pair[1] == "Y" else 0)
        return ok

    infeasible = np.zeros(n_codes, dtype=bool)
    for k, cond in enumerate(data.get("infeasibles", [])):
        infeasible |= cond_mask(cond, ("infeasibles", k))
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
            raise ctx.err(f"permittedDirection '{direction}' is not fwd, back or both", ("options", k))
    manual = bool(data.get("useManualPreferenceRanking", data.get("useManualPreferenceVectors", False)))
    levels = np.zeros((len(dms), m), dtype=np.int64)
    for k, d in enumerate(dms):
        if manual:
            key = "preferenceRanking" if "preferenceRanking" in d else "preferenceVector"
            ranking = d.get(key)
            path: PathKey = ("decisionMakers", k, key)
            if not isinstance(ranking, list):
                raise ctx.err("missing preference ranking", ("decisionMakers", k))
            lv = np.full(m, -1, dtype=np.int64)
            for g, entry in enumerate(ranking):
                for s in entry if isinstance(entry, list) else [entry]:
                    if not isinstance(s, int) or not 1 <= s <= m or lv[s - 1] >= 0:
                        raise ctx.err(f"state number {s!r} is out of 1..{m} or ranked twice", (*path, g))
                    lv[s - 1] = len(ranking) - g
            if (lv < 0).any():
                raise ctx.err(f"ranking misses {(lv < 0).sum()} feasible states", path)
            levels[k] = lv
        else:
            truths = [
                cond_mask(c, ("decisionMakers", k, "preferences", j))[feasible_codes]
                for j, c in enumerate(d.get("preferences", []))
            ]
            if truths:
                levels[k] = rank_from_scores(prioritization_scores(truths))
    opt_names = [
        str(o.get("name", f"opt{k}")) if isinstance(o, dict) else str(o) for k, o in enumerate(options)
    ]
    dm_list = [(g, [opt_names[i] for i in idx]) for g, idx in groups]
    return build_model(
        Path(name).stem, dm_list, infeasible=infeasible, forbid=forbid, levels=levels, meta={"file": name}
    )
