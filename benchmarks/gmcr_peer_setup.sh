#!/bin/sh
# Make the peer environment for benchmarks/gmcr_compare.py: a separate venv
# benchmarks/.venv-gmcr/ (git-ignored, never an accord dependency) with what the engine modules
# of GMCR+ (onp/gmcr-py, proprietary: read and run, never copied into this repository) import
# headless: numpy (data_01_conflictModel.py, data_02_conflictSolvers.py, data_03_gmcrUtilities.py;
# the tkinter GUI and the scipy-based data_04 are not used).
#
# usage: benchmarks/gmcr_peer_setup.sh [GMCR+ checkout]
#   the checkout defaults to $GMCR_PLUS_DIR, else /work/.mirror/onp+gmcr-py/repo. A directory that
#   holds the .py files is used in place; a git directory without a work tree (a mirror) is
#   exported (git archive HEAD) into benchmarks/.venv-gmcr/gmcr-src/, inside the ignored venv.
# The path used is written to benchmarks/.venv-gmcr/gmcr_path, which the driver reads.
set -e
SRC=${1:-${GMCR_PLUS_DIR:-/work/.mirror/onp+gmcr-py/repo}}
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=$HERE/.venv-gmcr
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip --disable-pip-version-check -q install numpy

if [ -f "$SRC/data_02_conflictSolvers.py" ]; then
  GMCR=$(cd "$SRC" && pwd)
else
  if [ -d "$SRC/.git" ]; then GITDIR=$SRC/.git; else GITDIR=$SRC; fi
  git --git-dir="$GITDIR" rev-parse --verify -q HEAD >/dev/null || {
    echo "no GMCR+ checkout at $SRC (expected data_02_conflictSolvers.py or a git repository)" >&2
    exit 2
  }
  GMCR=$VENV/gmcr-src
  rm -rf "$GMCR" && mkdir -p "$GMCR"
  git --git-dir="$GITDIR" archive HEAD | tar -x -C "$GMCR"
  git --git-dir="$GITDIR" rev-parse HEAD > "$GMCR/COMMIT"
fi
echo "$GMCR" > "$VENV/gmcr_path"
"$VENV/bin/python" - "$GMCR" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import data_01_conflictModel, data_02_conflictSolvers  # noqa: F401  (headless import check)
import version
print("GMCR+", version.__version__, "engine imports headless from", sys.argv[1])
EOF
echo "peer python: $VENV/bin/python"
