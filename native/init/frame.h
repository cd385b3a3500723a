// Framed messages on the sync socket (common/protocol.h): u32 type, u32
// length, payload, all little endian.
#pragma once
#include <cstdint>

namespace tsoci {

// Sends one frame; 0 or -1 with errno.
int frame_write(int fd, uint32_t type, const void* payload, uint32_t len);

// Sends only the header of a frame whose payload follows separately.
int frame_write_head(int fd, uint32_t type, uint32_t len);

// Reads one frame. The payload is malloc'd with one spare byte (the plan
// decoder NUL-terminates strings in place) and owned by the caller.
// Returns 1 for a frame, 0 on EOF (the parent is gone), -1 with errno
// (EMSGSIZE when the announced length exceeds `max_len`).
int frame_read(int fd, uint32_t* type, char** payload, uint32_t* len, uint32_t max_len);

}  // namespace tsoci
