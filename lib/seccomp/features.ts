// The `features` seccomp object (features-linux.md), asked of the running
// kernel and the libseccomp this process loads: nothing is claimed that a
// config could not then use.
import { native, NativeBinding } from '../native';
import type { SeccompAction, SeccompFlag, SeccompOperator } from '../spec/types';
import { ACTION_BASE, ACTIONS, ARCHITECTURES, FLAGS, OPERATORS } from './constants';

export interface SeccompFeatures {
  enabled: boolean;
  actions?: SeccompAction[];
  operators?: SeccompOperator[];
  archs?: string[];
  knownFlags?: SeccompFlag[];
  supportedFlags?: SeccompFlag[];
}

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
