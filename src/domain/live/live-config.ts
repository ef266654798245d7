/**
 * The hot path (lifecycle.md "LiveConfig"): what a voice or chat runtime asks at the start of
 * every conversation, served from memory.
 *
 * - A version never changes, so everything that depends only on (version, channel) — the
 *   resolved config, greeting, compiled hours, transfers, the prompt's head, and the serialised
 *   JSON around them — is cached by version id and never goes stale (LRU-bounded).
 * - The per-agent pointer (live version, isActive; absent = deleted) is cached too and evicted
 *   by the event seam, so a publish, rollback, isActive change or delete on any process is
 *   seen here within the notification's delay (ms), well inside lifecycle.md's second.
 * - Per request: the HoursStatus at `at`; one lookup for what follows from that status (the
 *   prompt's hours part, the ETag); and, unless If-None-Match matched, one buffer write.
 */
import { hash } from 'node:crypto';
import type { Queryable } from '../../storage/db.js';
import { getAgent, getAgentPointer, type AgentPointer } from '../../storage/repos/agents.js';
import { getVersion } from '../../storage/repos/agent-versions.js';
import type { ChangeFeed } from '../../events/change-feed.js';
import type { VersionedConfig } from '../../contracts/agent.js';
import { ApiError } from '../../errors.js';
import { isoMs } from '../../clock.js';
import { channelServed, promptHoursPart, resolveStatic, statusAt, type Channel, type LiveStatic } from '../../engines/live/index.js';
import { compileHours, evaluateHours, type BusinessHoursInput, type CompiledHours, type HoursStatus } from '../../engines/hours/index.js';
import { notFound } from '../agents/agents.js';
import { versionedConfigOf } from '../agents/versions.js';
import { LruCache } from '../lru.js';
import { stringifyResolvedConfig } from './serialize.js';

/** A live config ready to send: its ETag, and its body (the whole envelope, UTF-8) when asked for. */
export interface LiveAnswer {
  etag: string;
  /** built only when sent (a matching If-None-Match needs the ETag alone) */
  body(): Buffer;
}

/**
 * One version on one channel, ready to answer: only bytes and the compiled schedule are kept
 * (the resolved config as objects would be several times the size of its JSON): the body's
 * instant-independent parts already encoded (encoding kilobytes of config per request would be
 * most of the request's work), and what the per-instant part needs.
 */
interface Prepared {
  /** what `statusAt` and `promptHoursPart` read: the compiled schedule (shared by the version's channels) and the channel */
  s: Pick<LiveStatic, 'hours' | 'channel'>;
  /** `{"success":true,"data":{…,"at":` */
  head: Buffer;
  /** `,"config":…,"greeting":…,"hours":` */
  middle: Buffer;
  /** `,"transfers":…,"systemPrompt":` while open / closed */
  transfersOpen: Buffer;
  transfersClosed: Buffer;
  /** `"<the prompt's head, escaped>` without the closing quote (JSON escaping is per character, so the string can be continued) */
  prompt: Buffer;
  /** hash of every instant-independent byte: the ETag's static part */
  seed: string;
  /** this preparation's number: its entries in the service's StatusAnswers start with it */
  id: number;
}

/**
 * What follows from a status (without its local-time members) on a local date, for one prepared
 * version and channel: the prompt's hours part and the ETag. A schedule has a few such states a
 * day, so a runtime asking for "now" finds its answer here instead of building the prompt part
 * and hashing. One LRU for the whole service (STATUS_ANSWERS entries, about 1 KB each), not a map
 * per version: random instants over weeks would otherwise fill one per version and channel.
 */
type StatusAnswers = LruCache<string, { promptEnd: string; etag: string }>;
const STATUS_ANSWERS = 8192;
let preparations = 0;

/** A published version, prepared for both channels when first asked for (its config is not kept). */
interface CachedVersion {
  agentId: string;
  hours: CompiledHours;
  voice: Prepared | 'disabled';
  chat: Prepared | 'disabled';
}

const J = JSON.stringify;

