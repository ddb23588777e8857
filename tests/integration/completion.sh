#!/bin/bash
# The bash completions (completion/mkimage, completion/writeimg; installed by make install):
# - `TOOL -<TAB>` offers exactly the options the tool's --help lists (read here with a
#   parser of its own), so the two cannot drift, and the tool accepts every one offered;
# - the values offered for options with a fixed set are ones the tool accepts (or, for
#   writeimg's drives, the kinds its --help names).
# Plain bash: the scripts need nothing from the bash-completion package.
. "$(dirname "$0")/lib.sh"
it_init completion
: "${WRITEIMG:=${top_builddir:-$IT_DIR/../..}/writeimg/writeimg}"
[ -x "$WRITEIMG" ] || die "WRITEIMG=$WRITEIMG is not built"
COMP=${top_srcdir:-$IT_DIR/../..}/completion
X=$SCRATCH/x
mkdir -p "$X/src"
printf 'x\n' >"$X/src/file"

# complete TOOL-SCRIPT FUNCTION WORD...: what the completion offers for the last word, one
# per line, sorted.
complete_words() {
	local script=$1 fn=$2
	shift 2
	bash -c '. "$1"; fn=$2; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$fn"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$COMP/$script" "$fn" "$@" | LC_ALL=C sort -u
}

# The options --help lists: lines starting with up to six spaces and '-', up to the
# description (three spaces or more); a line may name two ("--boot-ppc IMG, --boot-mac IMG").
help_options() {
	"$1" --help | "$IT_PY" -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"^ {1,6}(-.*)", line.rstrip("\n"))
    if not m:
        continue
    head = re.split(r" {3,}", m.group(1))[0]
    for tok in re.findall(r"(?:^|[\s,])(--?[A-Za-z0-9][A-Za-z0-9-]*)", head):
        print(tok)' | LC_ALL=C sort -u
}

for tool in mkimage writeimg; do
	if [ $tool = mkimage ]; then bin=$MKIMAGE; else bin=$WRITEIMG; fi
	help_options "$bin" >"$X/$tool.help"
	complete_words $tool _$tool "$bin" - >"$X/$tool.offered"
	n=$(wc -l <"$X/$tool.help")
	check "$tool --help lists options ($n)" test "$n" -gt 10
	if diff -u "$X/$tool.help" "$X/$tool.offered" >"$X/$tool.diff"; then
		pass "$tool -<TAB> offers exactly the $n options of --help"
	else
		fail "$tool -<TAB> and --help differ:"
		sed 's/^/    /' "$X/$tool.diff"
	fi
	# --help after it: the tool parses OPT (an unknown one is refused) and then only shows
	# its help (or, for an option with a value, takes "--help" as the value and stops at
	# the first check); the time limit only catches a hang
	bad=
	while read -r opt; do
		timeout 60 "$bin" "$opt" --help </dev/null >/dev/null 2>"$X/err"
		[ $? -eq 124 ] && bad="$bad $opt(hangs)"
		grep -qiE '(unknown|unrecognized) option' "$X/err" && bad="$bad $opt"
	done <"$X/$tool.offered"
	check "$tool accepts every option offered${bad:+ (not:$bad)}" test -z "$bad"
	complete_words $tool _$tool "$bin" -- >"$X/$tool.long"
	check "$tool --<TAB> offers the long options only" \
		sh -c '! grep -qv -- "^--" "$1" && [ -s "$1" ]' sh "$X/$tool.long"
done

# mkimage's values: each offered value is accepted.
accepts() { "$MKIMAGE" --dry-run "$@" "$X/src" >/dev/null 2>"$X/err"; }
for opt in --iso-level --iso-names --udf-rev --media; do
	vals=$(complete_words mkimage _mkimage mkimage "$opt" "" | tr '\n' ' ')
	bad=
	for v in $vals; do
		case $opt in
		--udf-rev) accepts --fs udf --udf-rev "$v" || bad="$bad $v" ;;
		*) accepts "$opt" "$v" || bad="$bad $v" ;;
		esac
	done
	check "mkimage $opt <TAB> offers values ($vals) mkimage accepts${bad:+ (not:$bad)}" \
		test -n "$vals" -a -z "$bad"
done
vals=$(complete_words mkimage _mkimage mkimage --boot-emul "" | tr '\n' ' ')
check "mkimage --boot-emul <TAB> offers the modes --help names ($vals)" \
	sh -c 'for v in $2; do "$1" --help | grep -q -- "--boot-emul MODE" || exit 1;
		"$1" --help | grep -qw "$v" || exit 1; done; [ -n "$2" ]' sh "$MKIMAGE" "$vals"
check "mkimage --hybrid-table <TAB>: gpt mbr mbr+gpt" \
	test "$(complete_words mkimage _mkimage mkimage --hybrid-table "" | tr '\n' ' ')" = "gpt mbr mbr+gpt "
check "mkimage --fs iso9660,j<TAB>: iso9660,joliet" \
	test "$(complete_words mkimage _mkimage mkimage --fs iso9660,j)" = "iso9660,joliet"
vals=$(complete_words mkimage _mkimage mkimage --fs "" | tr '\n' ',')
check "mkimage --fs <TAB> offers file systems mkimage accepts together ($vals)" \
	accepts --fs "${vals%,}"
mkdir -p "$X/m/dir" && : >"$X/m/a.xml" && : >"$X/m/b.txt"
check "mkimage -m <TAB> offers manifests (*.xml) and directories" \
	test "$(cd "$X/m" && complete_words mkimage _mkimage mkimage -m "" | tr '\n' ' ')" = "a.xml dir "
# writeimg: the drive kinds its --help names
vals=$(complete_words writeimg _writeimg writeimg -d emu: | tr '\n' ' ')
bad=
for v in $vals; do
	m=${v#emu:}
	m=${m%:}
	"$WRITEIMG" --help | tr -s ' \n' ' ' | grep -q -- "$m" || bad="$bad $v"
done
check "writeimg -d emu:<TAB> offers the media --help names ($vals)${bad:+ (not:$bad)}" \
	test -n "$vals" -a -z "$bad"
# ... and every medium --help names is offered.
missing=
media=$("$WRITEIMG" --help | tr -s ' \n' ' ' | sed -n 's/.*MEDIUM one of \([^)]*\)).*/\1/p' | tr -d ',')
[ -n "$media" ] || missing=" (--help names no media)"
for m in $media; do
	case " $vals " in *" emu:$m: "*) ;; *) missing="$missing $m" ;; esac
done
check "writeimg -d emu:<TAB> offers every medium --help names${missing:+ (missing:$missing)}" \
	test -z "$missing"
vals=$(complete_words writeimg _writeimg writeimg --mode "" | tr '\n' ' ')
check "writeimg --mode <TAB> offers the write modes ($vals)" test "$vals" = "dao incremental sao tao "
vals=$(complete_words writeimg _writeimg writeimg --blank=f | tr '\n' ' ')
check "writeimg --blank=f<TAB> offers the blanking kinds ($vals)" test "$vals" = "--blank=fast --blank=full "

it_finish
