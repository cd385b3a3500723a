#include "helper_memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <mutex>

#include "unique_fd.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U  // linux 6.3
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020  // linux 6.3
#endif

namespace tsoci::addon {
namespace {

// Kernels with vm.memfd_noexec make memfds non-executable unless MFD_EXEC is
// asked for; older kernels reject the unknown flag with EINVAL.
int CreateMemfd() {
  int fd = memfd_create("ts-oci-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) fd = memfd_create("ts-oci-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  return fd;
}

// Returns the failed call's name, or nullptr once all `expected` bytes are copied.
const char* CopyAll(int from, int to, off_t expected) {
  char buf[64 * 1024];
  off_t copied = 0;
  for (;;) {
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return "read";
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(to, buf + off, n - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return "write";
      off += w;
    }
    copied += n;
  }
  if (copied != expected) {  // the file changed under us (a rebuild in progress)
    errno = EIO;
    return "read";
  }
  return nullptr;
}

// F_SEAL_EXEC also freezes the mode bits; kernels before 6.3 do not know it.
bool Seal(int fd) {
  const int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  if (fcntl(fd, F_ADD_SEALS, seals | F_SEAL_EXEC) == 0) return true;
  return errno == EINVAL && fcntl(fd, F_ADD_SEALS, seals) == 0;
}

int Fail(const char** syscall, const char* name) {
  *syscall = name;
  return -1;
}

int MakeSealedCopy(const std::string& path, const char** syscall) {
  UniqueFd src(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st;
  if (!src.Valid()) return Fail(syscall, "open");
  if (fstat(src.Get(), &st) != 0) return Fail(syscall, "fstat");
  if (!S_ISREG(st.st_mode)) {
    errno = EACCES;
    return Fail(syscall, "open");
  }
  UniqueFd mem(CreateMemfd());
  if (!mem.Valid()) return Fail(syscall, "memfd_create");
  if (const char* failed = CopyAll(src.Get(), mem.Get(), st.st_size)) return Fail(syscall, failed);
  // Read+execute only, before sealing: F_SEAL_EXEC would refuse it afterwards.
  if (fchmod(mem.Get(), 0555) != 0) return Fail(syscall, "fchmod");
  if (!Seal(mem.Get())) return Fail(syscall, "fcntl");
  return mem.Release();
}

std::mutex cacheLock;
std::map<std::string, int>* cache = new std::map<std::string, int>();  // never freed: lives as long as the process

}  // namespace

int HelperMemfd(const std::string& path, int minFd, const char** syscall) {
  std::lock_guard<std::mutex> guard(cacheLock);
  auto it = cache->find(path);
  if (it == cache->end()) {
    int fd = MakeSealedCopy(path, syscall);
    if (fd < 0) return -1;
    it = cache->emplace(path, fd).first;
  }
  int fd = fcntl(it->second, F_DUPFD_CLOEXEC, minFd);
  if (fd < 0) *syscall = "fcntl";
  return fd;
}

}  // namespace tsoci::addon
