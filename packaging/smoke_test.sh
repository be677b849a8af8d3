#!/usr/bin/env bash
# Build the Linux bundle and run the frozen app's self-test from it (offscreen); then, from the
# tarball a person downloads, the self-test again and a search on an SQLite storage (optuna,
# SQLAlchemy and alembic in the frozen app). Ends with the sizes and start-up time that
# packaging/README.md records.
#
#   packaging/smoke_test.sh              # build everything, then test
#   packaging/smoke_test.sh --no-build   # test the bundle and tarball already in dist/
#
# Run it where the app, a CPU torch and PyInstaller are installed (see packaging/README.md);
# $PYTHON names the interpreter (default: python).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

# 1. Build (unless --no-build) and self-test the bundle in dist/workbench.
"$PYTHON" packaging/build.py --self-test "$@"

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' workbench/__init__.py)
tarball=$(ls dist/installers/workbench-"$version"-linux-*.tar.xz)
work=$(mktemp -d -t workbench-smoke-XXXXXX)
trap 'rm -rf "$work"' EXIT

# 2. What a person gets: unpack the tarball elsewhere and run from there.
echo
echo "== unpacking $tarball"
tar -xJf "$tarball" -C "$work"
program=$(ls -d "$work"/workbench-"$version"-linux-*/workbench)
echo "== self-test from the unpacked tarball: $program --self-test"
(cd "$work" && "$program" --self-test) | tee "$work/self-test.txt"

echo
echo "== a search on an SQLite storage, 2 worker processes"
cat > "$work/search.toml" <<'EOF'
name = "smoke"
[training]
batch_size = 64
device = "cpu"
[search]
trials = 2
epochs = 1
workers = 2
train_limit = 200
[search.space]
"optimizer.lr" = { log_uniform = [1e-3, 1e-2] }
EOF
(cd "$work" && "$program" search search.toml --storage "sqlite:///$work/search.db" \
    --data-dir "$work/data" --out "$work/results")
test -s "$work/results/trials.csv" && test -s "$work/results/search.json"

# 3. The numbers.
started=$EPOCHREALTIME
"$program" --version
version_s=$(awk "BEGIN { printf \"%.2f\", $EPOCHREALTIME - $started }")
bundle_mb=$(du -sb dist/workbench | awk '{printf "%.0f", $1 / 1e6}')
tarball_mb=$(stat -c %s "$tarball" | awk '{printf "%.0f", $1 / 1e6}')
shown=$(sed -n 's/.*window opened (shown \([0-9.]*\) s after the process started.*/\1/p' \
    "$work/self-test.txt")
echo
echo "== results"
echo "bundle dist/workbench: $bundle_mb MB unpacked (target < 800)"
echo "tarball $(basename "$tarball"): $tarball_mb MB (target < 300)"
for appimage in dist/installers/*.AppImage; do
    if [ -e "$appimage" ]; then
        echo "AppImage $(basename "$appimage"): $(du -m "$appimage" | cut -f1) MB"
    fi
done
echo "start-up: window shown ${shown:-?} s after the process started; --version in ${version_s} s"
[ "$bundle_mb" -lt 800 ] || { echo "FAIL: the bundle is over 800 MB"; exit 1; }
[ "$tarball_mb" -lt 300 ] || { echo "FAIL: the tarball is over 300 MB"; exit 1; }
echo "smoke test passed"
