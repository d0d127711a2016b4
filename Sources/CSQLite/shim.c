#include "CSQLite.h"

sqlite3_destructor_type lk_sqlite_transient(void) { return SQLITE_TRANSIENT; }
int lk_sqlite_db_config_int(sqlite3 *db, int op, int value, int *out) { return sqlite3_db_config(db, op, value, out); }
