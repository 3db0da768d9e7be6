/**
 * Turns for one tenant's list requests: at most `perTenant` of one caller's run at once, the
 * others wait in arrival order. A list may read a large directory for a while (on PostgreSQL
 * holding a pooled connection, on SQLite taking window after window of the one connection),
 * so without a cap one tenant keeping many in flight would take every connection or turn
 * and every other tenant would wait behind them. Waiting costs no connection; a waiter
 * holds only its HTTP connection (bounded by RDMC_MAX_CONNECTIONS), and its deadline still
 * runs (the store refuses to start work past it). A tenant with nothing running or waiting
 * has no entry, so the map is bounded by the requests in flight.
 */
export class TenantLanes {
  private readonly lanes = new Map<string, { running: number; waiting: Array<() => void> }>();

  constructor(private readonly perTenant: number) {}

  async run<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(tenant);
    if (!lane) this.lanes.set(tenant, (lane = { running: 0, waiting: [] }));
    if (lane.running >= this.perTenant) await new Promise<void>((resolve) => lane.waiting.push(resolve));
    else lane.running++;
    try {
      return await fn();
    } finally {
      // The turn passes straight to the next waiter, so `running` stays counted for it.
      const next = lane.waiting.shift();
      if (next) next();
      else if (--lane.running === 0) this.lanes.delete(tenant);
    }
  }
}
