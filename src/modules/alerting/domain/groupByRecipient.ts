import type { DueDeadline } from './Deadline';

/** Cuts a stream ordered by recipient into one array per recipient, holding one group at a time. */
export async function* groupByRecipient(lines: AsyncIterable<DueDeadline>): AsyncIterable<DueDeadline[]> {
  let group: DueDeadline[] = [];
  for await (const line of lines) {
    if (group.length > 0 && group[0]!.recipient !== line.recipient) {
      yield group;
      group = [];
    }
    group.push(line);
  }
  if (group.length > 0) yield group;
}
