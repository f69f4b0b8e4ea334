#ifndef HUTCH_CLIENT_STALE_CHECK_H
#define HUTCH_CLIENT_STALE_CHECK_H

/* 0: a regular file under paths is newer than stamp_path; 1: none is; 2: cannot tell. */
int stale_check(const char *stamp_path, char **paths, int npaths);

#endif
