// Parses /proc/<pid>/cgroup: "hierarchy-id:controller,list:/path" per line.
// The cgroup2 line has id 0 and an empty controller list; it is keyed ''.

export function parseProcCgroup(content: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of content.split('\n')) {
    if (!line) continue;
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    // The path is everything after the second colon: it may contain colons.
    const cgroupPath = line.slice(second + 1);
    if (controllers === '') {
      paths.set('', cgroupPath);
      continue;
    }
    for (const c of controllers.split(',')) paths.set(c, cgroupPath);
  }
  return paths;
}
