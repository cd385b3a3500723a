// What `--version` prints; its own file so that the quick commands
// (quick.ts) print it without loading commander.

export function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../../package.json') as { version: string }).version;
}

// scripts/bundle-cli.js defines it (the git commit the CLI bundle was built from).
declare const TS_OCI_COMMIT: string | undefined;

export function buildCommit(): string {
  return typeof TS_OCI_COMMIT === 'string' && TS_OCI_COMMIT ? TS_OCI_COMMIT : 'unknown';
}

/** runc's three lines (Podman shows them in `podman info`; go-runc parses the shape). */
export function versionText(): string {
  return `ts-oci version ${packageVersion()}\ncommit: ${buildCommit()}\nspec: 1.3.0`;
}
