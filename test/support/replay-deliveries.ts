/** A generated scenario's deliveries as replay takes them, numbered in order; read from their bodies (no `about`), as deliveries not made by `deliveriesOf`. */
import type { Delivery } from '#cli/replay/input.ts';

export function asDeliveries(scenario: readonly { readonly deliverAt: number; readonly body: string }[]): Delivery[] {
  return scenario.map((delivery, index) => ({ lineNumber: index + 1, deliverAt: delivery.deliverAt, body: delivery.body }));
}
