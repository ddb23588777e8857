#!/bin/sh
# mkimage's command line: --help and the man page name the same options, usage errors exit 2
# with a message, --version answers, and a failed run leaves nothing at OUT.
set -eu
: "${MKIMAGE:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkimage-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Every long option in --help is documented in mkimage.1, and the other way round.
"$MKIMAGE" --help >"$tmp/help"
sed -e 's/writeimg --[a-z0-9-]*//g' "$tmp/help" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/help.opts"
# (the man page up to its MKISOFS MODE section, which lists that mode's options; writeimg's
# options both name, as in "writeimg --close", are not mkimage's)
sed -e '/^\.SH MKISOFS MODE/,/^\.SH /d' -e 's/\\-/-/g' -e 's/writeimg --[a-z0-9-]*//g' \
	"$top_srcdir/mkimage/mkimage.1" |
	grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$tmp/man.opts"
[ -s "$tmp/help.opts" ] || fail "no options found in --help"
diff "$tmp/help.opts" "$tmp/man.opts" || fail "--help and mkimage.1 disagree (< help, > man)"
# Every option of `mkimage -as mkisofs -help` is in MKISOFS MODE, written as there.
"$MKIMAGE" -as mkisofs -help 2>"$tmp/mhelp" >/dev/null
grep -o -- ' --*[a-z][a-z0-9_-]*' "$tmp/mhelp" | sed 's/^ //' | sort -u >"$tmp/mhelp.opts"
[ "$(wc -l <"$tmp/mhelp.opts")" -gt 40 ] || fail "few options in -as mkisofs -help"
sed -n -e '/^\.SH MKISOFS MODE/,/^\.SH /p' "$top_srcdir/mkimage/mkimage.1" | sed 's/\\-/-/g' >"$tmp/mman"
while read -r o; do
	grep -q -- "$o\( \|\"\|,\|=\|\$\)" "$tmp/mman" || fail "mkisofs mode option $o is not in mkimage.1's MKISOFS MODE"
done <"$tmp/mhelp.opts"

"$MKIMAGE" --version | grep -q '^mkimage (discmaster) ' || fail "--version"

# Usage errors: exit status 2 and a message naming the problem.
expect_usage() {
	msg=$1; shift
	set +e
	"$MKIMAGE" "$@" >"$tmp/stdout" 2>"$tmp/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "'$*' exited $rc, want 2"
	grep -q -- "$msg" "$tmp/err" || { cat "$tmp/err" >&2; fail "'$*': no message '$msg'"; }
}
mkdir "$tmp/src"
echo hi >"$tmp/src/f"
expect_usage "no output" "$tmp/src"
expect_usage "no SOURCE" -o "$tmp/x.iso"
expect_usage "unknown filesystem 'udx'" --fs iso9660,udx -o "$tmp/x.iso" "$tmp/src"
expect_usage "not 1, 2 or 3" --iso-level 4 -o "$tmp/x.iso" "$tmp/src"
expect_usage "unknown option --bogus" --bogus -o "$tmp/x.iso" "$tmp/src"
expect_usage "needs a value" -o

# Runtime errors: exit status 1, a message, and nothing at OUT nor a temporary file.
expect_fail() {
	msg=$1; shift
	set +e
	"$MKIMAGE" -o "$tmp/out/x.iso" "$@" 2>"$tmp/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "'$*' exited $rc, want 1"
	grep -q -- "$msg" "$tmp/err" || { cat "$tmp/err" >&2; fail "'$*': no message '$msg'"; }
	[ -z "$(ls -A "$tmp/out")" ] || fail "'$*' left $(ls -A "$tmp/out")"
}
mkdir "$tmp/out"
expect_fail "cannot use source $tmp/missing" "$tmp/missing"
expect_fail "volume id .* at most 32" -V 0123456789012345678901234567890123 "$tmp/src"
SOURCE_DATE_EPOCH=soon expect_fail "SOURCE_DATE_EPOCH 'soon'" "$tmp/src"
expect_fail "is not a directory" "$tmp/src/f"
echo "mkimage_cli: ok"
