// SPDX-License-Identifier: MIT
/* The contract between relate's core and a driver plugin.
 *
 * A driver is a shared module exporting one C symbol, RELATE_PLUGIN_ENTRY_SYMBOL,
 * that returns a pointer to a static relate_plugin_descriptor.  The loader reads
 * this plain-data descriptor and checks abi_version and cxx_abi *before* it
 * constructs any C++ object from the plugin: a module built against another
 * contract is refused with a clear error instead of crashing on a vtable it
 * does not share.
 *
 * The entry point name carries no version on purpose: a plugin built for an
 * older contract still resolves, so the loader can report "ABI version 1,
 * expected 2" instead of a bare "symbol not found".  For the same reason the
 * first four fields of the descriptor keep their place in every ABI version:
 * whatever a plugin was built against, the loader can name both relate
 * releases when it refuses it.
 */
#ifndef RELATE_PLUGIN_ABI_H
#define RELATE_PLUGIN_ABI_H

#include <relate/version.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
/* Defines the C++ library's macros that RELATE_PLUGIN_CXX_ABI reads below,
 * so the tag does not depend on what was included before this header. */
#include <cstddef>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the descriptor layout or the C++ driver interface
 * (relate/driver/driver.hpp, and the relate::sql::dialect a driver derives
 * from) changes incompatibly.
 * 2: sql::dialect::reserve_keys (a new virtual function).
 * 3: dialect_capabilities::max_identifier_length and alter_foreign_keys,
 *    dialect::foreign_key_exists and defer_foreign_key_checks,
 *    native_connection::execute_batch.
 * 4: dialect_capabilities::array_in_lists_over, sql::node::depth,
 *    native_connection::begin(transaction_options) and reset(),
 *    connect_options timeouts and prepared_statements, error_info::kind,
 *    dialect::schema_tools (inspection and migrations, relate/sql/schema_support.hpp),
 *    ddl_compiler::add_column and create_index_on,
 *    relate_version in the descriptor,
 *    select_stmt::lock (sql::row_lock) in place of select_stmt::for_update.
 * 5: the node kinds sql::known_function_call and sql::json_path (new visits
 *    in node_visitor), value's interval alternative and
 *    native_cursor::get_interval, sql_type's element and enumeration,
 *    dialect_capabilities::arrays and native_enums, dialect::type_check,
 *    enum_type_exists and enum_type_users, sql_compiler::write_json_step.
 * 6: native_connection::log_position and replication_status (replica
 *    routing, read-your-writes). */
#define RELATE_PLUGIN_ABI_VERSION 6u

#define RELATE_PLUGIN_ENTRY_SYMBOL "relate_plugin_entry"

/* The C++ objects handed across (std::string, std::unique_ptr, vtables) are
 * only compatible between modules built by the same C++ standard library ABI.
 * The loader compares this tag, computed at the plugin's compile time, with
 * its own. */
#if defined(_LIBCPP_VERSION)
#define RELATE_PLUGIN_CXX_ABI "libc++"
#elif defined(__GLIBCXX__)
#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define RELATE_PLUGIN_CXX_ABI "libstdc++-cxx11"
#else
#define RELATE_PLUGIN_CXX_ABI "libstdc++-old"
#endif
#else
#define RELATE_PLUGIN_CXX_ABI "unknown"
#endif

/* Creates the driver object.  Returns an owning pointer to a relate::driver
 * (cast to void* so this header stays C), or NULL after writing a
 * NUL-terminated reason into error (at most error_size bytes).  Must not throw. */
typedef void* (*relate_plugin_factory)(char* error, size_t error_size);

typedef struct relate_plugin_descriptor {
  uint32_t abi_version;        /* RELATE_PLUGIN_ABI_VERSION of the plugin's build */
  uint32_t descriptor_size;    /* sizeof(relate_plugin_descriptor) of the plugin's build */
  const char* cxx_abi;         /* RELATE_PLUGIN_CXX_ABI of the plugin's build */
  const char* relate_version;  /* RELATE_VERSION_STRING of the relate the plugin was built against */
  const char* driver_name;     /* e.g. "sqlite" */
  const char* driver_version;  /* free text, e.g. "0.1.0 (SQLite 3.40.1)" */
  const char* const* schemes;  /* NULL-terminated list, e.g. {"postgresql", "postgres", NULL} */
  relate_plugin_factory create;
} relate_plugin_descriptor;

typedef const relate_plugin_descriptor* (*relate_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RELATE_PLUGIN_ABI_H */
