// hugepageLimits (hugetlb), network (net_cls, net_prio: v1 only) and rdma.
// Every write names its field: a page size the host lacks has no file, so
// the create is refused rather than run without the limit.
import type { HugepageLimit, NetworkResources, RdmaResource } from '../../spec/types';
import { CgroupWrite, fieldRefusal, formatInt } from '../write';

function hugetlb(limits: HugepageLimit[] | undefined, suffix: string): CgroupWrite[] {
  return (limits ?? []).map((h, i) => ({
    file: `hugetlb.${h.pageSize}.${suffix}`,
    value: formatInt(h.limit),
    field: `linux.resources.hugepageLimits[${i}]`,
  }));
}

export const hugetlbV1 = (limits: HugepageLimit[] | undefined): CgroupWrite[] => hugetlb(limits, 'limit_in_bytes');
export const hugetlbV2 = (limits: HugepageLimit[] | undefined): CgroupWrite[] => hugetlb(limits, 'max');

export function netClsV1(n: NetworkResources | undefined): CgroupWrite[] {
  if (n?.classID === undefined || n.classID === null) return [];
  return [{ file: 'net_cls.classid', value: String(n.classID), field: 'linux.resources.network.classID' }];
}

export function netPrioV1(n: NetworkResources | undefined): CgroupWrite[] {
  return (n?.priorities ?? []).map((p, i) => {
    if (!/^[^\s/]{1,15}$/.test(p.name)) throw fieldRefusal(`linux.resources.network.priorities[${i}].name`, `invalid interface name ${JSON.stringify(p.name)}`);
    return { file: 'net_prio.ifpriomap', value: `${p.name} ${p.priority}`, field: `linux.resources.network.priorities[${i}]` };
  });
}

export function networkV2(n: NetworkResources | undefined): CgroupWrite[] {
  if (n && (n.classID !== undefined || (n.priorities ?? []).length > 0)) {
    throw fieldRefusal('linux.resources.network', 'net_cls and net_prio do not exist on cgroup v2');
  }
  return [];
}

/** rdma.max lines, same format on v1 and v2: "<hca> hca_handle=N hca_object=M". */
export function rdmaWrites(rdma: Record<string, RdmaResource> | undefined): CgroupWrite[] {
  return Object.entries(rdma ?? {}).flatMap(([device, r]) => {
    if (!/^[^\s]+$/.test(device)) throw fieldRefusal(`linux.resources.rdma`, `invalid rdma device name ${JSON.stringify(device)}`);
    const parts = [];
    if (r.hcaHandles !== undefined && r.hcaHandles !== null) parts.push(`hca_handle=${r.hcaHandles}`);
    if (r.hcaObjects !== undefined && r.hcaObjects !== null) parts.push(`hca_object=${r.hcaObjects}`);
    return parts.length ? [{ file: 'rdma.max', value: `${device} ${parts.join(' ')}`, field: `linux.resources.rdma.${device}` }] : [];
  });
}
