/**
 * Whether an address can be handed to SES as a recipient. The local SES emulator accepts almost anything,
 * so this is the check that stops a header injection or a malformed address before it is sent.
 */

/** RFC 5321: a forward path holds at most 254 characters, a local part at most 64. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

// Dot-atom local part without quoting; quoted local parts are refused on purpose.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

export function isDeliverableAddress(address: string): boolean {
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return false;
  const parts = address.split('@');
  if (parts.length !== 2) return false;
  const [localPart, domain] = parts as [string, string];
  if (localPart.length === 0 || localPart.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(localPart)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => label.length <= MAX_LABEL_LENGTH && DOMAIN_LABEL.test(label))) return false;
  const topLevel = labels[labels.length - 1] ?? '';
  return /^[A-Za-z]{2,}$|^xn--[A-Za-z0-9-]+$/.test(topLevel);
}
