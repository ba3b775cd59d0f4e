"""Input checks shared by the analysis functions.

Every check raises :class:`accord.errors.AnalysisError` (an :class:`~accord.errors.AccordError`
that is also a :class:`ValueError`) with a one-line message naming the argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import AnalysisError, Location

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def _fail(name: str, message: str) -> AnalysisError:
    return AnalysisError(message, Location(path=name))


def utility_matrix(U: Any, name: str = "U") -> FloatArray:
    """Return ``U`` as a C-contiguous float64 array of shape (n_outcomes, n_parties).

    Raises
    ------
    AnalysisError
        If ``U`` is not numeric, not 2-D, or holds NaN or infinite values.
    """
    try:
        arr = np.asarray(U)
    except Exception as exc:  # ragged nested lists and similar
        raise _fail(name, f"must be a 2-D numeric array, could not convert it ({exc})") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)):
        raise _fail(name, f"must be a 2-D array of real numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise _fail(name, "must hold real numbers, got complex values")
    if arr.ndim != 2:
        raise _fail(
            name,
            f"must be 2-D with shape (n_outcomes, n_parties), got shape {arr.shape}"
            + (" (reshape a single party's utilities with U[:, None])" if arr.ndim == 1 else ""),
        )
    out = np.ascontiguousarray(arr, dtype=np.float64)
    with np.errstate(over="ignore"):
        total = out.sum() if out.size else 0.0
    if not np.isfinite(total):
        # The total is finite whenever every entry is; only a non-finite total needs the
        # element-wise check (it may also be an overflow of huge finite values).
        bad = ~np.isfinite(out)
        if bad.any():
            row, col = (int(v) for v in np.argwhere(bad)[0])
            count = int(bad.sum())
            raise _fail(
                name,
                f"must hold finite numbers, got {float(out[row, col])} at row {row}, column "
                f"{col} ({count} non-finite {'entry' if count == 1 else 'entries'}); "
                "replace NaN/inf before the analysis",
            )
    return out


def party_vector(values: Any, n_parties: int, name: str) -> FloatArray:
    """Return a finite float64 vector of length ``n_parties`` (a scalar is broadcast)."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise _fail(name, f"must be {n_parties} real number(s), one per party") from None
    if arr.ndim == 0:
        arr = np.full(n_parties, float(arr))
    if arr.shape != (n_parties,):
        raise _fail(name, f"must have one value per party ({n_parties}), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise _fail(name, f"must be finite, got {arr.tolist()}")
    return arr


def row_mask(mask: Any, n_outcomes: int, name: str = "mask") -> BoolArray:
    """Return a boolean vector of length ``n_outcomes``."""
    arr = np.asarray(mask)
    if arr.dtype != np.bool_:
        raise _fail(name, f"must be a boolean array (True = admissible), got dtype {arr.dtype}")
    if arr.shape != (n_outcomes,):
        raise _fail(name, f"must have one entry per outcome ({n_outcomes}), got shape {arr.shape}")
    return arr
