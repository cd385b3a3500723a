// The functions behind the NativeBinding interface of lib/native.ts; module.cc
// exports them, one file implements each group.
#pragma once
#include <napi.h>

namespace tsoci::addon {

Napi::Value Spawn(const Napi::CallbackInfo& info);            // spawn.cc
Napi::Value SpawnRelease(const Napi::CallbackInfo& info);     // spawn.cc
Napi::Value SpawnExecStatus(const Napi::CallbackInfo& info);  // spawn.cc
Napi::Value WriteIdMaps(const Napi::CallbackInfo& info);      // userns.cc
Napi::Value MappedUserns(const Napi::CallbackInfo& info);     // userns.cc
Napi::Value IdmappedTree(const Napi::CallbackInfo& info);     // userns.cc

Napi::Value PidfdOpen(const Napi::CallbackInfo& info);        // pidfd.cc
Napi::Value PidfdSendSignal(const Napi::CallbackInfo& info);  // pidfd.cc
Napi::Value PidfdExited(const Napi::CallbackInfo& info);      // pidfd.cc
Napi::Value WaitPidfd(const Napi::CallbackInfo& info);        // pidfd.cc
Napi::Value WatchPidfd(const Napi::CallbackInfo& info);       // pidfd_watch.cc

Napi::Value StartViaFifo(const Napi::CallbackInfo& info);     // exec_fifo.cc
Napi::Value CgroupApply(const Napi::CallbackInfo& info);      // cgroupfs.cc
Napi::Value CgroupApplyAsync(const Napi::CallbackInfo& info); // cgroupfs.cc

Napi::Value Mkfifo(const Napi::CallbackInfo& info);           // fs_ops.cc
Napi::Value Close(const Napi::CallbackInfo& info);            // fs_ops.cc
Napi::Value Pipe(const Napi::CallbackInfo& info);             // fs_ops.cc
Napi::Value TryLockFile(const Napi::CallbackInfo& info);      // file_lock.cc
Napi::Value LockFileWait(const Napi::CallbackInfo& info);     // file_lock.cc

Napi::Value RecvFd(const Napi::CallbackInfo& info);           // fd_passing.cc
Napi::Value SendFd(const Napi::CallbackInfo& info);           // fd_passing.cc
Napi::Value ConnectUnix(const Napi::CallbackInfo& info);      // fd_passing.cc

Napi::Value SeccompCompile(const Napi::CallbackInfo& info);          // seccomp_compile.cc
Napi::Value SeccompLibraryInfo(const Napi::CallbackInfo& info);      // seccomp_compile.cc
Napi::Value SeccompLibraryProbe(const Napi::CallbackInfo& info);     // seccomp_compile.cc
Napi::Value SeccompActionAvailable(const Napi::CallbackInfo& info);  // seccomp_kernel.cc
Napi::Value SeccompFlagSupported(const Napi::CallbackInfo& info);    // seccomp_kernel.cc
Napi::Value PtyMaster(const Napi::CallbackInfo& info);        // pty.cc
Napi::Value PtySetSize(const Napi::CallbackInfo& info);       // pty.cc
Napi::Value WatchFd(const Napi::CallbackInfo& info);          // fd_watch.cc
Napi::Value UnwatchFd(const Napi::CallbackInfo& info);        // fd_watch.cc

Napi::Value BpfLoadDeviceProgram(const Napi::CallbackInfo& info);  // bpf_device.cc
Napi::Value BpfAttachDevice(const Napi::CallbackInfo& info);       // bpf_device.cc
Napi::Value BpfQueryDevice(const Napi::CallbackInfo& info);        // bpf_device.cc
Napi::Value BpfProgFdById(const Napi::CallbackInfo& info);         // bpf_device.cc
Napi::Value BpfDetachDevice(const Napi::CallbackInfo& info);       // bpf_device.cc

Napi::Value OomEventfd(const Napi::CallbackInfo& info);    // oom_eventfd.cc
Napi::Value EventfdRead(const Napi::CallbackInfo& info);   // oom_eventfd.cc
Napi::Value EventfdWrite(const Napi::CallbackInfo& info);  // oom_eventfd.cc
Napi::Value NetdevAddresses(const Napi::CallbackInfo& info);  // netdev.cc
Napi::Value NetdevMove(const Napi::CallbackInfo& info);       // netdev.cc

}  // namespace tsoci::addon
