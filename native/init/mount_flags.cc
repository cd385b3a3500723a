#include "init/mount_flags.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "init/error.h"
#include "init/inroot.h"
#include "init/procfs.h"

namespace tsoci {

int kept_mount_flags(int fd, const char* display, unsigned long* flags, ErrorRecord* err) {
  struct statvfs st;
  if (fstatvfs(fd, &st) < 0) return sys_error(err, "fstatvfs", display);
  static const struct {
    unsigned long st, ms;
  } kMap[] = {
      {ST_NOSUID, MS_NOSUID},   {ST_NODEV, MS_NODEV},         {ST_NOEXEC, MS_NOEXEC},
      {ST_NOATIME, MS_NOATIME}, {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
  };
  *flags = 0;
  for (const auto& m : kMap)
    if (st.f_flag & m.st) *flags |= m.ms;
  return 0;
}

int remount_bind(Ctx& c, const char* path, unsigned long flags, ErrorRecord* err) {
  int fd = inroot_open(c, path, O_PATH, 0, err);
  if (fd < 0) return -1;
  MountRequest m{nullptr, -1, fd, nullptr, MS_REMOUNT | MS_BIND | (flags & ~MS_REC), nullptr, path};
  int rc = mount_at_fds(c, m, err);
  if (rc < 0 && err->err == EPERM) {
    unsigned long kept;
    rc = kept_mount_flags(fd, path, &kept, err);
    if (rc == 0) {
      m.flags |= kept;
      rc = mount_at_fds(c, m, err);
    }
  }
  close(fd);
  return rc;
}

}  // namespace tsoci
