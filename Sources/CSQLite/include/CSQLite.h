#ifndef LOOKOUT_CSQLITE_H
#define LOOKOUT_CSQLITE_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
sqlite3_destructor_type lk_sqlite_transient(void);
/* sqlite3_db_config is variadic: one typed wrapper for the int/int* form. */
int lk_sqlite_db_config_int(sqlite3 *db, int op, int value, int *out);
/* glibc's malloc_trim, for giving freed heap memory back after a large cache is dropped. */
#include <malloc.h>
#endif
