# Shared by scripts/demo.sh and bench/run.sh (sourced, not run).
# Sets ROOT (the repository), SEALIFT (the binary) and CORPUS_SCRIPT (the corpus generator: the
# project's own scripts/make-corpus.py unless SEALIFT_CORPUS_SCRIPT names another).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SEALIFT=${SEALIFT:-$ROOT/build/sealift}
CORPUS_SCRIPT=${SEALIFT_CORPUS_SCRIPT:-$ROOT/scripts/make-corpus.py}

[ -x "$SEALIFT" ] || { echo "error: no sealift binary at $SEALIFT (run 'make build' or set SEALIFT)" >&2; exit 2; }
[ -f "$CORPUS_SCRIPT" ] || { echo "error: no corpus script at $CORPUS_SCRIPT (set SEALIFT_CORPUS_SCRIPT)" >&2; exit 2; }

# So that printed commands read as a user would type them.
sealift() { "$SEALIFT" "$@"; }
