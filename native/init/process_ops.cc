// SETHOSTNAME, SETDOMAINNAME, RLIMIT, UMASK and CHDIR.
#include <linux/keyctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "init/error.h"
#include "init/inroot.h"
#include "init/ops.h"
#include "init/sys.h"

namespace tsoci {

int op_sethostname(Ctx&, ArgReader& a, ErrorRecord* err) {
  const char* name = a.str();
  if (sethostname(name, strlen(name)) < 0) return sys_error(err, "sethostname", name);
  return 0;
}

int op_setdomainname(Ctx&, ArgReader& a, ErrorRecord* err) {
  const char* name = a.str();
  if (setdomainname(name, strlen(name)) < 0) return sys_error(err, "setdomainname", name);
  return 0;
}

int op_rlimit(Ctx&, ArgReader& a, ErrorRecord* err) {
  int resource = static_cast<int>(a.num());
  int64_t soft = a.num();
  int64_t hard = a.num();
  struct rlimit limit;
  limit.rlim_cur = soft == -1 ? RLIM_INFINITY : static_cast<rlim_t>(soft);
  limit.rlim_max = hard == -1 ? RLIM_INFINITY : static_cast<rlim_t>(hard);
  if (prlimit(0, static_cast<__rlimit_resource>(resource), &limit, nullptr) < 0)
    return sys_error(err, "prlimit", "");
  return 0;
}

int op_umask(Ctx&, ArgReader& a, ErrorRecord*) {
  umask(static_cast<mode_t>(a.num()) & 0777);
  return 0;
}

// Without a keyring of its own the container would share the caller's
// session keyring (and its keys). ENOSYS: a kernel without keyrings.
int op_session_keyring(Ctx&, ArgReader&, ErrorRecord* err) {
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0L, 0L, 0L, 0L) < 0 && errno != ENOSYS)
    return sys_error(err, "keyctl", "");
  return 0;
}

// runc creates a missing cwd (as root, 0755) rather than failing the create.
int op_mkdir(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int fd = inroot_mkdirs(c, a.str(), err);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

// A cwd outside the container root (a leaked fd, CVE-2024-21626) shows up
// as a getcwd result that is not absolute ("(unreachable)/...") or ENOENT.
int op_chdir(Ctx&, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  if (chdir(path) < 0) return sys_error(err, "chdir", path);
  char cwd[PATH_MAX];
  long n = sys_getcwd(cwd, sizeof cwd);
  if (n < 0) return sys_error(err, "getcwd", path);
  if (cwd[0] != '/')
    return detail_error(err, ENOENT, "getcwd", path,
                        "current working directory is outside of container mount namespace root -- "
                        "possible container breakout detected");
  return 0;
}

}  // namespace tsoci
