"""The input every spatial forecasting model takes: :class:`SpatialProblem`.

A spatial problem is the classic political-science description of a negotiation
(Bueno de Mesquita 1994; Thomson, Stokman, Achen & König 2006): each actor has a
*capability* (how much it can bring to bear), and on each issue dimension an ideal
*position* on a 0-100 scale and a *salience* in [0, 1] (how much the issue matters to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import Location, ModelError

__all__ = ["SCALE", "SpatialProblem"]

#: Positions live on ``[0, SCALE]``.
SCALE = 100.0


@dataclass(frozen=True)
class SpatialProblem:
    """Actors with capabilities, positions and saliences on issue dimensions.

    Parameters
    ----------
    actors : sequence of str
        Actor names (unique), ``n_actors >= 2``.
    dimensions : sequence of str
        Issue dimension names (unique), ``n_dims >= 1``.
    capability : array_like, shape (n_actors,)
        Non-negative capability (power, clout) of each actor; at least one positive.
    position : array_like, shape (n_actors, n_dims)
        Ideal points on the 0-100 scale.
    salience : array_like, shape (n_actors, n_dims)
        Saliences in [0, 1]. KTAB's SMP further requires each actor's saliences to sum
        to at most 1 (checked by that model).
    status_quo : array_like, shape (n_dims,), optional
        The reference (disagreement) point on each dimension, used by the Nash bargaining
        solution. ``None`` when unknown.
    source : str, optional
        Where the numbers came from (a file name, used in error messages).

    Raises
    ------
    accord.errors.ModelError
        If shapes disagree or a value is off its scale; the message names the field.
    """

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    capability: NDArray[np.float64]
    position: NDArray[np.float64]
    salience: NDArray[np.float64]
    status_quo: NDArray[np.float64] | None = None
    source: str | None = field(default=None, compare=False)

    def __init__(
        self,
        actors: Sequence[str],
        dimensions: Sequence[str],
        capability: ArrayLike,
        position: ArrayLike,
        salience: ArrayLike,
        status_quo: ArrayLike | None = None,
        source: str | None = None,
    ) -> None:
        def err(path: str, msg: str) -> ModelError:
            return ModelError(msg, Location(file=source, path=path))

        acts = tuple(str(a) for a in actors)
        dims = tuple(str(d) for d in dimensions)
        n, m = len(acts), len(dims)
        if n < 2:
            raise err("actors", f"need at least 2 actors, got {n}")
        if m < 1:
            raise err("dimensions", "need at least 1 dimension, got 0")
        for what, names in (("actors", acts), ("dimensions", dims)):
            seen: set[str] = set()
            for k, name in enumerate(names):
                if name in seen:
                    raise err(f"{what}[{k}]", f"duplicate name {name!r}; names must be unique")
                seen.add(name)

        def arr(name: str, value: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
            try:
                a = np.array(value, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise err(name, f"must be numeric ({exc})") from None
            if a.shape != shape:
                raise err(name, f"must have shape {shape}, got {a.shape}")
            bad = np.argwhere(~np.isfinite(a))
            if bad.size:
                raise err(f"{name}{list(bad[0])}", "must be a finite number")
            a.setflags(write=False)
            return a

        cap = arr("capability", capability, (n,))
        pos = arr("position", position, (n, m))
        sal = arr("salience", salience, (n, m))
        for name, a, lo, hi in (
            ("capability", cap, 0.0, np.inf),
            ("position", pos, 0.0, SCALE),
            ("salience", sal, 0.0, 1.0),
        ):
            bad = np.argwhere((a < lo) | (a > hi))
            if bad.size:
                idx = tuple(int(v) for v in bad[0])
                where = f"{name}[{acts[idx[0]]}]" + (f"[{dims[idx[1]]}]" if len(idx) > 1 else "")
                raise err(where, f"{a[idx]:g} is off the scale; valid values are in [{lo:g}, {hi:g}]")
        if not np.any(cap > 0):
            raise err("capability", "at least one actor needs a positive capability")
        sq = None
        if status_quo is not None:
            sq = arr("status_quo", status_quo, (m,))
            bad = np.argwhere((sq < 0) | (sq > SCALE))
            if bad.size:
                k = int(bad[0][0])
                raise err(f"status_quo[{dims[k]}]", f"{sq[k]:g} is off the 0-100 scale")

        object.__setattr__(self, "actors", acts)
        object.__setattr__(self, "dimensions", dims)
        object.__setattr__(self, "capability", cap)
        object.__setattr__(self, "position", pos)
        object.__setattr__(self, "salience", sal)
        object.__setattr__(self, "status_quo", sq)
        object.__setattr__(self, "source", source)

    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actors)

    @property
    def n_dims(self) -> int:
        """Number of issue dimensions."""
        return len(self.dimensions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "actors": list(self.actors),
            "dimensions": list(self.dimensions),
            "capability": self.capability.tolist(),
            "position": self.position.tolist(),
            "salience": self.salience.tolist(),
            "status_quo": None if self.status_quo is None else self.status_quo.tolist(),
        }
