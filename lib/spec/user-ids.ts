// process.user's ids. The schema allows any uint32, but (uid_t)-1 =
// 4294967295 means "leave unchanged" to setresuid/setresgid/chown: a uid of
// 4294967295 would silently keep the container process root.
import type { User } from './types';
import type { Fail } from './validate';

export const MAX_ID = 4294967294;

function checkId(value: number | undefined, field: string, fail: Fail): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_ID) {
    fail(field, `${value} is outside the range 0..${MAX_ID} (4294967295 means "unchanged" to the kernel)`);
  }
}

export function checkUserIds(user: User | undefined, fail: Fail): void {
  if (!user) return;
  checkId(user.uid, '/process/user/uid', fail);
  checkId(user.gid, '/process/user/gid', fail);
  (user.additionalGids ?? []).forEach((g, i) => checkId(g, `/process/user/additionalGids/${i}`, fail));
}
