// Reaping a child through its pidfd, and the ExitStatus object of lib/native.ts.
#pragma once
#include <napi.h>
#include <signal.h>

namespace tsoci::addon {

enum class ReapResult { kReaped, kNotReady, kNotOurChild, kError };

// waitid(P_PIDFD, pidfd, WEXITED | extraFlags); EINTR is retried. On kError
// errno is set.
ReapResult ReapPidfd(int pidfd, int extraFlags, siginfo_t* info);

// { status: code, or 128+signal (shell convention); signal: number | null }
Napi::Object ExitStatusObject(Napi::Env env, const siginfo_t& info);

}  // namespace tsoci::addon
