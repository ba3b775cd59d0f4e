#!/bin/sh
# Build KTAB's SMP command-line program `smpc` (the peer; benchmarks only, never a
# dependency) into benchmarks/.venv-ktab/ (git-ignored) with plain g++.
#
# usage: benchmarks/ktab_build.sh /path/to/KTAB-checkout /path/to/easyloggingpp-checkout
# needs (Debian): g++ qtbase5-dev libqt5sql5-sqlite libtinyxml2-dev libsqlite3-dev
set -e
KTAB=$1
ELPP=$2
OUT=$(cd "$(dirname "$0")" && pwd)/.venv-ktab
mkdir -p "$OUT/obj" "$OUT/elpp"
cp -r "$KTAB/KTAB" "$KTAB/examples" "$KTAB/minicsv" "$OUT/" 2>/dev/null || true
cp "$ELPP/src/easylogging++.h" "$ELPP/src/easylogging++.cc" "$OUT/elpp/"
cd "$OUT"
FLAGS="-O2 -std=c++14 -fPIC -w -DAUTO_INITIALIZE_EASYLOGGINGPP -DELPP_NO_DEFAULT_LOG_FILE \
 -DELPP_THREAD_SAFE -DELPP_FORCE_USE_STD_THREAD -DELPP_DEFAULT_LOGGING_FLAGS=8192 -DELPP_UTC_DATETIME \
 $(pkg-config --cflags Qt5Core Qt5Sql) -Ielpp -IKTAB/kutils/libsrc -IKTAB/kmodel/libsrc \
 -Iexamples/smp/libsrc -Iexamples/smp/src -Iminicsv"
for f in elpp/easylogging++.cc KTAB/kutils/libsrc/*.cpp KTAB/kmodel/libsrc/*.cpp \
         examples/smp/libsrc/*.cpp examples/smp/src/*.cpp; do
  o=obj/$(echo "$f" | tr '/' '_').o
  [ -f "$o" ] || g++ $FLAGS -c "$f" -o "$o"
done
g++ -O2 obj/*.o -o smpc $(pkg-config --libs Qt5Core Qt5Sql) -lsqlite3 -ltinyxml2 -lpthread
cp examples/smp/smpc-logger.conf .
echo "built $OUT/smpc"
