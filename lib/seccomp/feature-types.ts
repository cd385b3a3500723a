// The `features` seccomp object's type, apart from the code that fills it
// (features.ts) so the public declarations never reach the addon's types.
import type { SeccompAction, SeccompFlag, SeccompOperator } from '../spec/types';

export interface SeccompFeatures {
  enabled: boolean;
  actions?: SeccompAction[];
  operators?: SeccompOperator[];
  archs?: string[];
  knownFlags?: SeccompFlag[];
  supportedFlags?: SeccompFlag[];
}
