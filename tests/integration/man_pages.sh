#!/bin/bash
# The man pages lint clean: groff -ww (every warning) with the man macros, output
# discarded; a warning (an unknown font such as \FB, a raw UTF-8 character, a bad request)
# fails. groff (groff-base) is installed by tools/deps.sh: missing, it fails too.
. "$(dirname "$0")/lib.sh"
it_init man_pages
require_tools groff
SRC=${top_srcdir:-$IT_DIR/../..}
pages=("$SRC"/mkimage/*.[1-9] "$SRC"/writeimg/*.[1-9])
check "the man pages found (${#pages[@]}: mkimage.1, mkimage-manifest.5, writeimg.1 at least)" test "${#pages[@]}" -ge 3
for p in "${pages[@]}"; do
	LC_ALL=C groff -ww -man -z "$p" >"$SCRATCH/out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$SCRATCH/out" ]; then
		pass "${p#"$SRC"/}: groff -ww -man is silent"
	else
		fail "${p#"$SRC"/}: groff -ww -man (exit $rc):"
		sed 's/^/    /' "$SCRATCH/out" | head -n 20
	fi
	check "${p#"$SRC"/}: ASCII only (characters as groff escapes)" sh -c '! LC_ALL=C grep -n "[^[:print:][:space:]]" "$1"' sh "$p"
done
# A control: the check sees a wrong font escape and a raw UTF-8 dash.
printf '.TH X 1\n.SH NAME\nx \\FBbold\\FR \342\200\224 y\n' >"$SCRATCH/bad.1"
check "control: groff -ww warns about \\FB and a raw UTF-8 dash" \
	sh -c 'LC_ALL=C groff -ww -man -z "$1" 2>&1 | grep -q warning' sh "$SCRATCH/bad.1"
it_finish