function prepare(agentId: string, versionId: string | null, number: number | null, config: VersionedConfig, channel: Channel, hours?: CompiledHours): Prepared | 'disabled' {
  if (!channelServed(config, channel)) return 'disabled';
  const s = resolveStatic(config, channel);
  const head = `{"success":true,"data":{"agentId":${J(agentId)},"versionId":${J(versionId)},"versionNumber":${J(number)},"channel":${J(channel)},"at":`;
  const middle = `,"config":${stringifyResolvedConfig(s.config)},"greeting":${J(s.greeting)},"hours":`;
  const prompt = J(s.promptHead).slice(0, -1);
  const transfersOpen = `,"transfers":${J(s.transfersOpen)},"systemPrompt":`;
  const transfersClosed = `,"transfers":${J(s.transfersClosed)},"systemPrompt":`;
  // the five parts in one allocation of their exact size (small Buffer.from()s share 8 KB pool
  // slabs, whose unused tails would stay allocated as long as any part lives)
  const parts = [head, middle, transfersOpen, transfersClosed, prompt];
  const all = Buffer.allocUnsafeSlow(parts.reduce((n, x) => n + Buffer.byteLength(x), 0));
  let at = 0;
  const [bHead, bMiddle, bOpen, bClosed, bPrompt] = parts.map((x) => {
    const n = all.write(x, at);
    const view = all.subarray(at, at + n);
    at += n;
    return view;
  }) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  return {
    s: { hours: hours ?? s.hours, channel },
    head: bHead,
    middle: bMiddle,
    transfersOpen: bOpen,
    transfersClosed: bClosed,
    prompt: bPrompt,
    // everything static, both transfer forms included: a new prompt template or transfer rule in
    // a later build changes the ETag of the same version
    seed: hash('sha256', head + middle + transfersOpen + transfersClosed + prompt, 'base64url'),
    id: ++preparations,
  };
}

/**
 * lifecycle.md: the ETag hashes the body without `at`, `hours.localTime` and
 * `hours.localTimeSpoken`: the seed (every static byte), the rest of the hours status and the
 * prompt's hours section (the open or closed tail follows from `hours.open`). It is weak
 * (`W/`): bodies with the same tag are equivalent for the runtime, not byte-identical (`at`).
 */
function answer(p: Prepared, atMs: number, answers: StatusAnswers): LiveAnswer {
  const st = statusAt(p.s, atMs);
  const hours = J(st);
  // the status without its local-time members; HoursStatus's member order is fixed
  // (…timezone, localTime, localTimeSpoken, reason…) and a time-zone name holds no quote
  const cut = hours.indexOf(',"localTime":');
  const stable = hours.slice(0, cut) + hours.slice(hours.indexOf(',"reason":', cut));
  const key = `${p.id} ${st.localTime?.slice(0, 10) ?? ''}${stable}`;
  let known = answers.get(key);
  if (!known) {
    const part = promptHoursPart(p.s, st, atMs);
    known = {
      // the systemPrompt string continues after the escaped head: this part, escaped, then the closing `}}`
      promptEnd: `${J(part).slice(1)}}}`,
      etag: `W/"${hash('sha256', p.seed + stable + part, 'base64url').slice(0, 27)}"`,
    };
    answers.set(key, known);
  }
  const { etag, promptEnd } = known;
  return {
    etag,
    body: () => {
      const at = J(isoMs(atMs));
      const transfers = st.open ? p.transfersOpen : p.transfersClosed;
      // one buffer, written in place: the static parts are copied, the rest encoded into it
      const buf = Buffer.allocUnsafe(p.head.length + p.middle.length + transfers.length + p.prompt.length + 3 * (at.length + hours.length + promptEnd.length));
      let o = p.head.copy(buf, 0);
      o += buf.write(at, o);
      o += p.middle.copy(buf, o);
      o += buf.write(hours, o);
      o += transfers.copy(buf, o);
      o += p.prompt.copy(buf, o);
      o += buf.write(promptEnd, o);
      return buf.subarray(0, o);
    },
  };
}

/**
 * Versions kept prepared in memory (FLOWYTE_LIVE_CACHE_VERSIONS). About 12 KB each for the
 * benchmark's realistic agents (both channels' bytes, the compiled schedule, a few per-status
 * prompt parts), so the default holds a hot set of 10 000 published agents in roughly 120 MB; a
 * miss costs one SELECT and a resolution (BENCHMARKS.md).
 */
export const DEFAULT_LIVE_VERSIONS = 10_000;

export class LiveConfigService {
  /** Cache counters for operators (read by /metrics; plain increments on the hot path). */
  readonly stats = { pointerHits: 0, pointerMisses: 0, versionHits: 0, versionMisses: 0, invalidations: 0 };
  private pointers = new Map<string, AgentPointer>();
  private versions: LruCache<string, CachedVersion>;
  private statusAnswers: StatusAnswers = new LruCache(STATUS_ANSWERS);
  private maxPointers: number;

