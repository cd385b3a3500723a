// A systemd unit property as it goes over D-Bus: name, D-Bus signature
// and value (uint64 as bigint, "ay" as a Buffer, "a(ss)" as pairs).
export interface UnitProperty {
  name: string;
  signature: string;
  value: unknown;
}

/** USEC_INFINITY / CGROUP_LIMIT_MAX: systemd's "no limit" for every uint64 property. */
export const UINT64_MAX = 0xffffffffffffffffn;

export const u64 = (name: string, value: bigint | number): UnitProperty => ({
  name,
  signature: 't',
  value: BigInt.asUintN(64, BigInt(value)),
});
export const bool = (name: string, value: boolean): UnitProperty => ({ name, signature: 'b', value });
export const str = (name: string, value: string): UnitProperty => ({ name, signature: 's', value });
