#ifndef LOOKOUT_CSNAPPY_H
#define LOOKOUT_CSNAPPY_H
/* Debian's libsnappy (libsnappy-dev): snappy block compression for Prometheus remote write. */
#include <snappy-c.h>
#endif
