// The `features` seccomp object (features-linux.md), asked of the running
// kernel and the libseccomp this process loads: nothing is claimed that a
// config could not then use.
import { native, NativeBinding } from '../native';
import type { SeccompFlag, SeccompOperator } from '../spec/types';
import type { SeccompFeatures } from './feature-types';
import { ACTION_BASE, ACTIONS, ARCHITECTURES, FLAGS, OPERATORS } from './constants';

type Binding = Pick<NativeBinding, 'seccompLibraryInfo' | 'seccompCompile' | 'seccompActionAvailable' | 'seccompFlagSupported'>;

const ALLOW = ACTION_BASE.SCMP_ACT_ALLOW;

export function seccompFeatures(b: Binding = native()): SeccompFeatures {
  if ('libraryError' in b.seccompLibraryInfo()) return { enabled: false };
  const knownFlags = Object.keys(FLAGS) as SeccompFlag[];
  return {
    enabled: true,
    actions: ACTIONS.filter((a) => b.seccompActionAvailable(ACTION_BASE[a])),
    operators: Object.keys(OPERATORS) as SeccompOperator[],
    // An architecture this libseccomp cannot add to a filter is not offered.
    archs: Object.keys(ARCHITECTURES).filter((a) => 'bpf' in b.seccompCompile({ defaultAction: ALLOW, architectures: [ARCHITECTURES[a]], rules: [] })),
    knownFlags,
    supportedFlags: knownFlags.filter((f) => b.seccompFlagSupported(FLAGS[f])),
  };
}
