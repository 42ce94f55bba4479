/**
 * The job queue of `pipewarden serve --redis`: detection of committed events and notification
 * deliveries become BullMQ jobs on Redis, so any replica (or a machine running only workers)
 * takes them. The store stays the source of truth: a job only names a row, the worker claims
 * that row in the store before working, so a job delivered twice (BullMQ is at-least-once) or
 * a row also picked up by the store sweep after a crash is still processed once.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';

export const QUEUE_NAME = 'pipewarden-serve';

export interface JobHandlers {
  detect(eventId: number): Promise<void>;
  notify(notificationId: number): Promise<void>;
}

export interface WorkQueueOptions {
  url: string;
  /** Key prefix in Redis (one per deployment; tests use their own). */
  prefix?: string;
  concurrency?: number;
  log: (line: string) => void;
  onJob?: (name: string, outcome: 'done' | 'failed') => void;
}

/** `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) as BullMQ's connection options. */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('--redis: not a URL (redis://host:6379)');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('--redis: use a redis:// or rediss:// URL');
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error('--redis: the path must be a database number');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db !== '' && { db: Number(db) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    // BullMQ's workers block on Redis; they must not give up on a slow command.
    maxRetriesPerRequest: null,
  };
}

export class WorkQueue {
  private readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(private readonly o: WorkQueueOptions) {
    this.queue = new Queue(QUEUE_NAME, { connection: redisConnection(o.url), prefix: o.prefix ?? 'pipewarden' });
    this.queue.on('error', (e) => o.log(`redis queue: ${e.message}`));
  }

  /** Waits until Redis answers (a wrong URL fails the start instead of every request). */
  async ready(timeoutMs = 10_000): Promise<void> {
    // A count is a real round trip (waitUntilReady alone can resolve before Redis answered).
    await Promise.race([this.queue.waitUntilReady().then(() => this.queue.getJobCounts('waiting')), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`Redis did not answer within ${timeoutMs / 1000} s`)), timeoutMs).unref())]);
  }

  /** Starts this process's worker. */
  work(handlers: JobHandlers): void {
    this.worker = new Worker(
      QUEUE_NAME,
      async (job: Job<{ id: number }>) => {
        if (job.name === 'detect') await handlers.detect(job.data.id);
        else if (job.name === 'notify') await handlers.notify(job.data.id);
      },
      { connection: redisConnection(this.o.url), prefix: this.o.prefix ?? 'pipewarden', concurrency: this.o.concurrency ?? 4 },
    );
    this.worker.on('error', (e) => this.o.log(`redis worker: ${e.message}`));
    this.worker.on('completed', (job) => this.o.onJob?.(job.name, 'done'));
    this.worker.on('failed', (job, e) => {
      this.o.onJob?.(job?.name ?? '?', 'failed');
      this.o.log(`job ${job?.name ?? '?'} ${job?.data?.id ?? ''} failed: ${e.message}`);
    });
  }

  async detect(eventIds: number[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.queue.addBulk(eventIds.map((id) => ({ name: 'detect', data: { id }, opts: { jobId: `detect-${id}`, removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } } })));
  }

  async notify(notificationId: number, delayMs = 0): Promise<void> {
    // One job id per attempt time: a retry is a new job, a repeat of the same plan is not.
    await this.queue.add('notify', { id: notificationId }, { jobId: `notify-${notificationId}-${Date.now() + delayMs}`, delay: delayMs, removeOnComplete: true, removeOnFail: 1000 });
  }

  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
