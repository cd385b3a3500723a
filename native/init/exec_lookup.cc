#include "init/exec_lookup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "init/error.h"

namespace tsoci {

static const char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Go's findExecutable: 0 or an errno; *stat_failed says it came from stat(2),
// which Go reports as a PathError ("stat /x: no such file or directory").
static int check_executable(const char* file, bool* stat_failed) {
  struct stat st;
  *stat_failed = false;
  if (stat(file, &st) < 0) {
    *stat_failed = true;
    return errno;
  }
  if (S_ISDIR(st.st_mode)) return EISDIR;
  if (faccessat(AT_FDCWD, file, X_OK, AT_EACCESS) == 0) return 0;
  if (errno != ENOSYS && errno != EPERM) return errno;
  return (st.st_mode & 0111) ? 0 : EACCES;
}

// runc's words (Go's exec.LookPath): `exec: "/x": stat /x: no such file or
// directory`, `exec: "/etc/passwd": permission denied`. Engines map them to
// exit codes (Docker and Podman: 127 and 126).
static int exec_error(ErrorRecord* err, int e, const char* file, bool stat_failed) {
  char phrase[128];
  errno_phrase(e, phrase, sizeof phrase);
  if (stat_failed) return detail_error(err, e, "stat", file, "exec: \"%s\": stat %s: %s", file, file, phrase);
  return detail_error(err, e, "stat", file, "exec: \"%s\": %s", file, phrase);
}

int lookup_executable(const char* file, const char* pathenv, char out[PATH_MAX], ErrorRecord* err) {
  if (!*file) return detail_error(err, ENOENT, "stat", "", "exec: \"\": executable file not found in $PATH");
  if (strchr(file, '/')) {
    bool stat_failed;
    int e = check_executable(file, &stat_failed);
    if (e) return exec_error(err, e, file, stat_failed);
    if (snprintf(out, PATH_MAX, "%s", file) >= PATH_MAX) return exec_error(err, ENAMETOOLONG, file, false);
    return 0;
  }
  const char* dirs = *pathenv ? pathenv : kDefaultPath;
  for (const char* p = dirs;; ++p) {
    const char* end = strchrnul(p, ':');
    int dir_len = static_cast<int>(end - p);
    // An empty element means the current directory, as in Go and the shell.
    int n = dir_len ? snprintf(out, PATH_MAX, "%.*s/%s", dir_len, p, file) : snprintf(out, PATH_MAX, "./%s", file);
    bool stat_failed;
    if (n < PATH_MAX && check_executable(out, &stat_failed) == 0) return 0;
    if (!*end) break;
    p = end;
  }
  return detail_error(err, ENOENT, "stat", file, "exec: \"%s\": executable file not found in $PATH", file);
}

const char* path_from_env(char* const* envp) {
  for (; *envp; ++envp)
    if (!strncmp(*envp, "PATH=", 5)) return *envp + 5;
  return "";
}

}  // namespace tsoci
