// The addon's export table: exactly the NativeBinding interface of lib/native.ts.
#include <napi.h>

#include "bindings.h"
#include "common/protocol.h"
#include "errors.h"

#ifndef TS_OCI_VERSION
#error "TS_OCI_VERSION must be defined by the build (the package.json version)"
#endif

namespace tsoci::addon {
namespace {

// planVersion lets the TS side refuse a prebuilt addon/helper pair that
// speaks an older plan format than lib/plan/encode.ts writes.
Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("addon", TS_OCI_VERSION);
  result.Set("planVersion", tsoci::PLAN_VERSION);
  return result;
}

}  // namespace
}  // namespace tsoci::addon

// NODE_API_MODULE pastes the name into an identifier: it cannot be qualified.
static Napi::Object InitTsOci(Napi::Env env, Napi::Object exports) {
  using namespace tsoci::addon;
  const struct {
    const char* name;
    Napi::Function::Callback fn;
  } table[] = {
      {"setErrorClass", SetErrorClass},
      {"spawn", Spawn},
      {"spawnRelease", SpawnRelease},
      {"spawnExecStatus", SpawnExecStatus},
      {"writeIdMaps", WriteIdMaps},
      {"mappedUserns", MappedUserns},
      {"idmappedTree", IdmappedTree},
      {"pidfdOpen", PidfdOpen},
      {"pidfdSendSignal", PidfdSendSignal},
      {"pidfdExited", PidfdExited},
      {"watchPidfd", WatchPidfd},
      {"waitPidfd", WaitPidfd},
      {"startViaFifo", StartViaFifo},
      {"cgroupApply", CgroupApply},
      {"cgroupApplyAsync", CgroupApplyAsync},
      {"mkfifo", Mkfifo},
      {"tryLockFile", TryLockFile},
      {"lockFileWait", LockFileWait},
      {"close", Close},
      {"recvFd", RecvFd},
      {"sendFd", SendFd},
      {"connectUnix", ConnectUnix},
      {"pipe", Pipe},
      {"seccompCompile", SeccompCompile},
      {"seccompLibraryInfo", SeccompLibraryInfo},
      {"seccompLibraryProbe", SeccompLibraryProbe},
      {"seccompActionAvailable", SeccompActionAvailable},
      {"seccompFlagSupported", SeccompFlagSupported},
      {"ptyMaster", PtyMaster},
      {"ptySetSize", PtySetSize},
      {"watchFd", WatchFd},
      {"unwatchFd", UnwatchFd},
      {"bpfLoadDeviceProgram", BpfLoadDeviceProgram},
      {"bpfAttachDevice", BpfAttachDevice},
      {"bpfQueryDevice", BpfQueryDevice},
      {"bpfProgFdById", BpfProgFdById},
      {"bpfDetachDevice", BpfDetachDevice},
      {"oomEventfd", OomEventfd},
      {"eventfdRead", EventfdRead},
      {"eventfdWrite", EventfdWrite},
      {"netdevAddresses", NetdevAddresses},
      {"netdevMove", NetdevMove},
      {"version", Version},
  };
  for (const auto& entry : table) exports.Set(entry.name, Napi::Function::New(env, entry.fn, entry.name));
  return exports;
}

NODE_API_MODULE(ts_oci, InitTsOci)
