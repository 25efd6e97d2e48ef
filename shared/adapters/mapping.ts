/**
 * The webhook sources and how each maps its helpdesk's fields (docs/design.md#13-integrations): catalog-like
 * configuration, validated at synth and at local start, compiled into the webhooks function. A source is a
 * name in the URL (`POST /webhooks/<source>`) with an adapter and its own secret; two sources may share an
 * adapter (two Zendesk instances, a field-service tool on the generic adapter).
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export const ADAPTER_KINDS = ['zendesk', 'jira', 'generic'] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];

const SOURCE_NAME = /^[a-z0-9._-]{1,64}$/;
const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
/** What a helpdesk status becomes; `ignore` maps to nothing (documented per adapter). */
export const STATUS_OUTCOMES = ['paused', 'resumed', 'resolved', 'cancelled', 'ignore'] as const;
export type StatusOutcome = (typeof STATUS_OUTCOMES)[number];

const fieldId = z.string().check(z.minLength(1), z.maxLength(128));
const lowerKeys = <T extends z.ZodMiniType>(value: T) => z.record(z.string().check(z.minLength(1)), value);

/** How the contract id is found on a ticket: its organisation's external id, or a custom field. */
const contractFrom = z.union([
  z.strictObject({ from: z.literal('organization') }),
  z.strictObject({ from: z.literal('field'), field: fieldId }),
]);

const flagFields = {
  /** The custom field whose true value means a technician on site is needed. */
  onSiteField: z.optional(fieldId),
  /** The custom field whose true value means a loan unit or spare part is needed. */
  replacementField: z.optional(fieldId),
  /** Field values read as true (compared lower-cased). */
  truthy: z._default(z.array(z.string()), ['true', 'yes', '1', 'on', 'checked']),
};

export const zendeskMappingSchema = z.strictObject({
  adapter: z.literal('zendesk'),
  contract: z._default(contractFrom, { from: 'organization' }),
  ...flagFields,
  /** Zendesk priority (lower-cased) → case priority; an empty priority is `normal`. */
  priorities: z._default(lowerKeys(z.enum(PRIORITIES)), { urgent: 'critical', high: 'high', normal: 'normal', low: 'low' }),
  /** Zendesk status (lower-cased) → what it does to the case. */
  statuses: z._default(lowerKeys(z.enum(STATUS_OUTCOMES)), {
    new: 'ignore',
    open: 'resumed',
    pending: 'paused',
    hold: 'paused',
    'on-hold': 'paused',
    solved: 'resolved',
    closed: 'resolved',
  }),
});

export const jiraMappingSchema = z.strictObject({
  adapter: z.literal('jira'),
  /** The custom field (e.g. `customfield_10050`) holding the contract id (text, select or an Organizations field). */
  contractField: fieldId,
  ...flagFields,
  /** Jira priority name (lower-cased) → case priority; none is `normal`. */
  priorities: z._default(lowerKeys(z.enum(PRIORITIES)), { highest: 'critical', high: 'high', medium: 'normal', low: 'low', lowest: 'low' }),
  /** Jira status name (lower-cased) → what a transition into it does to the case. */
  statuses: z._default(lowerKeys(z.enum(STATUS_OUTCOMES)), {
    open: 'ignore',
    'waiting for support': 'resumed',
    'in progress': 'resumed',
    'work in progress': 'resumed',
    'waiting for customer': 'paused',
    pending: 'paused',
    resolved: 'resolved',
    done: 'resolved',
    closed: 'resolved',
    canceled: 'cancelled',
    cancelled: 'cancelled',
  }),
});

export const genericMappingSchema = z.strictObject({ adapter: z.literal('generic') });

export const sourceMappingSchema = z.discriminatedUnion('adapter', [zendeskMappingSchema, jiraMappingSchema, genericMappingSchema]);

export const webhookSourcesSchema = z.strictObject({
  sources: z
    .record(z.string().check(z.regex(SOURCE_NAME)), sourceMappingSchema)
    .check(z.refine((sources) => Object.keys(sources).length > 0, { message: 'name at least one source' })),
});

export type ZendeskMapping = z.infer<typeof zendeskMappingSchema>;
export type JiraMapping = z.infer<typeof jiraMappingSchema>;
export type GenericMapping = z.infer<typeof genericMappingSchema>;
export type SourceMapping = z.infer<typeof sourceMappingSchema>;
export type WebhookSources = z.infer<typeof webhookSourcesSchema>;

export class WebhookSourcesError extends Error {
  override readonly name = 'WebhookSourcesError';
}

/** Validated sources, or a WebhookSourcesError naming the path of the first bad field. */
export function parseWebhookSources(value: unknown, where = 'webhook sources'): WebhookSources {
  const parsed = webhookSourcesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const message = issue.code === 'invalid_key' ? 'a source name is 1–64 chars of a-z0-9._-' : issue.message;
    const path = issue.path.map(String).join('.');
    return `${path === '' ? '$' : path}: ${message}`;
  });
  throw new WebhookSourcesError(`${where} is invalid: ${issues.join('; ')}`);
}

/** The sources when nothing else is configured: one of each adapter, named after it. */
export const DEFAULT_WEBHOOK_SOURCES: WebhookSources = parseWebhookSources({
  sources: {
    zendesk: { adapter: 'zendesk' },
    jira: { adapter: 'jira', contractField: 'customfield_10050' },
    generic: { adapter: 'generic' },
  },
});
