/**
 * RFC 2782 ordering of SRV records: lowest priority first; within one priority a weighted random
 * selection ("the weight field specifies a relative weight for entries with the same priority ... Larger
 * weights SHOULD be given a proportionately higher probability of being selected").
 */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** random number in [0, 1) (injectable for tests) */
export type RandomSource = () => number;

export function orderSrvRecords(records: readonly SrvRecord[], random: RandomSource = Math.random): SrvRecord[] {
  // RFC 2782: a target of "." means the service is decidedly not available at this domain
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  const priorities = [...new Set(usable.map((r) => r.priority))].sort((a, b) => a - b);
  const ordered: SrvRecord[] = [];
  for (const priority of priorities) {
    // "arrange all SRV RRs (that have not been ordered yet) in any order, except that all those with
    // weight 0 are placed at the beginning of the list"
    const remaining = usable.filter((r) => r.priority === priority).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (remaining.length > 0) {
      const total = remaining.reduce((sum, r) => sum + r.weight, 0);
      // "choose a uniform random number between 0 and the sum computed (inclusive), and select the RR
      // whose running sum value is the first in the selected order which is greater than or equal to it"
      const pick = total === 0 ? 0 : random() * (total + 1);
      let running = 0;
      let index = remaining.length - 1;
      for (let i = 0; i < remaining.length; i++) {
        running += remaining[i]?.weight ?? 0;
        if (running >= Math.floor(pick)) {
          index = i;
          break;
        }
      }
      const [chosen] = remaining.splice(index, 1);
      if (chosen) ordered.push(chosen);
    }
  }
  return ordered;
}
