// Out-of-line destructors of the driver interfaces: their vtables and type
// information live in librelate.so, so every plugin shares one copy.
#include <relate/driver/driver.hpp>

namespace relate {

native_cursor::~native_cursor() = default;
native_connection::~native_connection() = default;
driver::~driver() = default;

bool driver::single_connection(const url&) const { return false; }

}  // namespace relate
