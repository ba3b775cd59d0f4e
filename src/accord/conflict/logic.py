"""Logical statements over options, and option prioritization.

A statement is a propositional formula over option names, as in GMCR II (Fang, Hipel, Kilgour &
Peng 2003, "A decision support system for interactive decision making, Part I", IEEE SMC-C 33(1)):

========================  =====================================================
``Opt1``                  option taken
``-Opt1``, ``not Opt1``   option not taken (``!`` and ``~`` also work)
``A & B``, ``A and B``    both
``A | B``, ``A or B``     either
``A if B``                ``A`` holds whenever ``B`` does (``B`` implies ``A``)
``A iff B``               both or neither
``( ... )``               grouping
========================  =====================================================

Precedence, loosest first: ``iff``, ``if``, ``or``, ``and``, ``not``. Option names are words
(letters, digits, ``_``, ``.``); a name with other characters is written in double quotes.

Option prioritization (Fang et al. 2003, Sec. III): DM *i* lists statements from most to least
important; state *s* scores ``sum_k 2**(K-k) * [statement k holds at s]`` and states are ranked by
score (equal scores are tied). This ranks first by the most important statement, then breaks ties
by the next, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

BoolArray = NDArray[np.bool_]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lp>\() | (?P<rp>\)) |
        (?P<not>[-!~]) | (?P<and>&&?) | (?P<or>\|\|?) |
        (?P<q>"[^"]*") |
        (?P<word>[A-Za-z0-9_.][A-Za-z0-9_.']*)
    )""",
    re.VERBOSE,
)


class StatementError(ValueError):
    """A statement cannot be parsed; ``column`` is 1-based inside the statement."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Node:
    """A parsed statement: ``op`` is ``var``, ``not``, ``and``, ``or``, ``if`` or ``iff``."""

    op: str
    args: tuple[Node, ...] = ()
    name: str = ""
    column: int = 0

    def names(self) -> list[tuple[str, int]]:
        """Option names used, with their columns."""
        if self.op == "var":
            return [(self.name, self.column)]
        out: list[tuple[str, int]] = []
        for a in self.args:
            out.extend(a.names())
        return out


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise StatementError(f"unexpected character {text[col - 1]!r}", col)
        kind = m.lastgroup or ""
        val = m.group(kind)
        col = m.start(kind) + 1
        if kind == "word":
            low = val.lower()
            if low in ("and", "or", "not", "iff", "if"):
                kind = low
        elif kind == "q":
            kind, val = "word", val[1:-1]
        out.append((kind, val, col))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> str:
        return self.toks[self.i][0] if self.i < len(self.toks) else "end"

    def col(self) -> int:
        return self.toks[self.i][2] if self.i < len(self.toks) else len(self.text) + 1

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise StatementError("empty statement; write e.g. 'Opt1 & -Opt2'", 1)
        node = self.iff()
        if self.peek() != "end":
            raise StatementError(f"unexpected {self.toks[self.i][1]!r}", self.col())
        return node

    def binary(self, op: str, sub: Callable[[], Node]) -> Node:
        node = sub()
        if op in ("and", "or"):  # associative: one flat node, however long the chain
            args = [node]
            while self.peek() == op:
                self.take()
                args.append(sub())
            return node if len(args) == 1 else Node(op, tuple(args))
        while self.peek() == op:
            self.take()
            node = Node(op, (node, sub()))
        return node

    def iff(self) -> Node:
        return self.binary("iff", self.if_)

    def if_(self) -> Node:
        return self.binary("if", self.or_)

    def or_(self) -> Node:
        return self.binary("or", self.and_)

    def and_(self) -> Node:
        return self.binary("and", self.not_)

    def not_(self) -> Node:
        kind = self.peek()
        if kind == "not":
            self.take()
            return Node("not", (self.not_(),))
        if kind == "lp":
            self.take()
            node = self.iff()
            if self.peek() != "rp":
                raise StatementError("missing ')'", self.col())
            self.take()
            return node
        if kind == "word":
            _, val, col = self.take()
            return Node("var", name=val, column=col)
        if kind == "end":
            raise StatementError("statement ends too early; an option name is missing", self.col())
        raise StatementError(f"expected an option name, found {self.toks[self.i][1]!r}", self.col())


#: Deepest nesting of a statement (negations, chains of ``if``/``iff``, parentheses around them).
MAX_DEPTH = 60


def parse_statement(text: str) -> Node:
    """Parse a statement (see the module docstring for the grammar).

    Raises
    ------
    StatementError
        With the 1-based column of the problem.
    """
    try:
        node: Node | None = _Parser(str(text)).parse()
    except RecursionError:  # parentheses nested far deeper than MAX_DEPTH
        node = None
    if node is None or _depth(node) > MAX_DEPTH:
        raise StatementError(f"statement nested too deeply; use at most {MAX_DEPTH} levels", 1)
    return node


def _depth(node: Node) -> int:
    """Nesting depth, without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((a, d + 1) for a in n.args)
    return deepest


def evaluate(node: Node, columns: Mapping[str, BoolArray]) -> BoolArray:
    """Evaluate a parsed statement over arrays of option values (one bool array per name)."""
    if node.op == "var":
        return columns[node.name]
    vals = [evaluate(a, columns) for a in node.args]
    if node.op == "not":
        return ~vals[0]
    if node.op == "and":
        return np.logical_and.reduce(vals)
    if node.op == "or":
        return np.logical_or.reduce(vals)
    if node.op == "if":  # A if B  ==  B -> A
        return vals[0] | ~vals[1]
    if node.op == "iff":
        return vals[0] == vals[1]
    raise AssertionError(node.op)  # pragma: no cover


def rank_from_scores(scores: NDArray[np.int64]) -> NDArray[np.int64]:
    """Dense ordinal levels from scores: 0 for the lowest score, +1 per distinct higher score."""
    _, inverse = np.unique(scores, return_inverse=True)
    return inverse.astype(np.int64).reshape(scores.shape)


def prioritization_scores(truth: list[BoolArray]) -> NDArray[np.int64]:
    """Scores of Fang et al. (2003): ``sum_k 2**(K-k) [statement k true]``, k = 1..K.

    Parameters
    ----------
    truth : list of bool arrays
        ``truth[k][s]`` is whether statement ``k`` (most important first) holds at state ``s``.
    """
    if not truth:
        raise ValueError("no statements")
    k = len(truth)
    if k > 62:
        # Lexicographic comparison without overflow: rank level by level.
        keys = np.stack([t.astype(np.int8) for t in truth[::-1]])
        order = np.lexsort(keys)
        sorted_keys = keys[:, order]
        new = np.ones(order.size, dtype=bool)
        new[1:] = np.any(sorted_keys[:, 1:] != sorted_keys[:, :-1], axis=0)
        levels = np.cumsum(new) - 1
        out = np.empty(order.size, dtype=np.int64)
        out[order] = levels
        return out
    score = np.zeros(truth[0].shape, dtype=np.int64)
    for j, t in enumerate(truth):
        score += t.astype(np.int64) << (k - 1 - j)
    return score
