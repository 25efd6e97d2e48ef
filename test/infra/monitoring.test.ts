/**
 * What reaches the operator: every alarm goes to the encrypted topic the operator is subscribed to, and
 * the dashboard shows what the system did.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '#infra/bundling.ts';
import { OPERATOR_EMAIL, SYNTH_TIMEOUT_MS, synthesizeAftercare } from './synth.ts';
import { functionIdOf, logicalIdOf, resourcesOf } from './template-queries.ts';

let template: Template;

beforeAll(() => {
  ({ template } = synthesizeAftercare());
}, SYNTH_TIMEOUT_MS);

const topicRef = (): unknown => ({ Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'MonitoringAlarms') });
const queueName = (prefix: string): unknown => ({
  'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', prefix), 'QueueName'],
});

function expectAlarm(properties: Record<string, unknown>): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ...properties,
    AlarmActions: [topicRef()],
    TreatMissingData: 'notBreaching',
  });
}

describe('the operator', () => {
  it('is subscribed by email to the alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: OPERATOR_EMAIL,
      TopicArn: topicRef(),
    });
  });

  it('is alarmed by every alarm', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef()]);
  });
});

describe('alarms', () => {
  it.each(['QueuesDeadLetters', 'QueuesFailedInvocations'])('fire as soon as %s holds a message', (queue) => {
    expectAlarm({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: queueName(queue) }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each(['QueuesContracts', 'QueuesCases'])('fire when the oldest event on %s is older than five minutes', (queue) => {
    expectAlarm({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: queueName(queue) }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 300,
    });
  });

  it.each(FUNCTION_NAMES.flatMap((service) => [[service, 'Errors'], [service, 'Throttles']]))(
    'fire on any %s %s',
    (service, metricName) => {
      expectAlarm({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIdOf(template, service) } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    },
  );

  it('fire on any NoticesFailed published by the notifier', () => {
    expectAlarm({
      Namespace: 'Aftercare',
      MetricName: 'NoticesFailed',
      Dimensions: [{ Name: 'service', Value: 'notifier' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each(['NoticesBounced', 'NoticesComplained'])('fire on any %s the feedback function recorded', (metricName) => {
    expectAlarm({
      Namespace: 'Aftercare',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'feedback' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each([
    ['EventsQuarantined', 'intake'],
    ['SweepItemsQuarantined', 'sweep'],
    ['LifecycleContractsQuarantined', 'lifecycle'],
  ])('fire on any %s: a quarantined item needs a person (published by %s)', (metricName, service) => {
    expectAlarm({
      Namespace: 'Aftercare',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: service }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('fire on any NoticesUnknown, whether the notifier or the sweep found it', () => {
    const published = (service: string): unknown =>
      Match.objectLike({
        MetricStat: Match.objectLike({
          Metric: { Namespace: 'Aftercare', MetricName: 'NoticesUnknown', Dimensions: [{ Name: 'service', Value: service }] },
          Stat: 'Sum',
        }),
        ReturnData: false,
      });
    expectAlarm({
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('FILL\\(.*\\+.*FILL\\('), ReturnData: true }),
        published('notifier'),
        published('sweep'),
      ]),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

interface MetricWidget {
  readonly properties: { readonly title: string; readonly metrics: unknown[][] };
}

/** The dashboard's widgets, with the region token the body is joined with replaced by a placeholder. */
function dashboardWidgets(): MetricWidget[] {
  const dashboard = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0];
  const parts = (dashboard?.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const body = parts.map((part) => (typeof part === 'string' ? part : 'REGION')).join('');
  return (JSON.parse(body) as { widgets: MetricWidget[] }).widgets;
}

function widgetMetrics(title: string): string[] {
  const widget = dashboardWidgets().find((candidate) => candidate.properties.title === title);
  if (widget === undefined) throw new Error(`no widget titled ${title}`);
  return widget.properties.metrics.map((metric) => metric.filter((part) => typeof part === 'string').join(' '));
}

describe('the dashboard', () => {
  it('shows events processed, breaches, credits and notices sent', () => {
    expect(widgetMetrics('Events processed')).toContain('Aftercare EventsProcessed service intake');
    expect(widgetMetrics('Notices')).toContain('Aftercare NoticesSent service notifier');
    expect(widgetMetrics('Notices')).toEqual(
      expect.arrayContaining([
        'Aftercare NoticesBounced service feedback',
        'Aftercare NoticesComplained service feedback',
        'Aftercare NoticesSuppressed service notifier',
      ]),
    );
    expect(widgetMetrics('Credits booked (minor units)')).toEqual(
      expect.arrayContaining(['Aftercare CreditsBookedMinor service intake', 'Aftercare CreditsBookedMinor service sweep']),
    );
  });

  it('adds up the breaches declared by intake and by sweep into one line', () => {
    const breaches = widgetMetrics('Breaches declared');
    expect(breaches).toEqual(
      expect.arrayContaining(['Aftercare BreachesDeclared service intake', 'Aftercare BreachesDeclared service sweep']),
    );
    expect(JSON.stringify(dashboardWidgets())).toMatch(/FILL\(\w+, 0\) \+ FILL\(\w+, 0\)/);
  });
});
