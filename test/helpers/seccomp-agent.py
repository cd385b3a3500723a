#!/usr/bin/env python3
# A minimal seccomp agent for the NOTIFY test: accepts one connection on
# argv[1], receives the container process state and the seccomp listener fd
# (SCM_RIGHTS), writes the state to argv[2], then answers exactly one
# notification: "success, return 0" without performing the syscall.
import array, fcntl, json, os, socket, struct, sys

SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes

path, state_file = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
print("ready", flush=True)
conn, _ = server.accept()
fds = array.array("i")
data, ancdata, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(4 * fds.itemsize))
for level, kind, payload in ancdata:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
rest = conn.recv(65536)  # the runtime closes after one message
conn.close()
state = json.loads(data + rest)
state["receivedFds"] = len(fds)
with open(state_file + ".tmp", "w") as f:
    json.dump(state, f)
os.rename(state_file + ".tmp", state_file)

notif = bytearray(80)
fcntl.ioctl(fds[0], SECCOMP_IOCTL_NOTIF_RECV, notif)
notif_id, pid, _flags, nr = struct.unpack_from("=QIIi", notif)
# Written before the answer: once the container's call returns, the file is there.
with open(state_file + ".answered", "w") as f:
    f.write(str(nr))
fcntl.ioctl(fds[0], SECCOMP_IOCTL_NOTIF_SEND, struct.pack("=QqiI", notif_id, 0, 0, 0))
