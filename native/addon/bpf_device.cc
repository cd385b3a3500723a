// eBPF device control on cgroup2 (BPF_PROG_TYPE_CGROUP_DEVICE): load a
// program TS generated (lib/cgroups/device-filter.ts), attach it to a
// cgroup2 directory, list and detach what is attached. The kernel keeps an
// attached program alive with the cgroup; the fds returned are O_CLOEXEC.
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

// The verifier gives up with EAGAIN when a signal is pending for this
// thread (Node's own SIGCHLD from a helper that just exited, or the
// profiler's SIGPROF every 100 us under --cpu-prof, which failed every
// retry): signals stay blocked during the call (they are delivered right
// after), and a load that still sees one is retried a bounded number of
// times, as libbpf does.
int Bpf(int cmd, union bpf_attr* attr) {
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  long rc;
  int eagain_left = 8;
  do {
    rc = syscall(SYS_bpf, cmd, attr, sizeof(*attr));
  } while (rc < 0 && (errno == EINTR || (cmd == BPF_PROG_LOAD && errno == EAGAIN && --eagain_left > 0)));
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = err;
  return static_cast<int>(rc);
}

int OpenCgroupDir(Napi::Env env, const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) ThrowSystemError(env, errno, "open", dir);
  return fd;
}

// The verifier's reason, for the error line: its last non-empty line.
std::string LastLogLine(const std::vector<char>& log) {
  std::string text(log.data(), strnlen(log.data(), log.size()));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

}  // namespace

// bpfLoadDeviceProgram(insns: Buffer, license: string): number
Napi::Value BpfLoadDeviceProgram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer()) {
    ThrowTypeError(env, "bpfLoadDeviceProgram: insns must be a Buffer");
    return env.Undefined();
  }
  Napi::Buffer<uint8_t> insns = info[0].As<Napi::Buffer<uint8_t>>();
  std::string license;
  if (!ReadStringArg(info, 1, "license", &license)) return env.Undefined();
  if (insns.Length() == 0 || insns.Length() % sizeof(struct bpf_insn) != 0 || insns.Length() > 4096 * sizeof(struct bpf_insn)) {
    ThrowTypeError(env, "bpfLoadDeviceProgram: insns must be 1..4096 8-byte instructions");
    return env.Undefined();
  }
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = reinterpret_cast<uint64_t>(insns.Data());
  attr.insn_cnt = static_cast<uint32_t>(insns.Length() / sizeof(struct bpf_insn));
  attr.license = reinterpret_cast<uint64_t>(license.c_str());
  int fd = Bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return Napi::Number::New(env, fd);
  int err = errno;
  // Load again with the verifier's log only to say why (it costs memory and time).
  std::vector<char> log(64 * 1024, 0);
  attr.log_level = 1;
  attr.log_buf = reinterpret_cast<uint64_t>(log.data());
  attr.log_size = static_cast<uint32_t>(log.size());
  fd = Bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return Napi::Number::New(env, fd);
  std::string why = LastLogLine(log);
  ThrowSystemError(env, err, "bpf(BPF_PROG_LOAD)", why.empty() ? std::string("device program") : "device program: " + why);
  return env.Undefined();
}

// bpfAttachDevice(cgroupDir, progFd, replaceFd): BPF_F_ALLOW_MULTI, with
// BPF_F_REPLACE (atomic swap) when replaceFd >= 0.
Napi::Value BpfAttachDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir;
  int progFd, replaceFd;
  if (!ReadStringArg(info, 0, "cgroupDir", &dir) || !ReadFd(info, 1, "progFd", &progFd)) return env.Undefined();
  int64_t replace;
  if (!ReadInt(env, info[2], "replaceFd", -1, INT32_MAX, &replace)) return env.Undefined();
  replaceFd = static_cast<int>(replace);
  UniqueFd cg(OpenCgroupDir(env, dir));
  if (!cg.Valid()) return env.Undefined();
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = cg.Get();
  attr.attach_bpf_fd = progFd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI | (replaceFd >= 0 ? BPF_F_REPLACE : 0);
  if (replaceFd >= 0) attr.replace_bpf_fd = replaceFd;
  if (Bpf(BPF_PROG_ATTACH, &attr) < 0) ThrowSystemError(env, errno, "bpf(BPF_PROG_ATTACH)", dir);
  return env.Undefined();
}

// bpfQueryDevice(cgroupDir): ids of the device programs attached to that cgroup itself.
Napi::Value BpfQueryDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir;
  if (!ReadStringArg(info, 0, "cgroupDir", &dir)) return env.Undefined();
  UniqueFd cg(OpenCgroupDir(env, dir));
  if (!cg.Valid()) return env.Undefined();
  std::vector<uint32_t> ids(64, 0);
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = cg.Get();
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = reinterpret_cast<uint64_t>(ids.data());
  attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
  if (Bpf(BPF_PROG_QUERY, &attr) < 0) {
    ThrowSystemError(env, errno, "bpf(BPF_PROG_QUERY)", dir);
    return env.Undefined();
  }
  uint32_t n = attr.query.prog_cnt < ids.size() ? attr.query.prog_cnt : static_cast<uint32_t>(ids.size());
  Napi::Array out = Napi::Array::New(env, n);
  for (uint32_t i = 0; i < n; i++) out.Set(i, Napi::Number::New(env, ids[i]));
  return out;
}

// bpfProgFdById(id): an O_CLOEXEC fd of a loaded program.
Napi::Value BpfProgFdById(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t id;
  if (!ReadInt(env, info[0], "id", 1, UINT32_MAX, &id)) return env.Undefined();
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_id = static_cast<uint32_t>(id);
  int fd = Bpf(BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0) {
    ThrowSystemError(env, errno, "bpf(BPF_PROG_GET_FD_BY_ID)");
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

// bpfDetachDevice(cgroupDir, progFd)
Napi::Value BpfDetachDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir;
  int progFd;
  if (!ReadStringArg(info, 0, "cgroupDir", &dir) || !ReadFd(info, 1, "progFd", &progFd)) return env.Undefined();
  UniqueFd cg(OpenCgroupDir(env, dir));
  if (!cg.Valid()) return env.Undefined();
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = cg.Get();
  attr.attach_bpf_fd = progFd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (Bpf(BPF_PROG_DETACH, &attr) < 0) ThrowSystemError(env, errno, "bpf(BPF_PROG_DETACH)", dir);
  return env.Undefined();
}

}  // namespace tsoci::addon
