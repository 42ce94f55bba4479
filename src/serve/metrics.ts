/**
 * Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/) of the
 * few figures an operator watches: deliveries received and rejected, queue depth, detector
 * latency, notifications. Hand-written: a dozen counters do not need a client library.
 */

type Labels = Record<string, string>;

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (l: Labels): string => {
  const parts = Object.keys(l)
    .sort()
    .map((k) => `${k}="${escape(l[k]!)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelText(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

/** Seconds; buckets from 1 ms to 10 s. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

class Histogram {
  private readonly counts = BUCKETS.map(() => 0);
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(seconds: number): void {
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    BUCKETS.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class Metrics {
  readonly received = new Counter('pipewarden_deliveries_received_total', 'Deliveries accepted and durably stored, by endpoint.');
  readonly duplicates = new Counter('pipewarden_deliveries_duplicate_total', 'Deliveries acknowledged without storing: already stored (redelivery or replay).');
  readonly rejected = new Counter('pipewarden_deliveries_rejected_total', 'Deliveries refused (nothing stored), by endpoint and reason.');
  readonly processed = new Counter('pipewarden_events_processed_total', 'Events run through the detectors by this process.');
  readonly alerts = new Counter('pipewarden_alerts_raised_total', 'New alerts, by alert id.');
  readonly detectorFailures = new Counter('pipewarden_detector_failures_total', 'Detector errors (the event is kept, other detectors ran).');
  readonly jobs = new Counter('pipewarden_jobs_total', 'Redis queue jobs run by this process, by job and outcome.');
  readonly notifications = new Counter('pipewarden_notifications_total', 'Notification attempts by destination and outcome.');
  readonly detectLatency = new Histogram('pipewarden_detector_latency_seconds', 'Time to run all detectors on one event.');

  constructor(private readonly gauges: () => Promise<Record<string, { help: string; value: number }>>) {}

  async render(): Promise<string> {
    const parts = [this.received, this.duplicates, this.rejected, this.processed, this.alerts, this.detectorFailures, this.jobs, this.notifications, this.detectLatency].map((m) => m.render());
    for (const [name, g] of Object.entries(await this.gauges())) parts.push(`# HELP ${name} ${g.help}\n# TYPE ${name} gauge\n${name} ${g.value}`);
    return `${parts.join('\n')}\n`;
  }
}
