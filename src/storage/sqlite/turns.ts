/**
 * Turns on the one SQLite connection: one unit of work at a time, in arrival order. A long
 * read may give its turn back between two steps and queue again behind whoever waits.
 */
export class Turns {
  private held = false;
  private readonly queue: Array<() => void> = [];

  /** Whether a unit of work holds the connection now. */
  get busy(): boolean {
    return this.held;
  }

  /** How many units wait for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  async take(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  /** Hands the connection to the next in line (who counts as busy from then on), or frees it. */
  give(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }
}
