// libseccomp, loaded at run time (dlopen) rather than linked: the prebuilt
// addon must load on a host without libseccomp, where only a config that
// asks for seccomp fails. Only the types and constants of <seccomp.h> are
// used at build time; every call goes through these pointers.
#pragma once
#include <seccomp.h>

#include <string>

namespace tsoci::addon {

struct SeccompLib {
  decltype(&seccomp_init) init;
  decltype(&seccomp_release) release;
  decltype(&seccomp_arch_add) arch_add;
  decltype(&seccomp_arch_resolve_name) arch_resolve_name;
  decltype(&seccomp_syscall_resolve_name) syscall_resolve_name;
  decltype(&seccomp_rule_add_array) rule_add_array;
  decltype(&seccomp_export_bpf) export_bpf;
  decltype(&seccomp_version) version;
  decltype(&seccomp_api_get) api_get;
};

// The soname the runtime loads: Debian's libseccomp2, and every other
// distribution's, ships libseccomp.so.2 (the ABI has been stable since 2.0).
constexpr const char* kSeccompSoname = "libseccomp.so.2";

// dlopen(soname, RTLD_NOW | RTLD_LOCAL) and dlsym of every function above.
// Returns false with `error` set to one line naming the library.
bool LoadSeccompLib(const char* soname, SeccompLib* out, std::string* error);

// kSeccompSoname, loaded once per process at first use; nullptr (and the
// reason in `error`) when it cannot be loaded. The handle is never closed.
const SeccompLib* SeccompLibrary(std::string* error);

}  // namespace tsoci::addon
