/* ISO 9660 and Joliet file identifiers: the names each hierarchy stores for a directory's
 * entries, made from the source names (bytes, normally UTF-8), collision-free and
 * deterministic (the same sibling names always give the same identifiers, whatever order
 * they are passed in).
 *
 * ISO 9660 (ECMA-119 7.5, 7.6, 10.1-10.3):
 *   level 1: files "NAME.EXT;1" with NAME <= 8 and EXT <= 3 d-characters, directories <= 8.
 *   level 2 and 3: files "NAME.EXT;1" with NAME + "." + EXT <= 30 characters, directories
 *   <= 31 characters. d-characters are A-Z 0-9 _ ; lower case is mapped to upper case and
 *   every other byte (or non-ASCII code point) to '_'. A file without extension is "NAME.;1".
 * Joliet (Joliet specification 1995): UCS-2 big-endian, at most max_chars (64, or 103 for
 *   the long form Windows reads) characters, files without ";1" (as genisoimage and
 *   xorriso write them: isoinfo -J -x and Windows find a file by its plain name); the
 *   characters * / : ; ? \ and U+0000-U+001F become '_', code points outside the BMP and
 *   bytes that are not valid UTF-8 become '_' too.
 * Collisions (after mapping and truncation) are resolved by replacing the tail of the name
 * part with a decimal counter, keeping the extension, e.g. "LONGNAM1.TXT;1", in the order of
 * the source names' bytes, so the first (bytewise smallest) source keeps the plain form.
 *
 * The details chosen here:
 * - Every code point maps to one character; a byte that is not valid UTF-8 maps to one '_'.
 * - The extension separator is the last '.' of a file's name, unless that '.' is the first
 *   byte: ".bashrc" has no extension, its '.' maps to '_' like any other and it becomes
 *   "_BASHRC.;1" (".gitignore" is "_GITIGNO.;1" at level 1); "..foo" is "_.FOO;1" and
 *   "a.tar.gz" "A_TAR.GZ;1". Every other '.' maps to '_' (ISO), and all of a directory's
 *   dots do ("my.dir" is "MY_DIR").
 * - Level 1: the name part keeps its first 8 characters, the extension its first 3.
 * - Level 2 and 3: NAME + "." + EXT <= 30 (the conservative reading of ECMA-119 7.5.1, which
 *   some read as NAME + EXT <= 30). When too long, the extension keeps what the name leaves,
 *   but at least 8 characters (or all it has), and the name part gives way.
 * - Joliet: files without extension get no '.' ("Makefile"). When a name is too long and
 *   its extension (after the last '.', not a leading one) has at most 16 characters and,
 *   with its '.', at most half of max_chars, the extension is kept and the name part is cut
 *   ("<60>.txt" at 64); otherwise the whole name is cut at max_chars. Directories follow the
 *   same rule. ASCII case is kept and names differing only in case stay distinct
 *   (though Windows and Linux check=r compare Joliet names case-insensitively).
 *   max_chars may be 1..103; 64 and 103 are the values in use.
 * - Uniqueness is decided on the identifier without ";1" and, for ISO, without a trailing
 *   '.', so a directory "A" and a file "A.;1" (or Joliet "A" and "A") collide too.
 * - Counters: the sources are taken in the order of their bytes (memcmp, then length,
 *   files before directories). The first one of each plain identifier keeps it (all plain
 *   identifiers are reserved before any counter is given, so a counter never takes the
 *   plain name of a later entry). Each later one gets the first counter name not yet taken:
 *   the digits replace the end of the name part, which is cut to leave room ("the stem"):
 *   1-9 with one digit, then 10-99 with two, and so on, e.g. "LONGNAME.TXT;1",
 *   "LONGNAM1.TXT;1", ..., "LONGNA10.TXT;1"; short names just grow: "A.TXT;1", "A1.TXT;1".
 *   Names with the same stem continue one numbering (a stem's counter never goes back),
 *   which keeps the work linear even when many names are cut to the same stem. At level 2/3
 *   the extension is shortened when it leaves no room for the digits; in Joliet the
 *   extension is then merged into the name part and the whole is cut. At least one
 *   character of the name part always stays, which bounds the counter (9,999,999 at
 *   level 1).
 * - Identical source names (impossible within one real directory) are allowed and get
 *   distinct identifiers, assigned in input order: the only case where the order matters.
 *
 * The functions write reqs[i].id, id_len and counter and keep no pointer to reqs; on failure
 * the ids are unspecified. An identifier depends only on its source name, whether it is a
 * directory's, the naming (level, or Joliet length) and its counter, so iso_name_make() and
 * joliet_name_make() make the same bytes again from those: a caller may keep the counter
 * (usually 0) instead of the identifier. Memory: temporary arrays of O(n) per call (sort
 * order, identifier set, counter stems), freed before returning; O(n log n) time. */
