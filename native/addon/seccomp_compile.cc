// seccompCompile: a validated profile description (lib/seccomp/describe.ts
// decided every action value, operator and rule split) -> the BPF program
// ts-oci-init loads. libseccomp does the syscall-number tables, the
// multi-arch dispatch and the x86 socketcall/ipc multiplexers.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "seccomp_lib.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

constexpr size_t kMaxProgram = 1 << 20;

struct Rule {
  std::string name;
  uint32_t action = 0;
  std::vector<scmp_arg_cmp> args;
};

struct Profile {
  uint32_t default_action = 0;
  std::vector<std::string> archs;
  std::vector<Rule> rules;
};

bool ReadU64(Napi::Env env, Napi::Value v, const char* name, uint64_t* out) {
  bool lossless = false;
  if (!v.IsBigInt() || (*out = v.As<Napi::BigInt>().Uint64Value(&lossless), !lossless)) {
    ThrowTypeError(env, std::string(name) + " must be a bigint in [0, 2^64)");
    return false;
  }
  return true;
}

bool ReadArg(Napi::Env env, Napi::Value v, scmp_arg_cmp* out) {
  if (!v.IsObject()) {
    ThrowTypeError(env, "rule args must be objects");
    return false;
  }
  Napi::Object o = v.As<Napi::Object>();
  int64_t index, op;
  if (!ReadInt(env, o.Get("index"), "index", 0, 5, &index) ||
      !ReadInt(env, o.Get("op"), "op", SCMP_CMP_NE, SCMP_CMP_MASKED_EQ, &op))
    return false;
  out->arg = static_cast<unsigned>(index);
  out->op = static_cast<scmp_compare>(op);
  return ReadU64(env, o.Get("value"), "value", &out->datum_a) &&
         ReadU64(env, o.Get("valueTwo"), "valueTwo", &out->datum_b);
}

bool ReadRule(Napi::Env env, Napi::Value v, Rule* out) {
  if (!v.IsObject()) {
    ThrowTypeError(env, "rules must be objects");
    return false;
  }
  Napi::Object o = v.As<Napi::Object>();
  int64_t action;
  if (!ReadString(env, o.Get("name"), "name", &out->name) ||
      !ReadInt(env, o.Get("action"), "action", 0, UINT32_MAX, &action))
    return false;
  out->action = static_cast<uint32_t>(action);
  Napi::Value args = o.Get("args");
  if (!args.IsArray() || args.As<Napi::Array>().Length() > 6) {
    ThrowTypeError(env, "args must be an array of at most 6 conditions");
    return false;
  }
  Napi::Array arr = args.As<Napi::Array>();
  out->args.resize(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i)
    if (!ReadArg(env, arr.Get(i), &out->args[i])) return false;
  return true;
}

bool ReadProfile(Napi::Env env, Napi::Value v, Profile* out) {
  if (!v.IsObject()) {
    ThrowTypeError(env, "seccompCompile(profile): profile must be an object");
    return false;
  }
  Napi::Object o = v.As<Napi::Object>();
  int64_t action;
  if (!ReadInt(env, o.Get("defaultAction"), "defaultAction", 0, UINT32_MAX, &action)) return false;
  out->default_action = static_cast<uint32_t>(action);
  Napi::Value archs = o.Get("architectures"), rules = o.Get("rules");
  if (!archs.IsArray() || !rules.IsArray()) {
    ThrowTypeError(env, "architectures and rules must be arrays");
    return false;
  }
  Napi::Array a = archs.As<Napi::Array>(), r = rules.As<Napi::Array>();
  out->archs.resize(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i)
    if (!ReadString(env, a.Get(i), "architecture", &out->archs[i])) return false;
  out->rules.resize(r.Length());
  for (uint32_t i = 0; i < r.Length(); ++i)
    if (!ReadRule(env, r.Get(i), &out->rules[i])) return false;
  return true;
}

// What went wrong, for TS to name the config field: {what, index, call, errno}.
Napi::Object Failure(Napi::Env env, const char* what, int64_t index, const char* call, int err) {
  Napi::Object f = Napi::Object::New(env);
  f.Set("what", what);
  f.Set("index", static_cast<double>(index));
  f.Set("call", call);
  f.Set("errno", err);
  Napi::Object result = Napi::Object::New(env);
  result.Set("error", f);
  return result;
}

