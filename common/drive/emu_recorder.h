/* The built-in emulated recorder: a transport (scsi_transport.h) that answers MMC-6
 * commands the way a CD/DVD/BD writer holding the chosen disc would, so writeimg and the
 * tests can run without a drive. The disc persists in one file (emu_state.h), so separate
 * runs see what earlier ones wrote.
 *
 * Spec: "emu:MEDIUM:FILE[?key=value&...]", MEDIUM one of none, cd-r, cd-rw, dvd-r, dvd-rw,
 * dvd+r, dvd+rw, dvd+r-dl, dvd-r-dl, dvd-ram, bd-r, bd-re (or empty to take whatever disc
 * FILE holds). Settings and faults: emu_state.h. What it models per MMC-6 and what it
 * simplifies: emu_recorder.c and spec/emulator.md. */
#ifndef EMU_RECORDER_H
#define EMU_RECORDER_H

#include "common/drive/scsi_transport.h"

dm_status emu_open(const char *spec, scsi_transport **out, dm_ctx *ctx);

/* Drives named "emu:...", for scsi_register() (scsi_transport.h). */
extern const scsi_transport_kind emu_transport_kind;

#endif
