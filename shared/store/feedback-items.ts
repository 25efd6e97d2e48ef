/**
 * The items SES feedback needs beside the notices: a pointer from SES's message id to the notice it
 * carried (written with markSent, so feedback finds its notice without a scan), and the suppression of
 * an address that bounced or complained, keyed by a hash of the lower-cased address so that no key, log
 * line or metric ever carries the address itself.
 */
import { createHash } from 'node:crypto';
import type { Instant } from '#domain/time.ts';
import type { Item } from './items.ts';
import type { ItemKey } from './keys.ts';
import type { NoticeRef } from './notice-repository.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

/** Complaints can come weeks after delivery (a recipient marks an old email as spam); bounces within days. */
export const SES_MESSAGE_RETENTION_DAYS = 90;

export const sesMessageKey = (messageId: string): ItemKey => ({ pk: `SESMSG#${messageId}`, sk: 'SESMSG' });

/** SHA-256 of the trimmed, lower-cased address, hex: the same address in any case is one suppression. */
export function addressHash(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
}

export const suppressionKey = (address: string): ItemKey => ({ pk: `SUPPRESSION#${addressHash(address)}`, sk: 'SUPPRESSION' });

export function sesMessageItem(messageId: string, ref: NoticeRef, sentAt: Instant): Item {
  return {
    ...sesMessageKey(messageId),
    entity: 'sesMessage',
    messageId,
    noticeId: ref.id,
    ...(ref.contractId === null ? {} : { contractId: ref.contractId }),
    sentAt,
    [TTL_ATTRIBUTE]: Math.floor(sentAt / 1000) + SES_MESSAGE_RETENTION_DAYS * 86_400,
  };
}

export function noticeRefOfSesMessage(item: Item): NoticeRef {
  return { contractId: (item.contractId ?? null) as string | null, id: item.noticeId as string };
}