  constructor(
    private db: Queryable,
    private feed: ChangeFeed,
    opts: { maxVersions?: number; maxPointers?: number } = {},
  ) {
    this.versions = new LruCache(opts.maxVersions ?? DEFAULT_LIVE_VERSIONS);
    this.maxPointers = opts.maxPointers ?? 200_000;
    feed.subscribe((e) => {
      if (e.resourceType === 'agent' && this.pointers.delete(pointerKey(e.organizationId, e.resourceId))) this.stats.invalidations++;
    });
    feed.onResync(() => this.pointers.clear());
  }

  /** The agent's pointer: from memory while the event seam is connected, else from the database. */
  private async pointer(orgId: string, agentId: string): Promise<AgentPointer> {
    const key = pointerKey(orgId, agentId);
    if (this.feed.connected) {
      const hit = this.pointers.get(key);
      if (hit) {
        this.stats.pointerHits++;
        return hit;
      }
    }
    this.stats.pointerMisses++;
    const generation = this.feed.generation;
    const p = await getAgentPointer(this.db, orgId, agentId);
    if (!p) throw notFound();
    // an event during the read may have made `p` stale: then it is used once, not cached
    if (this.feed.connected && generation === this.feed.generation) {
      if (this.pointers.size >= this.maxPointers) this.pointers.clear();
      this.pointers.set(key, p);
    }
    return p;
  }

  private async version(orgId: string, agentId: string, versionId: string): Promise<CachedVersion> {
    const hit = this.versions.get(versionId);
    // the id comes from this organization's pointer; checking the agent too costs nothing
    if (hit && hit.agentId === agentId) {
      this.stats.versionHits++;
      return hit;
    }
    this.stats.versionMisses++;
    const row = await getVersion(this.db, orgId, agentId, versionId);
    if (!row) throw new Error(`live version ${versionId} of ${agentId} is missing`);
    const config = row.config as VersionedConfig;
    const hours = compileHours(config.businessHours as BusinessHoursInput);
    const v: CachedVersion = {
      agentId,
      hours,
      voice: prepare(agentId, versionId, row.number, config, 'voice', hours),
      chat: prepare(agentId, versionId, row.number, config, 'chat', hours),
    };
    this.versions.set(versionId, v);
    return v;
  }

  /** The live pointer of a servable agent: 404, agent_inactive, no_published_version in that order. */
  private async livePointer(orgId: string, agentId: string, checkActive: boolean): Promise<string> {
    const p = await this.pointer(orgId, agentId);
    if (checkActive && !p.isActive) throw new ApiError('agent_inactive', 'The agent is inactive (isActive: false); live channels refuse it');
    if (!p.publishedVersionId) throw new ApiError('no_published_version', 'The agent has never been published; pass draft=true to resolve the draft');
    return p.publishedVersionId;
  }

  /** GET /agents/{id}/live: the live version (or the draft) resolved for a channel at an instant. */
  async liveConfig(orgId: string, agentId: string, channel: Channel, atMs: number, draft: boolean): Promise<LiveAnswer> {
    let p: Prepared | 'disabled';
    if (draft) {
      const row = await getAgent(this.db, orgId, agentId);
      if (!row) throw notFound();
      if (!row.isActive) throw new ApiError('agent_inactive', 'The agent is inactive (isActive: false); live channels refuse it');
      p = prepare(agentId, null, null, versionedConfigOf(row.config), channel);
    } else {
      const versionId = await this.livePointer(orgId, agentId, true);
      p = (await this.version(orgId, agentId, versionId))[channel];
    }
    if (p === 'disabled') throw new ApiError('channel_disabled', `The agent does not serve the ${channel} channel`);
    return answer(p, atMs, this.statusAnswers);
  }

  /** GET /agents/{id}/hours: the live version's (or the draft's) schedule at an instant; isActive is ignored. */
  async hours(orgId: string, agentId: string, atMs: number, draft: boolean): Promise<HoursStatus> {
    if (draft) {
      const row = await getAgent(this.db, orgId, agentId);
      if (!row) throw notFound();
      return evaluateHours(compileHours(row.config.businessHours as BusinessHoursInput), atMs);
    }
    const versionId = await this.livePointer(orgId, agentId, false);
    return evaluateHours((await this.version(orgId, agentId, versionId)).hours, atMs);
  }
}

function pointerKey(orgId: string, agentId: string): string {
  return `${orgId}\u0000${agentId}`;
}
