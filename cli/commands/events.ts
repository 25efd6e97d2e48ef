/** `aftercare events --local [--contract ID] [--json]`: the billing events the local stack published (docs/design.md#12-contract-changes-and-billing). */
import { booleanFlag, parseFlags, stringFlag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { readLocalBillingEvents, type LocalBillingEvent } from '../local/billing-sink.ts';
import { documentClientFor, memoryStackPorts } from '../local/clients.ts';
import { readStackFile } from '../local/stack-file.ts';
import type { Command } from './command.ts';

export const eventsCommand: Command = {
  name: 'events',
  usage: `Usage: aftercare events --local [--contract ID] [--json]

The billing events the running local stack (\`npm start\`) published, oldest first: credits booked and
reversed, years closed with the amount due, terminations accepted, contracts ended with credits owed
(README, "Billing events"). No EventBridge emulator exists, so the local stack's billing publisher puts
them into its table instead of a bus (on the memory engine, into a list in the stack's process); on AWS they go to the stack's billing event bus (output
BillingEventBusArn), where a rule sends them to your billing integration.

Each event's \`detail.id\` is deterministic: an event put again after a crash has the same id, and a
consumer drops the repeat.

  --local          the running local stack (required: events on AWS are on the event bus, not listed here)
  --contract ID    only this contract's events
  --json           one JSON array: { putAt, source, detailType, time, detail } per event
  -h, --help       this text`,
  async run(argv, output) {
    const flags = parseFlags('events', argv, { local: { type: 'boolean' }, contract: { type: 'string' }, json: { type: 'boolean' } });
    if (!booleanFlag(flags, 'local')) {
      throw new UsageError('events: give --local; on AWS the events are on the billing event bus (add a rule, see README "Billing events")');
    }
    const stack = readStackFile();
    const documents = documentClientFor(stack);
    try {
      const contractId = stringFlag(flags, 'contract');
      // On the memory engine the local bus is a list in the stack's process, served with its table.
      const memory = memoryStackPorts(stack);
      const received = memory === null ? await readLocalBillingEvents(documents, stack.tableName) : await memory.billingEvents.read();
      const events = received.filter(
        (event) => contractId === undefined || event.detail.contractId === contractId,
      );
      if (booleanFlag(flags, 'json')) output.out(JSON.stringify(events, null, 2));
      else output.out(eventsText(events).join('\n'));
      return 0;
    } finally {
      documents.destroy();
    }
  },
};

function amountOf(event: LocalBillingEvent): string {
  const { detail } = event;
  const minor = (value: number): string => `${detail.currency} ${(value / 100).toFixed(2)}`;
  switch (detail.type) {
    case 'credit.booked':
    case 'credit.reversed':
      return minor(detail.amountMinor);
    case 'year.closed':
      return `due ${minor(detail.amountDueNextYearMinor)}`;
    case 'termination.accepted':
      return `ends ${detail.endsAt}`;
    case 'contract.ended':
      return `owed ${minor(detail.creditsOwedMinor)}`;
  }
}

export function eventsText(events: readonly LocalBillingEvent[]): string[] {
  if (events.length === 0) return ['no billing events published yet'];
  const rows = events.map((event) => [event.putAt, event.detailType, event.detail.contractId, amountOf(event), event.detail.id]);
  const header = ['PUT AT', 'DETAIL-TYPE', 'CONTRACT', 'AMOUNT', 'ID'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${events.length} event${events.length === 1 ? '' : 's'}`];
}
