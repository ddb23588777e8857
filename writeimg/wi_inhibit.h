/* A systemd-logind inhibitor lock ("shutdown:sleep", mode block) held while a disc is
 * written, through libsystemd's sd-bus: an interrupted burn ruins a write-once disc. */
#ifndef WI_INHIBIT_H
#define WI_INHIBIT_H

#include <stddef.h>

/* Returns the lock's file descriptor (closing it releases the lock), or -1 with the
 * reason in why (no system bus, no logind, refused). */
int wi_inhibit_take(const char *what_for, char *why, size_t len);
void wi_inhibit_release(int fd);

#endif
