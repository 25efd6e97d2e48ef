/**
 * `aftercare replay --compare … --level-map standard=premium,…`: the second run replays the same events
 * with each contract's service level mapped, so "what if every standard contract were premium" is one
 * command. Checked before either run: every level named, and every level the events use, must exist
 * in the catalog that runs it.
 */
import type { Catalog } from '#domain/model.ts';
import { UsageError } from '../errors.ts';
import type { Delivery } from './input.ts';

export type LevelMap = ReadonlyMap<string, string>;

export function parseLevelMap(text: string | undefined, from: Catalog, to: Catalog, catalogs: { readonly from: string; readonly to: string }): LevelMap {
  const map = new Map<string, string>();
  if (text === undefined) return map;
  for (const pair of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
    if (match === null) throw new UsageError(`replay: --level-map "${pair}" is not LEVEL=LEVEL (e.g. standard=premium)`);
    const [, source = '', target = ''] = match;
    if (!(source in from.serviceLevels)) throw new UsageError(`replay: --level-map: ${catalogs.from} has no service level "${source}" (it has ${levelList(from)})`);
    if (!(target in to.serviceLevels)) throw new UsageError(`replay: --level-map: ${catalogs.to} has no service level "${target}" (it has ${levelList(to)})`);
    if (map.has(source)) throw new UsageError(`replay: --level-map maps "${source}" twice`);
    map.set(source, target);
  }
  if (map.size === 0) throw new UsageError('replay: --level-map is empty (e.g. --level-map standard=premium)');
  return map;
}

/** The service levels the events register contracts with, by contract. */
export function levelsOfDeliveries(deliveries: readonly Delivery[]): Map<string, string> {
  const levels = new Map<string, string>();
  for (const delivery of deliveries) {
    const json = parsed(delivery.body);
    if (json !== null && typeof json.contractId === 'string' && typeof json.serviceLevel === 'string') levels.set(json.contractId, json.serviceLevel);
  }
  return levels;
}

/** The events of the second run: a line naming a service level names the mapped one; every other line as it is. */
export function withLevelsMapped(deliveries: readonly Delivery[], map: LevelMap): Delivery[] {
  if (map.size === 0) return [...deliveries];
  return deliveries.map((delivery) => {
    const json = parsed(delivery.body);
    if (json === null || typeof json.serviceLevel !== 'string') return delivery;
    const target = map.get(json.serviceLevel);
    return target === undefined ? delivery : { ...delivery, body: JSON.stringify({ ...json, serviceLevel: target }) };
  });
}

/** A contract whose (mapped) level the catalog lacks would be rejected in that run, and the comparison would tell nothing. */
export function checkLevelsExist(deliveries: readonly Delivery[], catalog: Catalog, catalogFile: string, map: LevelMap): void {
  for (const [contractId, level] of levelsOfDeliveries(deliveries)) {
    const used = map.get(level) ?? level;
    if (!(used in catalog.serviceLevels)) {
      const how = map.has(level) ? `mapped from "${level}"` : `map it with --level-map ${level}=…`;
      throw new UsageError(`replay: contract ${contractId} has service level "${used}", which ${catalogFile} does not define (${how}; it has ${levelList(catalog)})`);
    }
  }
}

function levelList(catalog: Catalog): string {
  return Object.keys(catalog.serviceLevels).sort().join(', ');
}

function parsed(body: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
