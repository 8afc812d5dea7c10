// SPDX-License-Identifier: MIT
#include "sqlite_errors.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace relate::sqlite {
namespace {

struct named_code {
  int code;
  const char* name;
};

// Every code SQLite documents; the extended ones are guarded because older
// SQLite headers lack the newer names.
constexpr named_code known_codes[] = {
    {SQLITE_OK, "SQLITE_OK"},
    {SQLITE_ERROR, "SQLITE_ERROR"},
    {SQLITE_INTERNAL, "SQLITE_INTERNAL"},
    {SQLITE_PERM, "SQLITE_PERM"},
    {SQLITE_ABORT, "SQLITE_ABORT"},
    {SQLITE_BUSY, "SQLITE_BUSY"},
    {SQLITE_LOCKED, "SQLITE_LOCKED"},
    {SQLITE_NOMEM, "SQLITE_NOMEM"},
    {SQLITE_READONLY, "SQLITE_READONLY"},
    {SQLITE_INTERRUPT, "SQLITE_INTERRUPT"},
    {SQLITE_IOERR, "SQLITE_IOERR"},
    {SQLITE_CORRUPT, "SQLITE_CORRUPT"},
    {SQLITE_NOTFOUND, "SQLITE_NOTFOUND"},
    {SQLITE_FULL, "SQLITE_FULL"},
    {SQLITE_CANTOPEN, "SQLITE_CANTOPEN"},
    {SQLITE_PROTOCOL, "SQLITE_PROTOCOL"},
    {SQLITE_EMPTY, "SQLITE_EMPTY"},
    {SQLITE_SCHEMA, "SQLITE_SCHEMA"},
    {SQLITE_TOOBIG, "SQLITE_TOOBIG"},
    {SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"},
    {SQLITE_MISMATCH, "SQLITE_MISMATCH"},
    {SQLITE_MISUSE, "SQLITE_MISUSE"},
    {SQLITE_NOLFS, "SQLITE_NOLFS"},
    {SQLITE_AUTH, "SQLITE_AUTH"},
    {SQLITE_FORMAT, "SQLITE_FORMAT"},
    {SQLITE_RANGE, "SQLITE_RANGE"},
    {SQLITE_NOTADB, "SQLITE_NOTADB"},
    {SQLITE_NOTICE, "SQLITE_NOTICE"},
    {SQLITE_WARNING, "SQLITE_WARNING"},
    {SQLITE_ROW, "SQLITE_ROW"},
    {SQLITE_DONE, "SQLITE_DONE"},
#ifdef SQLITE_ERROR_MISSING_COLLSEQ
    {SQLITE_ERROR_MISSING_COLLSEQ, "SQLITE_ERROR_MISSING_COLLSEQ"},
#endif
#ifdef SQLITE_ERROR_RETRY
    {SQLITE_ERROR_RETRY, "SQLITE_ERROR_RETRY"},
#endif
#ifdef SQLITE_ERROR_SNAPSHOT
    {SQLITE_ERROR_SNAPSHOT, "SQLITE_ERROR_SNAPSHOT"},
#endif
#ifdef SQLITE_IOERR_READ
    {SQLITE_IOERR_READ, "SQLITE_IOERR_READ"},
#endif
#ifdef SQLITE_IOERR_SHORT_READ
    {SQLITE_IOERR_SHORT_READ, "SQLITE_IOERR_SHORT_READ"},
#endif
#ifdef SQLITE_IOERR_WRITE
    {SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE"},
#endif
#ifdef SQLITE_IOERR_FSYNC
    {SQLITE_IOERR_FSYNC, "SQLITE_IOERR_FSYNC"},
#endif
#ifdef SQLITE_IOERR_DIR_FSYNC
    {SQLITE_IOERR_DIR_FSYNC, "SQLITE_IOERR_DIR_FSYNC"},
#endif
#ifdef SQLITE_IOERR_TRUNCATE
    {SQLITE_IOERR_TRUNCATE, "SQLITE_IOERR_TRUNCATE"},
#endif
#ifdef SQLITE_IOERR_FSTAT
    {SQLITE_IOERR_FSTAT, "SQLITE_IOERR_FSTAT"},
#endif
#ifdef SQLITE_IOERR_UNLOCK
    {SQLITE_IOERR_UNLOCK, "SQLITE_IOERR_UNLOCK"},
#endif
#ifdef SQLITE_IOERR_RDLOCK
    {SQLITE_IOERR_RDLOCK, "SQLITE_IOERR_RDLOCK"},
#endif
#ifdef SQLITE_IOERR_DELETE
    {SQLITE_IOERR_DELETE, "SQLITE_IOERR_DELETE"},
#endif
#ifdef SQLITE_IOERR_BLOCKED
    {SQLITE_IOERR_BLOCKED, "SQLITE_IOERR_BLOCKED"},
#endif
#ifdef SQLITE_IOERR_NOMEM
    {SQLITE_IOERR_NOMEM, "SQLITE_IOERR_NOMEM"},
#endif
#ifdef SQLITE_IOERR_ACCESS
    {SQLITE_IOERR_ACCESS, "SQLITE_IOERR_ACCESS"},
#endif
#ifdef SQLITE_IOERR_CHECKRESERVEDLOCK
    {SQLITE_IOERR_CHECKRESERVEDLOCK, "SQLITE_IOERR_CHECKRESERVEDLOCK"},
#endif
#ifdef SQLITE_IOERR_LOCK
    {SQLITE_IOERR_LOCK, "SQLITE_IOERR_LOCK"},
#endif
#ifdef SQLITE_IOERR_CLOSE
    {SQLITE_IOERR_CLOSE, "SQLITE_IOERR_CLOSE"},
#endif
#ifdef SQLITE_IOERR_DIR_CLOSE
    {SQLITE_IOERR_DIR_CLOSE, "SQLITE_IOERR_DIR_CLOSE"},
#endif
#ifdef SQLITE_IOERR_SHMOPEN
    {SQLITE_IOERR_SHMOPEN, "SQLITE_IOERR_SHMOPEN"},
#endif
#ifdef SQLITE_IOERR_SHMSIZE
    {SQLITE_IOERR_SHMSIZE, "SQLITE_IOERR_SHMSIZE"},
#endif
#ifdef SQLITE_IOERR_SHMLOCK
    {SQLITE_IOERR_SHMLOCK, "SQLITE_IOERR_SHMLOCK"},
#endif
#ifdef SQLITE_IOERR_SHMMAP
    {SQLITE_IOERR_SHMMAP, "SQLITE_IOERR_SHMMAP"},
#endif
#ifdef SQLITE_IOERR_SEEK
    {SQLITE_IOERR_SEEK, "SQLITE_IOERR_SEEK"},
#endif
#ifdef SQLITE_IOERR_DELETE_NOENT
    {SQLITE_IOERR_DELETE_NOENT, "SQLITE_IOERR_DELETE_NOENT"},
#endif
#ifdef SQLITE_IOERR_MMAP
    {SQLITE_IOERR_MMAP, "SQLITE_IOERR_MMAP"},
#endif
#ifdef SQLITE_IOERR_GETTEMPPATH
    {SQLITE_IOERR_GETTEMPPATH, "SQLITE_IOERR_GETTEMPPATH"},
#endif
#ifdef SQLITE_IOERR_CONVPATH
    {SQLITE_IOERR_CONVPATH, "SQLITE_IOERR_CONVPATH"},
#endif
#ifdef SQLITE_IOERR_VNODE
    {SQLITE_IOERR_VNODE, "SQLITE_IOERR_VNODE"},
#endif
#ifdef SQLITE_IOERR_AUTH
    {SQLITE_IOERR_AUTH, "SQLITE_IOERR_AUTH"},
#endif
#ifdef SQLITE_IOERR_BEGIN_ATOMIC
    {SQLITE_IOERR_BEGIN_ATOMIC, "SQLITE_IOERR_BEGIN_ATOMIC"},
#endif
#ifdef SQLITE_IOERR_COMMIT_ATOMIC
    {SQLITE_IOERR_COMMIT_ATOMIC, "SQLITE_IOERR_COMMIT_ATOMIC"},
#endif
#ifdef SQLITE_IOERR_ROLLBACK_ATOMIC
    {SQLITE_IOERR_ROLLBACK_ATOMIC, "SQLITE_IOERR_ROLLBACK_ATOMIC"},
#endif
#ifdef SQLITE_IOERR_DATA
    {SQLITE_IOERR_DATA, "SQLITE_IOERR_DATA"},
#endif
#ifdef SQLITE_IOERR_CORRUPTFS
    {SQLITE_IOERR_CORRUPTFS, "SQLITE_IOERR_CORRUPTFS"},
#endif
#ifdef SQLITE_LOCKED_SHAREDCACHE
    {SQLITE_LOCKED_SHAREDCACHE, "SQLITE_LOCKED_SHAREDCACHE"},
#endif
#ifdef SQLITE_LOCKED_VTAB
    {SQLITE_LOCKED_VTAB, "SQLITE_LOCKED_VTAB"},
#endif
#ifdef SQLITE_BUSY_RECOVERY
    {SQLITE_BUSY_RECOVERY, "SQLITE_BUSY_RECOVERY"},
#endif
#ifdef SQLITE_BUSY_SNAPSHOT
    {SQLITE_BUSY_SNAPSHOT, "SQLITE_BUSY_SNAPSHOT"},
#endif
#ifdef SQLITE_BUSY_TIMEOUT
    {SQLITE_BUSY_TIMEOUT, "SQLITE_BUSY_TIMEOUT"},
#endif
#ifdef SQLITE_CANTOPEN_NOTEMPDIR
    {SQLITE_CANTOPEN_NOTEMPDIR, "SQLITE_CANTOPEN_NOTEMPDIR"},
#endif
#ifdef SQLITE_CANTOPEN_ISDIR
    {SQLITE_CANTOPEN_ISDIR, "SQLITE_CANTOPEN_ISDIR"},
#endif
#ifdef SQLITE_CANTOPEN_FULLPATH
    {SQLITE_CANTOPEN_FULLPATH, "SQLITE_CANTOPEN_FULLPATH"},
#endif
#ifdef SQLITE_CANTOPEN_CONVPATH
    {SQLITE_CANTOPEN_CONVPATH, "SQLITE_CANTOPEN_CONVPATH"},
#endif
#ifdef SQLITE_CANTOPEN_DIRTYWAL
    {SQLITE_CANTOPEN_DIRTYWAL, "SQLITE_CANTOPEN_DIRTYWAL"},
#endif
#ifdef SQLITE_CANTOPEN_SYMLINK
    {SQLITE_CANTOPEN_SYMLINK, "SQLITE_CANTOPEN_SYMLINK"},
#endif
#ifdef SQLITE_CORRUPT_VTAB
    {SQLITE_CORRUPT_VTAB, "SQLITE_CORRUPT_VTAB"},
#endif
#ifdef SQLITE_CORRUPT_SEQUENCE
    {SQLITE_CORRUPT_SEQUENCE, "SQLITE_CORRUPT_SEQUENCE"},
#endif
#ifdef SQLITE_CORRUPT_INDEX
    {SQLITE_CORRUPT_INDEX, "SQLITE_CORRUPT_INDEX"},
#endif
#ifdef SQLITE_READONLY_RECOVERY
    {SQLITE_READONLY_RECOVERY, "SQLITE_READONLY_RECOVERY"},
#endif
#ifdef SQLITE_READONLY_CANTLOCK
    {SQLITE_READONLY_CANTLOCK, "SQLITE_READONLY_CANTLOCK"},
#endif
#ifdef SQLITE_READONLY_ROLLBACK
    {SQLITE_READONLY_ROLLBACK, "SQLITE_READONLY_ROLLBACK"},
#endif
#ifdef SQLITE_READONLY_DBMOVED
    {SQLITE_READONLY_DBMOVED, "SQLITE_READONLY_DBMOVED"},
#endif
#ifdef SQLITE_READONLY_CANTINIT
    {SQLITE_READONLY_CANTINIT, "SQLITE_READONLY_CANTINIT"},
#endif
#ifdef SQLITE_READONLY_DIRECTORY
    {SQLITE_READONLY_DIRECTORY, "SQLITE_READONLY_DIRECTORY"},
#endif
#ifdef SQLITE_ABORT_ROLLBACK
    {SQLITE_ABORT_ROLLBACK, "SQLITE_ABORT_ROLLBACK"},
#endif
#ifdef SQLITE_CONSTRAINT_CHECK
    {SQLITE_CONSTRAINT_CHECK, "SQLITE_CONSTRAINT_CHECK"},
#endif
#ifdef SQLITE_CONSTRAINT_COMMITHOOK
    {SQLITE_CONSTRAINT_COMMITHOOK, "SQLITE_CONSTRAINT_COMMITHOOK"},
#endif
#ifdef SQLITE_CONSTRAINT_FOREIGNKEY
    {SQLITE_CONSTRAINT_FOREIGNKEY, "SQLITE_CONSTRAINT_FOREIGNKEY"},
#endif
#ifdef SQLITE_CONSTRAINT_FUNCTION
    {SQLITE_CONSTRAINT_FUNCTION, "SQLITE_CONSTRAINT_FUNCTION"},
#endif
#ifdef SQLITE_CONSTRAINT_NOTNULL
    {SQLITE_CONSTRAINT_NOTNULL, "SQLITE_CONSTRAINT_NOTNULL"},
#endif
#ifdef SQLITE_CONSTRAINT_PRIMARYKEY
    {SQLITE_CONSTRAINT_PRIMARYKEY, "SQLITE_CONSTRAINT_PRIMARYKEY"},
#endif
#ifdef SQLITE_CONSTRAINT_TRIGGER
    {SQLITE_CONSTRAINT_TRIGGER, "SQLITE_CONSTRAINT_TRIGGER"},
#endif
#ifdef SQLITE_CONSTRAINT_UNIQUE
    {SQLITE_CONSTRAINT_UNIQUE, "SQLITE_CONSTRAINT_UNIQUE"},
#endif
#ifdef SQLITE_CONSTRAINT_VTAB
    {SQLITE_CONSTRAINT_VTAB, "SQLITE_CONSTRAINT_VTAB"},
#endif
#ifdef SQLITE_CONSTRAINT_ROWID
    {SQLITE_CONSTRAINT_ROWID, "SQLITE_CONSTRAINT_ROWID"},
#endif
#ifdef SQLITE_CONSTRAINT_PINNED
    {SQLITE_CONSTRAINT_PINNED, "SQLITE_CONSTRAINT_PINNED"},
#endif
#ifdef SQLITE_CONSTRAINT_DATATYPE
    {SQLITE_CONSTRAINT_DATATYPE, "SQLITE_CONSTRAINT_DATATYPE"},
#endif
#ifdef SQLITE_AUTH_USER
    {SQLITE_AUTH_USER, "SQLITE_AUTH_USER"},
#endif
};

const char* find_name(int code) noexcept {
  for (const auto& entry : known_codes) {
    if (entry.code == code) return entry.name;
  }
  return nullptr;
}

}  // namespace

std::string code_name(int extended_code) {
  if (const char* name = find_name(extended_code)) return name;
  if (const char* primary = find_name(extended_code & 0xff)) return primary;
  return "SQLITE_UNKNOWN(" + std::to_string(extended_code) + ")";
}

error_category category_of(int extended_code) noexcept {
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return error_category::integrity;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_ABORT:
    case SQLITE_INTERRUPT:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
    case SQLITE_SCHEMA:
      return error_category::operational;
    case SQLITE_ERROR:  // syntax errors, no such table/column: a mistake in the SQL
    case SQLITE_MISUSE:
      return error_category::programming;
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return error_category::data;
    default:
      return error_category::database;
  }
}

bool is_retryable(int extended_code) noexcept {
  const int primary = extended_code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

error_info make_error_info(sqlite3* db, int extended_code, std::string_view sql) {
  error_info info;
  info.driver = "sqlite";
  info.sql = std::string(sql);
  info.native_code = code_name(extended_code);
  // sqlite3_errmsg describes the connection's last failure, which is this one
  // as long as it is read before the next call on the connection.
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(extended_code);
  info.native_message = message ? message : "";
#ifdef SQLITE_READONLY_DIRECTORY
  // "attempt to write a readonly database" does not say that the file may be
  // writable: it is the folder, where SQLite must create its journal.
  if (extended_code == SQLITE_READONLY_DIRECTORY && db) {
    const char* file = sqlite3_db_filename(db, "main");
    const std::string dir =
        file && *file ? std::filesystem::path(file).parent_path().string() : std::string();
    info.native_message += " (directory '" + dir + "' is not writable, and SQLite writes its journal there)";
  }
#endif
  info.retryable = is_retryable(extended_code);
  if (info.retryable) info.kind = error_kind::busy;
  return info;
}

void throw_error(sqlite3* db, int extended_code, std::string_view sql) {
  throw_database_error(category_of(extended_code), make_error_info(db, extended_code, sql));
}

}  // namespace relate::sqlite
