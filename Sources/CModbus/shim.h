#ifndef GEOLITH_CMODBUS_SHIM_H
#define GEOLITH_CMODBUS_SHIM_H

#include <modbus/modbus.h>
#include <errno.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/// libmodbus defines its error codes as computed macros (MODBUS_ENOBASE + n), which the Swift
/// importer drops; these functions return them [STYLE: facts checked on this toolchain].
static inline int cmodbus_enobase(void) { return MODBUS_ENOBASE; }
/// CRC mismatch on an RTU frame.
static inline int cmodbus_embbadcrc(void) { return EMBBADCRC; }
/// A response whose data does not match the request.
static inline int cmodbus_embbaddata(void) { return EMBBADDATA; }
/// An exception response with an invalid code.
static inline int cmodbus_embbadexc(void) { return EMBBADEXC; }
/// An exception code libmodbus does not know.
static inline int cmodbus_embunkexc(void) { return EMBUNKEXC; }
/// Too many or too few data in a request (invalid argument before sending).
static inline int cmodbus_embmdata(void) { return EMBMDATA; }
/// A response from another unit id than requested.
static inline int cmodbus_embbadslave(void) { return EMBBADSLAVE; }

/// Turns Nagle's algorithm off on a socket: libmodbus does it on client sockets but not on the sockets
/// its server accepts, where a frame written in two pieces then costs ≈ 44 ms (docs/sources.md §5.3).
static inline int cmodbus_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

#endif