#ifndef MK_ISO_NAMES_H
#define MK_ISO_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"

#define ISO_ID_MAX 40      /* room for any ISO 9660 identifier including ";1" */
#define JOLIET_ID_MAX 220  /* room for 103 UCS-2 characters plus ";1", in bytes */

typedef struct iso_name_req {
	const char *src;      /* source name bytes (input) */
	size_t src_len;       /* (input) */
	int is_dir;           /* (input) directories get no ".;1" */
	uint8_t id[JOLIET_ID_MAX]; /* identifier bytes (output): d-characters, or UCS-2BE */
	uint8_t id_len;       /* (output) */
	uint32_t counter;     /* (output) 0: the plain identifier; else the counter it carries */
} iso_name_req;

/* Flags a caller may add to the level (mkisofs's options that "violate ISO 9660 specs",
 * xorrisofs(1)):
 *   ISO_NAMES_NO_VERSION    -N: files without ";1" ("README.TXT", "NOEXT.").
 *   ISO_NAMES_UNTRANSLATED  -U: names as they are, printable ASCII kept (lower case, any
 *                           number of dots, no '.' added), ';' and other bytes '_', up to 37
 *                           characters (a long name keeps a short extension, as Joliet's
 *                           rule above), no ";1" (it implies ISO_NAMES_NO_VERSION). */
#define ISO_NAMES_NO_VERSION 0x100
#define ISO_NAMES_UNTRANSLATED 0x200

/* Assign ISO 9660 identifiers at level 1, 2 or 3 to n sibling entries. Fails only when the
 * names cannot be made unique (more siblings than the counter scheme can express:
 * DM_ERR_UNSUPPORTED), on an empty name or bad level (DM_ERR_INVALID) or out of memory. */
dm_status iso_names_assign(iso_name_req *reqs, size_t n, int level, dm_ctx *ctx);

/* Assign Joliet identifiers of at most max_chars UCS-2 characters (64 or 103). */
dm_status joliet_names_assign(iso_name_req *reqs, size_t n, unsigned max_chars, dm_ctx *ctx);

/* The identifier that iso_names_assign() (level) or joliet_names_assign() (max_chars) gave
 * the source name src (src_len > 0 bytes; is_dir as in a request) with `counter`, made again
 * into out (ISO_ID_MAX or JOLIET_ID_MAX bytes). Returns its length; 0 only for arguments the
 * assign functions never produce (an empty name, a bad level or length, a counter too long
 * for the name). */
size_t iso_name_make(const char *src, size_t src_len, int is_dir, int level, uint32_t counter,
		     uint8_t *out);
size_t joliet_name_make(const char *src, size_t src_len, int is_dir, unsigned max_chars,
			uint32_t counter, uint8_t *out);

/* Order of directory records, ECMA-119 9.3: compare the name parts padded with spaces,
 * then the extension parts padded with spaces, then the version numbers (higher first).
 * For Joliet identifiers pass unit = 2 (UCS-2 characters, padded with U+0020), else 1.
 * An identifier without ';' (a directory's, or any Joliet one) is all name part. Otherwise
 * the name part ends at the first '.' ("A.B.C;1" has extension "B.C"). The one-byte
 * identifiers 0x00 and 0x01 ("." and "..", in Joliet too) sort first; callers building
 * sibling lists normally do not pass them. Identifiers equal under 9.3 but not bytewise
 * (which the assign functions never produce) are ordered by their bytes, so the order is
 * total and fit for qsort. Returns <0, 0 or >0. */
int iso_id_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, int unit);

#endif
