#include "seccomp_lib.h"

#include <dlfcn.h>

#include <mutex>

namespace tsoci::addon {
namespace {

template <typename Fn>
bool Bind(void* handle, const char* name, Fn* out, std::string* missing) {
  *out = reinterpret_cast<Fn>(dlsym(handle, name));
  if (!*out && missing->empty()) *missing = name;
  return *out != nullptr;
}

}  // namespace

bool LoadSeccompLib(const char* soname, SeccompLib* out, std::string* error) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    *error = std::string(soname) + " could not be loaded (" + (why ? why : "unknown error") +
             "): install libseccomp (Debian and Ubuntu: apt-get install libseccomp2)";
    return false;
  }
  std::string missing;
  Bind(handle, "seccomp_init", &out->init, &missing);
  Bind(handle, "seccomp_release", &out->release, &missing);
  Bind(handle, "seccomp_arch_add", &out->arch_add, &missing);
  Bind(handle, "seccomp_arch_resolve_name", &out->arch_resolve_name, &missing);
  Bind(handle, "seccomp_syscall_resolve_name", &out->syscall_resolve_name, &missing);
  Bind(handle, "seccomp_rule_add_array", &out->rule_add_array, &missing);
  Bind(handle, "seccomp_export_bpf", &out->export_bpf, &missing);
  Bind(handle, "seccomp_version", &out->version, &missing);
  Bind(handle, "seccomp_api_get", &out->api_get, &missing);
  if (!missing.empty()) {
    dlclose(handle);
    *error = std::string(soname) + " lacks " + missing + ": libseccomp 2.4 or newer is needed";
    return false;
  }
  return true;
}

const SeccompLib* SeccompLibrary(std::string* error) {
  static std::once_flag once;
  static SeccompLib lib;
  static bool loaded = false;
  static std::string load_error;
  std::call_once(once, [] { loaded = LoadSeccompLib(kSeccompSoname, &lib, &load_error); });
  if (!loaded) *error = load_error;
  return loaded ? &lib : nullptr;
}

}  // namespace tsoci::addon
