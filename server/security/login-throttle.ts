/**
 * Sign-in throttling that counts failures only. Per account: after `freeFailures` failures each
 * further attempt must wait 2, 4, 8 … seconds (at most one window), so a guesser slows down while
 * the owner, who gets it right after the wait, is never locked out for long. Per IP address: a
 * plain count of failures per window, high enough for an office behind one address; share-link
 * opens have a bucket of their own, so they never use up the sign-in budget.
 *
 * The state lives in memory: a restart forgets it (at worst an attacker gets a fresh start, which
 * the delays make cheap to allow). @fastify/rate-limit counts every request, not failures, and
 * reads `Date.now()` rather than the app's clock, so it cannot express this.
 */

/** The limits; `windowMs` is also the longest wait per account. */
export interface LoginLimits {
  windowMs: number;
  /** Failures of one account within the window before delays start. */
  freeFailuresPerAccount: number;
  /** Failed sign-ins (passwords, codes, setup tokens) from one IP address within the window. */
  failuresPerIp: number;
  /** Failed share-link opens from one IP address within the window. */
  shareFailuresPerIp: number;
}

/** The separate per-IP counters. */
export type IpBucket = 'login' | 'share';

interface AccountState {
  failures: number;
  lastMs: number;
}

interface IpState {
  failures: number;
  startMs: number;
}

/** A bound on memory when someone tries a flood of made-up accounts or addresses. */
const MAX_ENTRIES = 50_000;
const PRUNE_EVERY_MS = 60_000;

export class LoginThrottle {
  private readonly accounts = new Map<string, AccountState>();
  private readonly ips = new Map<string, IpState>();
  private lastPruneMs = 0;

  constructor(
    private readonly limits: LoginLimits,
    private readonly clock: () => Date,
  ) {}

  /** Milliseconds this account must still wait before its next attempt; 0 when it may try now. */
  accountWaitMs(account: string): number {
    const now = this.clock().getTime();
    const state = this.liveAccount(account, now);
    if (!state) return 0;
    return Math.max(0, state.lastMs + this.delayAfter(state.failures) - now);
  }

  /** Milliseconds until this address may try again in this bucket; 0 when it may try now. */
  ipWaitMs(bucket: IpBucket, ip: string): number {
    const now = this.clock().getTime();
    const state = this.liveIp(`${bucket}:${ip}`, now);
    if (!state || state.failures < this.ipLimit(bucket)) return 0;
    return Math.max(0, state.startMs + this.limits.windowMs - now);
  }

  /** Counts a failed attempt for the address and, when known, the account. */
  recordFailure(bucket: IpBucket, ip: string, account?: string): void {
    const now = this.clock().getTime();
    this.prune(now);
    const ipKey = `${bucket}:${ip}`;
    const ipState = this.liveIp(ipKey, now) ?? { failures: 0, startMs: now };
    ipState.failures += 1;
    this.ips.delete(ipKey);
    this.ips.set(ipKey, ipState);
    if (account === undefined) return;
    const state = this.liveAccount(account, now) ?? { failures: 0, lastMs: now };
    state.failures += 1;
    state.lastMs = now;
    // Deleted and set again: the map keeps the most recently failed accounts last (see prune).
    this.accounts.delete(account);
    this.accounts.set(account, state);
  }

  /** A right answer: the account starts again from nothing (the address's count stays). */
  recordSuccess(account: string): void {
    this.accounts.delete(account);
  }

  /** The wait after the n-th failure: none before the free ones run out, then 2^k seconds, capped. */
  private delayAfter(failures: number): number {
    const over = failures - this.limits.freeFailuresPerAccount;
    if (over < 0) return 0;
    return Math.min(1000 * 2 ** Math.min(over + 1, 30), this.limits.windowMs);
  }

  private ipLimit(bucket: IpBucket): number {
    return bucket === 'share' ? this.limits.shareFailuresPerIp : this.limits.failuresPerIp;
  }

  /** An account's failures are forgotten one window after its wait ended. */
  private liveAccount(account: string, now: number): AccountState | undefined {
    const state = this.accounts.get(account);
    if (state && now >= state.lastMs + this.delayAfter(state.failures) + this.limits.windowMs) {
      this.accounts.delete(account);
      return undefined;
    }
    return state;
  }

  private liveIp(key: string, now: number): IpState | undefined {
    const state = this.ips.get(key);
    if (state && now >= state.startMs + this.limits.windowMs) {
      this.ips.delete(key);
      return undefined;
    }
    return state;
  }

  /** Drops what has run out (once a minute), and the oldest entries beyond the bound. */
  private prune(now: number): void {
    if (now - this.lastPruneMs >= PRUNE_EVERY_MS) {
      this.lastPruneMs = now;
      for (const key of [...this.accounts.keys()]) this.liveAccount(key, now);
      for (const key of [...this.ips.keys()]) this.liveIp(key, now);
    }
    for (const map of [this.accounts, this.ips] as Map<string, unknown>[]) {
      for (const key of map.keys()) {
        if (map.size < MAX_ENTRIES) break;
        map.delete(key);
      }
    }
  }

  /** How many accounts and addresses are being tracked (for tests). */
  get size(): { accounts: number; addresses: number } {
    return { accounts: this.accounts.size, addresses: this.ips.size };
  }
}
