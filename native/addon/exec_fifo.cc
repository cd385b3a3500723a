// startViaFifo: the `start` side of the exec fifo. ts-oci-init blocks in
// open(fifo, O_WRONLY) until a reader appears; opening the read end releases
// it. It then either execs the container process (its fifo fd is
// close-on-exec: EOF with no bytes) or writes an ErrorRecord and exits.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

// More than an ErrorRecord (2088 bytes) with room to spare; anything beyond
// is drained and dropped rather than buffered without bound.
constexpr size_t kMaxReport = 64 * 1024;

enum class Drain { kOpen, kEof, kError };

// Reads what is buffered. A FIFO read end returns 0 only when no writer is
// attached, so this is called only after poll reported POLLIN/POLLHUP, i.e.
// after a writer has been attached: before that, 0 would just mean "the
// helper has not reached its open() yet".
Drain ReadAvailable(int fd, std::vector<char>* out) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      size_t keep = std::min(static_cast<size_t>(n), kMaxReport - std::min(kMaxReport, out->size()));
      out->insert(out->end(), buf, buf + keep);
      continue;
    }
    if (n == 0) return Drain::kEof;
    if (errno == EINTR) continue;
    return errno == EAGAIN ? Drain::kOpen : Drain::kError;
  }
}

// Polls the fifo and the pidfd. Returns false on a poll error (errno set).
bool PollBoth(int fifo, int pidfd, int timeout, short* fifoEvents, short* pidfdEvents) {
  struct pollfd fds[2] = {{fifo, POLLIN, 0}, {pidfd, POLLIN, 0}};
  int rc;
  do {
    rc = poll(fds, pidfd >= 0 ? 2 : 1, timeout);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return false;
  *fifoEvents = fds[0].revents;
  *pidfdEvents = fds[1].revents;
  return true;
}

constexpr short kFifoReady = POLLIN | POLLHUP | POLLERR;

// Runs on the libuv threadpool: the poll may last as long as the helper
// takes to reach its fifo open (it mounts, joins, runs createContainer
// hooks first), and the event loop must keep turning meanwhile.
class StartWorker : public Napi::AsyncWorker {
 public:
  StartWorker(Napi::Env env, std::string path, int pidfd)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), path_(std::move(path)), pidfd_(pidfd) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { Run(); }
  void OnOK() override {
    Napi::Env env = Env();
    if (err_) {
      deferred_.Reject(MakeSystemError(env, err_, syscall_, withPath_ ? path_ : std::string()));
    } else if (report_.empty()) {
      deferred_.Resolve(env.Null());
    } else {
      deferred_.Resolve(Napi::Buffer<char>::Copy(env, report_.data(), report_.size()));
    }
  }

 private:
  void Fail(int err, const char* syscall, bool withPath = true) {
    err_ = err;
    syscall_ = syscall;
    withPath_ = withPath;
  }

  void Run() {
    // O_NONBLOCK: a blocking O_RDONLY open would wait for a writer forever if
    // the helper is already dead.
    UniqueFd fifo(open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fifo.Valid()) return Fail(errno, "open");
    for (;;) {
      short fifoEvents = 0, pidfdEvents = 0;
      if (!PollBoth(fifo.Get(), pidfd_, -1, &fifoEvents, &pidfdEvents)) return Fail(errno, "poll");
      if (pidfdEvents & POLLNVAL) return Fail(EBADF, "poll", false);
      if (!(fifoEvents & kFifoReady) && (pidfdEvents & (POLLIN | POLLHUP))) {
        // The process is gone and its fds were closed before its pidfd became
        // readable: one last look tells whether it ever attached as a writer.
        if (!PollBoth(fifo.Get(), -1, 0, &fifoEvents, &pidfdEvents) || !(fifoEvents & kFifoReady)) {
          return Fail(ESRCH, "start");
        }
      }
      if (!(fifoEvents & kFifoReady)) continue;
      Drain state = ReadAvailable(fifo.Get(), &report_);
      if (state == Drain::kError) return Fail(errno, "read");
      if (state == Drain::kEof) return;
    }
  }

  Napi::Promise::Deferred deferred_;
  std::string path_;
  int pidfd_;
  std::vector<char> report_;
  int err_ = 0;
  const char* syscall_ = "";
  bool withPath_ = true;
};

}  // namespace

Napi::Value StartViaFifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  int pidfd;
  if (!ReadStringArg(info, 0, "fifoPath", &path) || !ReadFd(info, 1, "pidfd", &pidfd)) return env.Undefined();
  auto* worker = new StartWorker(env, path, pidfd);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace tsoci::addon
