#ifndef GEOLITH_CMODBUS_SHIM_H
#define GEOLITH_CMODBUS_SHIM_H

#include <modbus/modbus.h>
#include <errno.h>

/// libmodbus defines its error codes as computed macros (MODBUS_ENOBASE + n), which the Swift
/// importer drops; these functions return them [STYLE: facts checked on this toolchain].
static inline int cmodbus_embbadcrc(void) { return EMBBADCRC; }

#endif
