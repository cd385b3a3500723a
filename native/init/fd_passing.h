// Sending descriptors from ts-oci-init (SCM_RIGHTS): the seccomp listener
// and the pty master leave the container this way.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tsoci {

// One sendmsg of `payload` (non-empty: an fd needs a byte to ride on) with
// `fd` attached. 0, or -1 with errno.
int send_fd(int sock, int fd, const void* payload, size_t len);

// A frame whose payload carries `fd`: the header alone first, then the
// payload with the fd, so the runtime's plain 8-byte header read never
// consumes the bytes the descriptor is attached to. `type` must have
// FRAME_FD_FLAG set.
int frame_write_fd(int sock, uint32_t type, const void* payload, uint32_t len, int fd);

}  // namespace tsoci
