#ifndef LOOKOUT_CCRYPT_H
#define LOOKOUT_CCRYPT_H
/* libxcrypt (Debian's libcrypt1; headers in libcrypt-dev, which libc6-dev depends on). */
#include <crypt.h>
#endif
