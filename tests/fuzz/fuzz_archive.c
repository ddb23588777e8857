/* libFuzzer target for archive sources: any bytes are an archive that libarchive opens
 * with every format and filter mkimage enables (mk_archive_open), and its members go
 * through the same scan that builds the image tree (mk_source_archive), then the tree is
 * finished (duplicates refused) and the members' data is streamed back through the reader
 * the emitter uses (data_source.c) into a null sink. The untrusted parts are the member
 * names, types, sizes and link targets.
 *
 * Checked on every input, beyond the sanitizers: a scan either fails with a message or
 * yields a tree in which every name is one plain component (1..255 bytes, no '/', no NUL,
 * not "." or "..") below the destination, so no member can name a place outside the tree
 * (nothing is ever written to the disk from an archive; the tree is all there is); every
 * node's mode has its type's bits; after mk_tree_finish() no directory holds a name twice. The archive is handed over as a path,
 * as mkimage does, to a memfd (/proc/self/fd/N). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkimage/sink.h"
#include "mkimage/source/data_source.h"
#include "mkimage/source/source_archive.h"
#include "mkimage/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Data streamed back per input at most: a member that claims gigabytes is refused by the
 * size check, one that holds them (a compression bomb) would only cost time. */
#define EMIT_MAX (1u << 20)

static int memfd = -1;
static char memfd_path[64];

static void check_name(const mk_node *n)
{
	if (n->name_len == 0 || n->name_len > 255 || strlen(n->name) != n->name_len ||
	    memchr(n->name, '/', n->name_len) || !strcmp(n->name, ".") || !strcmp(n->name, ".."))
		abort();
}

/* Every node hangs below the root: the walk from the root reaches it, and each child's
 * parent is the directory listing it (so its path in the image is the walk's path). */
static void check_tree(mk_tree *t, int finished)
{
	mk_node *root = mk_tree_root(t);
	unsigned long count = 0;
	for (mk_node *n = root; n; n = mk_tree_next(n)) {
		if (n != root)
			check_name(n);
		if (++count > 10000000ul || (n->child && n->type != MK_DIR))
			abort();
		for (const mk_node *c = n->child; c; c = c->next)
			if (c->parent != n)
				abort();
		if (n->type == MK_FILE && (!n->data || !n->data->node))
			abort();
		/* The mode's type bits are the node's type (Rock Ridge PX and UDF write them). */
		static const uint32_t bits[] = {[MK_FILE] = S_IFREG, [MK_DIR] = S_IFDIR,
						[MK_SYMLINK] = S_IFLNK, [MK_BLKDEV] = S_IFBLK,
						[MK_CHRDEV] = S_IFCHR, [MK_FIFO] = S_IFIFO,
						[MK_SOCKET] = S_IFSOCK};
		if (n != root && (n->type > MK_SOCKET || (n->mode & S_IFMT) != bits[n->type]))
			abort();
		/* Sorted by name bytes, no name twice. */
		if (finished && n->next) {
			size_t a = n->name_len, b = n->next->name_len;
			int c = memcmp(n->name, n->next->name, a < b ? a : b);
			if (c > 0 || (c == 0 && a >= b))
				abort();
		}
	}
}

/* Stream each file's data once (the first link), in tree order: the reader moves forward
 * through the archive, reopening it for an earlier member. The reader (and its 256 KiB
 * buffer: an mmap of its own under ASan) is made at the first file, so an input whose tree
 * has none costs none. */
static void emit_all(mk_tree *t)
{
	mk_reader *r = NULL;
	mk_sink *s = NULL;
	uint64_t total = 0;
	for (mk_node *n = mk_tree_root(t); n; n = mk_tree_next(n)) {
		if (n->type != MK_FILE || n->data->node != n || n->data->size > EMIT_MAX - total)
			continue;
		if (!r && (!(r = mk_reader_new(t)) || !(s = mk_sink_open_null())))
			break;
		total += n->data->size;
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		dm_status st = mk_reader_emit(r, n->data, s, &ctx);
		if (st != DM_OK && !ctx.msg[0])
			abort(); /* a refusal always says why */
	}
	if (s) {
		dm_ctx ctx;
		dm_ctx_init(&ctx);
		mk_sink_commit(s, &ctx);
	}
	mk_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz-archive", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) < 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();

	mk_tree *t = mk_tree_new();
	if (!t)
		return 0;
	mk_archive_opts o = {.clamp_time = -1, .default_time = 0};
	dm_ctx ctx;
	dm_ctx_init(&ctx);
	dm_status st = mk_source_archive(t, mk_tree_root(t), memfd_path, &o, &ctx);
	if (st != DM_OK && !ctx.msg[0])
		abort();
	if (st == DM_OK) {
		check_tree(t, 0);
		st = mk_tree_finish(t, &ctx);
		if (st != DM_OK && !ctx.msg[0])
			abort();
		if (st == DM_OK) {
			check_tree(t, 1);
			emit_all(t);
		}
	}
	mk_tree_free(t);
	return 0;
}
