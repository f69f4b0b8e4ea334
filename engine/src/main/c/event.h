#ifndef HUTCH_EVENT_H
#define HUTCH_EVENT_H

#include "launch_file.h"

#include <stddef.h>

/* The container events the monitor sees first, appended to the engine's journal (docs/events.md):
 * die (with its exit code), oom, health_status: healthy|unhealthy, and the resize of a terminal it
 * relays (with height and width). */

/* One journal line, newline included, in buf: the engine's prepared die line (event_die: the line
 * after its time, action "die") with ACTION in place of "die", the time, "exitCode" when
 * exit_code >= 0, and ATTRS (JSON members such as "height":"40","width":"80", or NULL) among the
 * attributes. Returns its length, or -1 when it does not fit or event_die is not of that form. */
int event_line(char *buf, size_t cap, const char *event_die, const char *action, long long time_ns, int exit_code,
               const char *attrs);

/* Appends that line now, as one write on an O_APPEND descriptor. Best effort: an event that cannot
 * be written is lost, and nothing else is. Does nothing without event_file and event_die. */
void event_append(const struct launch *l, const char *action, int exit_code, const char *attrs);

#endif
