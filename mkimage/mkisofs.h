/* The mkisofs front end: the third filler of the settings model. `mkimage -as mkisofs ARGS`
 * (as xorriso takes it, so grub-mkrescue --xorriso=mkimage works) and mkimage run as
 * mkisofs, genisoimage or xorrisofs read mkisofs's options with their meanings and defaults
 * (plain ISO 9660 level 1 unless -R/-r/-J/-udf say more). mkimage.1 lists them. */
#ifndef MK_MKISOFS_H
#define MK_MKISOFS_H

#include "common/dm_error.h"
#include "mkimage/settings.h"

/* 0: not mkisofs; 1: by program name (argv[0]); 2: "-as mkisofs" as the first arguments. */
int mk_mkisofs_invoked(int argc, char **argv);

#define MK_MKISOFS_EXIT 3  /* -help or -version (s->help, s->version): answer and exit 0 */

/* Parse mkisofs arguments (argv[0] the program, no "-as mkisofs") into s. Returns 0, or
 * MK_MKISOFS_EXIT after -help/-version, or DM_ERR_INVALID with the message in
 * ctx (unknown options are named). Warnings (the Mac HFS+ part left out) go to ctx. */
int mk_mkisofs_parse(mk_settings *s, int argc, char **argv, dm_ctx *ctx);

/* The -help text (main.c prints it on standard error, as mkisofs and xorriso do: callers
 * such as grub-mkrescue read it there for --grub2-boot-info and -efi-boot-part). */
extern const char mk_mkisofs_help[];

#endif
