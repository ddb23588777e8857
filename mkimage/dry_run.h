/* mkimage --dry-run: the planned layout on standard output (program code, not the
 * library: the library never prints). */
#ifndef MK_DRY_RUN_H
#define MK_DRY_RUN_H

#include "mkimage/boot/boot.h"
#include "mkimage/image_plan.h"
#include "mkimage/media.h"
#include "mkimage/tree.h"

/* Files, directories, sectors of each structure, the total; media: the free space on it
 * (NULL: none given); boot: the boot entries and a hybrid image's partitions (NULL: none). */
void mk_print_layout(const mk_tree *tree, const image_plan *plan, const mk_media *media,
		     const mk_boot *boot);

#endif
