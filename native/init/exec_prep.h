// Cleaning up the process state the helper inherited (from Node, through
// clone and execveat) before execve'ing something else: the container
// process or a hook.
#pragma once

namespace tsoci {

// Every signal back to SIG_DFL and an empty signal mask. The helper starts
// with all signals blocked (the parent blocks them around clone3), and
// execve keeps both a blocked mask and ignored dispositions.
void reset_signals();

// Closes every fd >= `lowest` except the (at most two) in `keep`; -1 on error.
int close_fds_from(int lowest, int keep_a, int keep_b);

// Clears O_NONBLOCK on fds 0-2: Node leaves its pipes non-blocking, and
// most programs do not expect EAGAIN on stdio.
void clear_stdio_nonblock();

}  // namespace tsoci