// seccomp_export_bpf writes to an fd (seccomp_export_bpf_mem is 2.6+ only).
bool ExportProgram(const SeccompLib& lib, scmp_filter_ctx ctx, std::vector<char>* out, int* err) {
  UniqueFd mem(memfd_create("ts-oci-seccomp-bpf", MFD_CLOEXEC));
  if (!mem.Valid()) return *err = errno, false;
  int rc = lib.export_bpf(ctx, mem.Get());
  if (rc < 0) return *err = -rc, false;
  off_t size = lseek(mem.Get(), 0, SEEK_END);
  if (size < 0 || static_cast<size_t>(size) > kMaxProgram) return *err = size < 0 ? errno : E2BIG, false;
  out->resize(static_cast<size_t>(size));
  size_t got = 0;
  while (got < out->size()) {
    ssize_t n = pread(mem.Get(), out->data() + got, out->size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return *err = n < 0 ? errno : EIO, false;
    got += static_cast<size_t>(n);
  }
  return true;
}

struct FilterCtx {
  const SeccompLib& lib;
  scmp_filter_ctx ctx;
  ~FilterCtx() {
    if (ctx) lib.release(ctx);
  }
};

Napi::Value Compile(Napi::Env env, const SeccompLib& lib, const Profile& p) {
  FilterCtx f{lib, lib.init(p.default_action)};
  if (!f.ctx) return Failure(env, "defaultAction", -1, "seccomp_init", EINVAL);
  for (size_t i = 0; i < p.archs.size(); ++i) {
    uint32_t token = lib.arch_resolve_name(p.archs[i].c_str());
    if (token == 0) return Failure(env, "architecture", static_cast<int64_t>(i), "seccomp_arch_resolve_name", EINVAL);
    int rc = lib.arch_add(f.ctx, token);
    if (rc < 0 && rc != -EEXIST) return Failure(env, "architecture", static_cast<int64_t>(i), "seccomp_arch_add", -rc);
  }
  Napi::Array unknown = Napi::Array::New(env);
  for (size_t i = 0; i < p.rules.size(); ++i) {
    const Rule& r = p.rules[i];
    int nr = lib.syscall_resolve_name(r.name.c_str());
    // runc skips names this libseccomp does not know (a newer profile on an older host).
    if (nr == __NR_SCMP_ERROR) {
      unknown.Set(unknown.Length(), static_cast<double>(i));
      continue;
    }
    int rc = lib.rule_add_array(f.ctx, r.action, nr, static_cast<unsigned>(r.args.size()), r.args.data());
    if (rc < 0) return Failure(env, "rule", static_cast<int64_t>(i), "seccomp_rule_add", -rc);
  }
  std::vector<char> bpf;
  int err = 0;
  if (!ExportProgram(lib, f.ctx, &bpf, &err)) return Failure(env, "export", -1, "seccomp_export_bpf", err);
  Napi::Object result = Napi::Object::New(env);
  result.Set("bpf", Napi::Buffer<char>::Copy(env, bpf.data(), bpf.size()));
  result.Set("unknown", unknown);
  return result;
}

}  // namespace

Napi::Value SeccompCompile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Profile profile;
  if (!ReadProfile(env, info[0], &profile)) return env.Undefined();
  std::string error;
  const SeccompLib* lib = SeccompLibrary(&error);
  if (!lib) {
    Napi::Object result = Napi::Object::New(env);
    result.Set("libraryError", error);
    return result;
  }
  return Compile(env, *lib, profile);
}

// {version: "2.5.4", apiLevel} or {libraryError}.
Napi::Value SeccompLibraryInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  std::string error;
  const SeccompLib* lib = SeccompLibrary(&error);
  if (!lib) {
    result.Set("libraryError", error);
    return result;
  }
  const scmp_version* v = lib->version();
  result.Set("version", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro));
  result.Set("apiLevel", lib->api_get());
  return result;
}

// The loader's failure line for another soname, uncached: lets a unit test
// see the "library missing" path without removing libseccomp from the host.
Napi::Value SeccompLibraryProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string soname, error;
  if (!ReadStringArg(info, 0, "soname", &soname)) return env.Undefined();
  SeccompLib lib;
  if (LoadSeccompLib(soname.c_str(), &lib, &error)) return env.Null();
  return Napi::String::New(env, error);
}

}  // namespace tsoci::addon
